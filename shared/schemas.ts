// Payload schemas checked at every edge (HTTP bodies, socket payloads) and reused
// by the client's forms, so a rule is written once.
import { z } from 'zod';

export const LIMITS = {
  nameMax: 80,
  topicMax: 60,
  topicsMax: 24,
  goalMax: 280,
  noteMax: 2000,
  tagMax: 40,
  tagsMax: 10,
  importMax: 20000,
  extendSecondsMax: 3600,
} as const;

/** For a field of the wrong type: "name is missing" when it was left out, else what it must be. */
const mustBe =
  (what: string, expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${what} is missing (it must be ${expected})` : `${what} must be ${expected}`;

const trimmed = (max: number, what: string) =>
  z
    .string({ error: mustBe(what, 'text') })
    .trim()
    .max(max, { error: `${what} must be at most ${max} characters` });

/**
 * An object that accepts exactly these fields. An unknown field is refused (it is
 * usually a typo, and a request that is half understood must not half happen).
 */
function exactly<Shape extends z.ZodRawShape>(shape: Shape, example: string) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'}`
        : `send a JSON object like ${example}`,
  });
}

export const EmailSchema = z
  .string({ error: 'email must be an email address like name@example.org' })
  .trim()
  .max(254, { error: 'email must be at most 254 characters' })
  .pipe(z.email({ error: 'email must be an email address like name@example.org' }));

export const NameSchema = trimmed(LIMITS.nameMax, 'name').min(1, { error: 'name must not be empty' });

export const TopicsSchema = z
  .array(trimmed(LIMITS.topicMax, 'each topic').min(1, { error: 'a topic must not be empty' }), {
    error: 'topics must be a list of words',
  })
  .max(LIMITS.topicsMax, { error: `at most ${LIMITS.topicsMax} topics` })
  // Topics are compared case-insensitively; store them once each.
  .transform((topics) => [...new Set(topics.map((t) => t.toLowerCase()))]);

export const RoleSchema = z.enum(['mentee', 'mentor'], { error: mustBe('role', '"mentee" or "mentor"') });

const intIn = (what: string, min: number, max: number) =>
  z
    .number({ error: mustBe(what, 'a number') })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });

export const CreateEventSchema = exactly(
  {
    name: NameSchema,
    rounds: intIn('rounds', 1, 100).default(4),
    roundSeconds: intIn('roundSeconds', 1, 7200).default(300),
    changeoverSeconds: intIn('changeoverSeconds', 0, 1800).default(60),
    seatsPerTable: intIn('seatsPerTable', 1, 8).default(1),
    topics: TopicsSchema.default([]),
  },
  '{"name": "Spring mentoring night"}',
);
export type CreateEventInput = z.infer<typeof CreateEventSchema>;

/** Someone joining: the fields of their own join form. */
const personFields = {
  name: NameSchema,
  role: RoleSchema,
  topics: TopicsSchema.default([]),
  goal: trimmed(LIMITS.goalMax, 'goal').optional(),
  email: EmailSchema.optional(),
};
export const PersonSchema = exactly(personFields, '{"name": "Ada", "role": "mentee"}');
export type PersonInput = z.infer<typeof PersonSchema>;

export const JoinSchema = exactly(
  {
    code: z
      .string({ error: mustBe('code', 'the event code shown on the screen') })
      .trim()
      .min(1, { error: 'enter the event code shown on the screen' })
      .max(20, { error: 'that code is too long — check the screen' })
      .transform((c) => c.toUpperCase()),
    name: personFields.name,
    role: personFields.role,
    topics: personFields.topics,
    goal: personFields.goal,
  },
  '{"code": "K7QM2X", "name": "Ada", "role": "mentee"}',
);
export type JoinInput = z.infer<typeof JoinSchema>;

export const ImportSchema = exactly(
  {
    participants: z
      .array(PersonSchema, { error: 'participants must be a list' })
      .min(1, { error: 'participants must not be empty' })
      .max(LIMITS.importMax, { error: `at most ${LIMITS.importMax} participants at once` }),
  },
  '{"participants": [{"name": "Ada", "role": "mentor"}]}',
);

