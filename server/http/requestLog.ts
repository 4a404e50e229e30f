// One log line per request at info would be thousands a minute at an event (every
// phone's reload, asset and rating), burying what matters. Fastify's own request lines
// are replaced: nothing when a request arrives, and when it is answered a line at debug
// (LOG_LEVEL=debug to see them), at warn for a 5xx, at error when it failed. The line
// names the route's pattern (/api/events/:id), never the URL, headers or body, so no
// id, token or name reaches the log from here.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const lineOf = (request: FastifyRequest, reply: FastifyReply) => ({
  method: request.method,
  route: request.routeOptions.url ?? '(no route)',
  statusCode: reply.statusCode,
  ms: Math.round(reply.elapsedTime),
});

export class RequestLog extends LogController {
  override incomingRequest(): void {
    // The answered line says it all.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ ...lineOf(request, reply), err: error }, 'request failed');
    else if (reply.statusCode >= 500) reply.log.warn(lineOf(request, reply), 'request answered with a server error');
    else reply.log.debug(lineOf(request, reply), 'request');
  }

  override routeNotFound(request: FastifyRequest, reply: FastifyReply): void {
    reply.log.debug(lineOf(request, reply), 'no such route');
  }
}
