// Who is calling. Each kind of route checks its caller once, in a hook, and hands the
// handler who it is: organizer routes get `request.organizerEvent` (the event whose key was
// presented), participant routes get `request.participant` and `request.event` (who holds
// the token, and their event). Handlers never repeat the check.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { EventRecord, Participant } from '../../shared/domain';
import type { EventParams } from './params';

declare module 'fastify' {
  interface FastifyRequest {
    /** On organizer routes: the event in the path, whose organizer key was presented. */
    organizerEvent: EventRecord;
    /** On participant routes: who presented the token. */
    participant: Participant;
    /** On participant routes: the participant's event. */
    event: EventRecord;
  }
}

/** Reads "Authorization: Bearer <secret>" — the organizer key, a participant token or the admin token. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Routes under /api/events/:id that need that event's organizer key. */
export function organizerRoutes(routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (app) => {
    identifyCallerLast(app, async (request) => {
      const { id } = request.params as EventParams;
      request.organizerEvent = await app.events.authorizeOrganizer(id, bearer(request));
    });
    await app.register(routes);
  };
}

/** Routes a phone calls for itself with its participant token. */
export function participantRoutes(routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (app) => {
    identifyCallerLast(app, async (request) => {
      const { event, participant } = await app.events.participantForToken(bearer(request));
      request.event = event;
      request.participant = participant;
    });
    await app.register(routes);
  };
}

/**
 * Runs `identify` after the route's params and body are validated (a malformed call gets its
 * 400 before any key is looked at) and after the route's own preHandlers: a per-address budget
 * is spent before the caller is identified, as it is for the same message on the socket, so
 * wrong keys count against it too.
 */
function identifyCallerLast(app: FastifyInstance, identify: preHandlerAsyncHookHandler): void {
  app.addHook('onRoute', (route) => {
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...own, identify];
  });
}
