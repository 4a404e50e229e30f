// Joining with the code, importing a roster, changing it in the room (presence, moves,
// removal, fresh links), and what a phone does for itself (its view, "I have to leave",
// follow-ups at the end).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ContactSchema,
  FollowUpSchema,
  ImportSchema,
  JoinSchema,
  MoveSchema,
  NewLinkSchema,
  PresenceSchema,
  describeIssues,
} from '../../../shared/schemas';
import { HttpError, badRequest } from '../../errors';
import { emailProblems, parseRosterCsv, refuseImport } from '../../events/rosterCsv';
import type { Participant } from '../../../shared/domain';
import { currentMeView } from '../../views/current';
import { organizerRoutes, participantRoutes } from '../auth';
import { EventParams, PersonParams } from '../params';

const WRONG_CODE_WINDOW_SECONDS = 600;
/** A registration export of 20,000 rows is a few MB. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  // A roster can be posted straight from a spreadsheet export. Kept as bytes: the importer
  // reads the encoding itself, so a file that is not UTF-8 is refused instead of garbled.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
  await app.register(joinRoutes);
  await app.register(organizerRoutes(rosterRoutes));
  await app.register(participantRoutes(ownRoutes));
}

async function joinRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;

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
      if ((await events.wrongCodes(guesses, WRONG_CODE_WINDOW_SECONDS, 0)) >= app.config.wrongCodesLimit) {
        throw new HttpError(429, 'Too many wrong event codes from this network; wait ten minutes, then check the code on the screen.');
      }
      try {
        return reply.status(201).send(await events.join(request.body));
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) await events.wrongCodes(guesses, WRONG_CODE_WINDOW_SECONDS, 1);
        throw error;
      }
    },
  );
}

/** Importing a roster and changing it in the room: the organizer's, with the event's key. */
async function rosterRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;
  const participantView = (eventCode: string, participant: Participant, token: string) => ({
    id: participant.id,
    name: participant.name,
    role: participant.role,
    ...(participant.table !== undefined ? { table: participant.table } : {}),
    token,
    joinUrl: events.personalUrl(eventCode, participant, token),
  });

  api.post(
    '/api/events/:id/participants',
    {
      // A registration export of 20,000 rows is a few MB.
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { params: EventParams, tags: ['organizer'], summary: 'Import people: JSON {participants:[…]} or text/csv name,role,topics,goal,email' },
    },
    async (request, reply) => {
      const event = request.organizerEvent;
      const known = new Map<string, string>();
      for (const p of await events.activeParticipants(event.id)) if (p.email) known.set(p.email.toLowerCase(), p.name);
      let people;
      if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
        people = parseRosterCsv(request.body, known);
      } else {
        const parsed = ImportSchema.safeParse(request.body);
        if (!parsed.success) throw badRequest(describeIssues(parsed.error));
        people = parsed.data.participants;
        const problems = emailProblems(people, known, (i) => `participants.${i}`);
        if (problems.length) refuseImport(problems);
      }
      const added = await events.addPeople(event, people);
      // Each token is in this answer only: the server keeps its hash, never the token.
      return reply.status(201).send({ participants: added.map(({ participant, token }) => participantView(event.code, participant, token)) });
    },
  );

  api.post(
    '/api/events/:id/participants/:participantId/presence',
    { schema: { params: PersonParams, body: PresenceSchema, tags: ['organizer'], summary: 'Mark someone absent (left out of the next rounds) or present' } },
    async (request) => {
      const person = await events.setPresence(request.params.id, request.params.participantId, request.body.present);
      return { id: person.id, present: !person.absent };
    },
  );

  api.delete(
    '/api/events/:id/participants/:participantId',
    { schema: { params: PersonParams, tags: ['organizer'], summary: 'Remove someone: gone from the roster and later rounds; past pairings and ratings stay in the exports' } },
    async (request) => {
      await events.removePerson(request.params.id, request.params.participantId);
      return { id: request.params.participantId, removed: true };
    },
  );

  api.post(
    '/api/events/:id/participants/:participantId/table',
    { schema: { params: PersonParams, body: MoveSchema, tags: ['organizer'], summary: 'Seat a mentee at a table for the coming round ({"table": null} takes it back)' } },
    async (request) => {
      return events.moveMentee(request.params.id, request.params.participantId, request.body.table);
    },
  );

  api.post(
    '/api/events/:id/participants/:participantId/link',
    { schema: { params: PersonParams, body: NewLinkSchema, tags: ['organizer'], summary: 'A fresh personal link (and QR) for someone; their old link stops working' } },
    async (request, reply) => {
      const event = request.organizerEvent;
      const { participant, token } = await events.newLink(event, request.params.participantId);
      return reply.status(201).send(participantView(event.code, participant, token));
    },
  );
}

/** What a phone does for itself, with its participant token. */
async function ownRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = app.events;

  api.get('/api/me', { schema: { tags: ['people'], summary: "A participant's own view: seat, next seat, countdown" } }, async (request) => {
    const { event, participant } = request;
    return currentMeView(events, event.id, participant.id);
  });

  const ownLimit = { rateLimit: { max: app.config.rateLimitRatings, timeWindow: '1 minute' } };

  api.post(
    '/api/me/presence',
    { config: ownLimit, schema: { body: PresenceSchema, tags: ['people'], summary: '"I have to leave" ({"present": false}) or "I\'m back" ({"present": true})' } },
    async (request) => {
      const { event, participant } = request;
      const updated = await events.setOwnPresence(event.id, participant, request.body.present);
      return { id: updated.id, present: !updated.absent };
    },
  );

  api.post(
    '/api/me/follow-ups',
    { config: ownLimit, schema: { body: FollowUpSchema, tags: ['people'], summary: 'At the end: "I\'d like to follow up" with someone you met (or not)' } },
    async (request) => {
      const { event, participant } = request;
      await events.setFollowUp(event.id, participant, request.body.targetId, request.body.follow);
      return { targetId: request.body.targetId, follow: request.body.follow };
    },
  );

  api.post(
    '/api/me/contact',
    { config: ownLimit, schema: { body: ContactSchema, tags: ['people'], summary: 'At the end: the email shared only with people who tick you back' } },
    async (request) => {
      const { event, participant } = request;
      await events.setContact(event.id, participant, request.body.email);
      return { email: request.body.email };
    },
  );
}
