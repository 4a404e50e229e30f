// Every error leaves as a status and {"message": "..."} a person can act on; a stack
// trace never does.
import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from '../errors';
import { RateLimited } from '../limits/limiter';
import { STORE_FULL_MESSAGE, STORE_UNAVAILABLE_MESSAGE, isStoreFull, isStoreUnavailable } from '../store/unavailable';

const MESSAGES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the body as JSON (Content-Type: application/json).'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The body is not valid JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The body is too large.'],
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RateLimited) return reply.status(429).header('retry-after', String(error.retryAfterSeconds)).send({ message: error.message });
    if (error instanceof HttpError) return reply.status(error.status).send({ message: error.message });
    if (isStoreUnavailable(error)) return reply.status(503).header('retry-after', '2').send({ message: STORE_UNAVAILABLE_MESSAGE });
    if (isStoreFull(error)) {
      request.log.error({ err: error }, 'the disk is full: a write was refused');
      return reply.status(503).send({ message: STORE_FULL_MESSAGE });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && request.method === 'POST' && /^\/api\/events\/[^/]+\/participants\/?(\?|$)/.test(request.url)) {
      return reply.status(413).send({ message: 'Nothing was imported: the file is over 10 MB. Import at most 20,000 people at a time — split the file.' });
    }
    const known = error.code ? MESSAGES[error.code] : undefined;
    if (known) return reply.status(known[0]).send({ message: known[1] });
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return reply.status(400).send({ message: error.validation ? error.message : `The request could not be read: ${error.message}` });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ message: 'Something went wrong on the server; try again in a moment.' });
  });
}
