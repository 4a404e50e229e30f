// Joining with the code, importing a roster, and a phone reading its own view.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportSchema, JoinSchema, PresenceSchema, describeIssues } from '../../../shared/schemas';
import { HttpError, badRequest } from '../../errors';
import { parseRosterCsv } from '../../events/rosterCsv';
import { bearer } from '../auth';

const WRONG_CODE_WINDOW_SECONDS = 600;
const EventParams = z.object({ id: z.string().min(1).max(64) });
const PersonParams = EventParams.extend({ participantId: z.string().min(1).max(64) });

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;
  // A roster can be posted straight from a spreadsheet export.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  api.post(
    '/api/join',
    {
      config: { rateLimit: { max: app.config.rateLimitJoin, timeWindow: '1 minute' } },
      schema: { body: JoinSchema, tags: ['people'], summary: 'Join with the event code' },
    },
    async (request, reply) => {
      // Wrong codes from one address are counted: after too many, joins from there pause for
      // a while, so trying codes until one works is impractical (SECURITY.md has the sums).
      const guesses = `wrong-code:${request.ip}`;
      if ((await events.store.attempts(guesses, WRONG_CODE_WINDOW_SECONDS, 0)) >= app.config.wrongCodesLimit) {
        throw new HttpError(429, 'Too many wrong event codes from this network; wait ten minutes, then check the code on the screen.');
      }
      try {
        return reply.status(201).send(await events.join(request.body));
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) await events.store.attempts(guesses, WRONG_CODE_WINDOW_SECONDS, 1);
        throw error;
      }
    },
  );

  api.post(
    '/api/events/:id/participants',
    {
      // A registration export of 20,000 rows is a few MB.
      bodyLimit: 10 * 1024 * 1024,
      schema: { params: EventParams, tags: ['organizer'], summary: 'Import people: JSON {participants:[…]} or text/csv name,role,topics,goal,email' },
    },
    async (request, reply) => {
      const event = await events.authorizeOrganizer(request.params.id, bearer(request));
      let people;
      if (typeof request.body === 'string') {
        people = parseRosterCsv(request.body);
      } else {
        const parsed = ImportSchema.safeParse(request.body);
        if (!parsed.success) throw badRequest(describeIssues(parsed.error));
        people = parsed.data.participants;
      }
      const added = await events.addPeople(event, people);
      return reply.status(201).send({
        participants: added.map(({ participant, token }) => ({
          id: participant.id,
          name: participant.name,
          role: participant.role,
          token,
          joinUrl: events.personalUrl(event.code, participant, token),
        })),
      });
    },
  );

  api.post(
    '/api/events/:id/participants/:participantId/presence',
    { schema: { params: PersonParams, body: PresenceSchema, tags: ['organizer'], summary: 'Mark someone absent (left out of the next rounds) or present' } },
    async (request) => {
      await events.authorizeOrganizer(request.params.id, bearer(request));
      const person = await events.setPresence(request.params.id, request.params.participantId, request.body.present);
      return { id: person.id, present: !person.absent };
    },
  );

  api.get('/api/me', { schema: { tags: ['people'], summary: "A participant's own view: seat, next seat, countdown" } }, async (request) => {
    const { event, participant } = await events.participantForToken(bearer(request));
    return events.meView(event.id, participant.id);
  });
}
