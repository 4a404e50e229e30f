// Joining with the code, importing a roster, and a phone reading its own view.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportSchema, JoinSchema, PresenceSchema, describeIssues } from '../../../shared/schemas';
import { badRequest } from '../../errors';
import { parseRosterCsv } from '../../events/rosterCsv';
import { bearer } from '../auth';

const EventParams = z.object({ id: z.string().min(1).max(64) });
const PersonParams = EventParams.extend({ participantId: z.string().min(1).max(64) });

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;
  // A roster can be posted straight from a spreadsheet export.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  api.post('/api/join', { schema: { body: JoinSchema, tags: ['people'], summary: 'Join with the event code' } }, async (request, reply) => {
    return reply.status(201).send(await events.join(request.body));
  });

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
