// Creating, reading, steering, exporting and deleting an event. Creating checks the admin
// token when the server sets one; the organizer routes check the event's key in one hook (../auth.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { CreateEventSchema, OrganizerActionSchema } from '../../../shared/schemas';
import { currentPublicState } from '../../views/current';
import { resultsCsv } from '../../views/resultsCsv';
import { exportOf } from '../../views/resultsJson';
import { HttpError } from '../../errors';
import { sameSecret } from '../../secrets';
import { bearer, organizerRoutes } from '../auth';
import { EventParams } from '../params';

const QrQuery = z.object({
  role: z.enum(['mentee', 'mentor'], { error: 'role must be "mentee" or "mentor"' }).optional(),
});

export async function eventRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;

  api.post(
    '/api/events',
    {
      config: { rateLimit: { max: app.config.rateLimitCreate, timeWindow: '1 minute' } },
      schema: { body: CreateEventSchema, tags: ['events'], summary: 'Create an event (needs ADMIN_TOKEN as bearer when the server sets one)' },
    },
    async (request, reply) => {
      const adminToken = app.config.adminToken;
      if (adminToken) {
        const presented = bearer(request);
        if (!presented) throw new HttpError(401, 'Creating events on this server needs the admin token: send "Authorization: Bearer <ADMIN_TOKEN>".');
        if (!sameSecret(presented, adminToken)) throw new HttpError(403, 'That admin token is not the one this server was started with.');
      }
      return reply.status(201).send(await events.createEvent(request.body, request.ip));
    },
  );

  api.get('/api/events/:id/state', { schema: { params: EventParams, tags: ['events'], summary: 'Public state (the projector view)' } }, async (request) => {
    return currentPublicState(events, request.params.id);
  });

  api.get(
    '/api/events/:id/qr.svg',
    { schema: { params: EventParams, querystring: QrQuery, tags: ['events'], summary: 'QR code of the join link (?role=mentor for mentors)' } },
    async (request, reply) => {
      const event = await events.requireEvent(request.params.id);
      const url = request.query.role === 'mentor' ? events.mentorJoinUrl(event.code) : events.joinUrl(event.code);
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.type('image/svg+xml').header('cache-control', 'no-cache').send(svg);
    },
  );

  await app.register(organizerRoutes(steeringRoutes));
}

/** Steering, exporting and deleting: the organizer's, with the event's key. */
async function steeringRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;

  api.post(
    '/api/events/:id/actions',
    {
      // The same budgets as an action from Control's socket (limits/limiter.ts): this network's
      // before the key is checked, the event's after.
      preHandler: async (request) => app.limiter.take('actionsPerAddress', request.ip),
      schema: { params: EventParams, body: OrganizerActionSchema, tags: ['organizer'], summary: 'start | pause | resume | extend | skip | end' },
    },
    async (request) => {
      await app.limiter.take('actionsPerEvent', request.params.id);
      await events.act(request.params.id, request.body.action, request.body.seconds, request.body.from);
      return currentPublicState(events, request.params.id);
    },
  );

  api.get('/api/events/:id/export.csv', { schema: { params: EventParams, tags: ['organizer'], summary: 'Results: one row per pairing' } }, async (request, reply) => {
    const event = request.organizerEvent;
    const [snapshot, ratings] = await Promise.all([events.load(event.id), events.listRatings(event.id)]);
    const csv = resultsCsv(snapshot.state, [...snapshot.plans.values()], snapshot.people, ratings);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tablehop-${event.code}-results.csv"`)
      .send(csv);
  });

  api.get(
    '/api/events/:id/export.json',
    { schema: { params: EventParams, tags: ['organizer'], summary: 'Everything as data: the event, people, every pairing with ratings, tags and notes, follow-ups' } },
    async (request, reply) => {
      const event = request.organizerEvent;
      const [snapshot, ratings, followUps] = await Promise.all([events.load(event.id), events.listRatings(event.id), events.listFollowUps(event.id)]);
      const data = exportOf(snapshot, ratings, followUps, Date.now());
      return reply.header('content-disposition', `attachment; filename="tablehop-${event.code}-results.json"`).header('cache-control', 'no-store').send(data);
    },
  );

  api.delete('/api/events/:id', { schema: { params: EventParams, tags: ['organizer'], summary: 'Delete the event and everything about it' } }, async (request) => {
    await events.deleteEvent(request.params.id);
    await app.limiter.forgetEvent(request.params.id);
    return { ok: true };
  });
}