export const OrganizerActionSchema = exactly(
  {
    action: z.enum(['start', 'pause', 'resume', 'extend', 'skip', 'end'], {
      error: mustBe('action', 'one of start, pause, resume, extend, skip, end'),
    }),
    seconds: intIn('seconds', 1, LIMITS.extendSecondsMax).optional(),
    /**
     * For skip: the phase the organizer was looking at. If the event has already left it
     * (another organizer, or the clock, got there first), the press changes nothing.
     */
    from: exactly(
      {
        phase: z.enum(['lobby', 'talk', 'changeover', 'ended'], { error: 'from.phase must be lobby, talk, changeover or ended' }),
        round: intIn('from.round', 0, 100),
      },
      '{"phase": "talk", "round": 2}',
    ).optional(),
  },
  '{"action": "extend", "seconds": 60}',
);
export type OrganizerActionInput = z.infer<typeof OrganizerActionSchema>;

export const RatingSchema = exactly(
  {
    round: intIn('round', 1, 100),
    targetId: z.string({ error: mustBe('targetId', 'the id of someone you sat with') }).min(1).max(64),
    score: intIn('score', 1, 5),
    tags: z
      .array(trimmed(LIMITS.tagMax, 'each tag').min(1), { error: 'tags must be a list of words' })
      .max(LIMITS.tagsMax, { error: `at most ${LIMITS.tagsMax} tags` })
      .default([]),
    note: trimmed(LIMITS.noteMax, 'note').optional(),
  },
  '{"round": 1, "targetId": "…", "score": 5}',
);
export type RatingInput = z.infer<typeof RatingSchema>;

export const PresenceSchema = exactly({ present: z.boolean({ error: mustBe('present', 'true (here) or false (absent)') }) }, '{"present": false}');

/** Organizer: seat a mentee at this table for the coming round (null takes the move back). */
export const MoveSchema = exactly(
  {
    table: z.union([intIn('table', 1, 100_000), z.null()], { error: 'table must be a table number like 7, or null to take the move back' }),
  },
  '{"table": 7}',
);
export type MoveInput = z.infer<typeof MoveSchema>;

/** Organizer: a fresh personal link for someone. Saying so explicitly, because their old link stops working. */
export const NewLinkSchema = exactly(
  {
    replaceOldLink: z.literal(true, { error: 'send {"replaceOldLink": true}: the person\'s old link stops working once the new one exists' }),
  },
  '{"replaceOldLink": true}',
);

const idField = (what: string) => z.string({ error: `${what} must be the id of someone you met` }).min(1, { error: `${what} must not be empty` }).max(64, { error: `${what} is too long to be an id` });

/** Participant, at the end: "I'd like to follow up" with someone met (or not any more). */
export const FollowUpSchema = exactly(
  {
    targetId: idField('targetId'),
    follow: z.boolean({ error: 'follow must be true (I would like to follow up) or false' }),
  },
  '{"targetId": "…", "follow": true}',
);
export type FollowUpInput = z.infer<typeof FollowUpSchema>;

/** Participant, at the end: where people who tick you back can reach you (null removes it). */
export const ContactSchema = exactly(
  {
    email: z.union([EmailSchema, z.null()], { error: 'email must be an email address like name@example.org, or null to remove it' }),
  },
  '{"email": "ada@example.org"}',
);
export type ContactInput = z.infer<typeof ContactSchema>;

export const ClockPingSchema = z.object({ clientSentAt: z.number() });

/** One sentence a person can act on, from the first problem zod found. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the request is not valid';
  const where = issue.path.length ? issue.path.join('.') : '';
  const message = issue.message;
  // Messages above already name their field; zod's built-ins ("Invalid input") do not.
  if (!where || message.toLowerCase().includes(String(issue.path[issue.path.length - 1]).toLowerCase())) return message;
  return `${where}: ${message}`;
}
