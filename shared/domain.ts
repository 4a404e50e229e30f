// The event's own vocabulary, shared by server and client. Pure types: no I/O.

export type Role = 'mentee' | 'mentor';

/** Whether the event is waiting, running its clock, frozen, or over. */
export type EventStatus = 'lobby' | 'running' | 'paused' | 'ended';

/** What people in the room are doing right now. */
export type Phase = 'lobby' | 'talk' | 'changeover' | 'ended';

export interface EventSettings {
  /** Number of talk rounds, 1..100. */
  rounds: number;
  /** Length of one talk, in seconds. */
  roundSeconds: number;
  /** Time between talks to rate and walk to the next table, in seconds. */
  changeoverSeconds: number;
  /** Mentees per mentor at one table (1 = one to one). */
  seatsPerTable: number;
  /** Topics offered to people when they join (free text elsewhere is allowed too). */
  topics: string[];
}

export interface EventRecord extends EventSettings {
  id: string;
  /** Short code people type on their phones; unambiguous letters and digits. */
  code: string;
  name: string;
  /** sha256 of the organizer key; the key itself is only ever shown once. */
  organizerKeyHash: string;
  /** Seeds the deterministic tie-breaks of matching. */
  seed: number;
  createdAt: number;
  /** A hash of the address that created it (never shown): caps the events one network keeps in the lobby. */
  createdFrom?: string;
}

export interface Participant {
  id: string;
  name: string;
  role: Role;
  topics: string[];
  goal?: string;
  email?: string;
  /** Mentors keep one numbered table for the whole event. */
  table?: number;
  joinedAt: number;
  /** The round in progress when they joined (0 = lobby). */
  joinedRound: number;
  /** Marked absent (by the organizer, or "I have to leave"): left out of the next plans. */
  absent?: boolean;
  /**
   * Taken off the event by the organizer: out of the roster and of every later plan, and
   * their link stops working. Their past pairings and ratings stay in the exports.
   */
  removed?: boolean;
  /** The organizer's "move to table N for round R": that round seats them there if the seat rules allow. */
  pin?: TablePin;
}

/** A mentee moved by the organizer to one table for one round. */
export interface TablePin {
  round: number;
  table: number;
}

/** The live clock of one event. Time is data: deadlines are absolute server epoch ms. */
export interface RoundState {
  status: EventStatus;
  phase: Phase;
  /** 0 in the lobby; during a changeover, still the round that just finished. */
  round: number;
  /** Set while running: when the current phase ends (server epoch ms). */
  phaseEndsAt: number | null;
  /** Set while paused: how long the frozen phase still has. */
  remainingMs: number | null;
  /** Bumped on every committed change; the compare-and-set key for exactly-once advances. */
  version: number;
  /** Server time the last change was committed (for measuring how fast it reaches phones). */
  changedAt?: number | null;
}

/** One table in one round's seating plan. */
export interface TablePlan {
  table: number;
  mentorId: string;
  menteeIds: string[];
}

/**
 * How far an event's people and plans have changed: each counter moves on with every
 * write to that list (Store.listPeopleAndPlans). Equal counters, equal lists.
 */
export interface ListVersions {
  participants: number;
  plans: number;
}

/** Who sits where in one round, and who sits out. */
export interface SeatingPlan {
  round: number;
  tables: TablePlan[];
  byes: string[];
  /**
   * The versions of the people and plans this seating was made from. Seating is
   * deterministic, so (event, round, madeFrom) names one seating on every instance:
   * what was made ahead of a round (its plan, its seats' bytes) is found again by it.
   * Absent on plans written before it existed.
   */
  madeFrom?: ListVersions;
}

export interface Rating {
  round: number;
  raterId: string;
  targetId: string;
  score: number;
  tags: string[];
  note?: string;
  at: number;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface SeatPerson extends PersonRef {
  role: Role;
  topics: string[];
  /** The topics this person and the viewer both care about ("You both care about: …"). */
  sharedTopics: string[];
  /** A mentee's goal: shown to their mentor only, never to table mates. */
  goal?: string;
}

/** Where one person sits in one round. */
export interface Seat {
  round: number;
  table: number;
  with: SeatPerson[];
}

export interface PublicTable {
  table: number;
  mentor: PersonRef;
  mentees: PersonRef[];
}

export interface Headcount {
  mentors: number;
  mentees: number;
}

/** What anyone may see of an event: the projector's view. */
export interface PublicEventState {
  id: string;
  name: string;
  code: string;
  joinUrl: string;
  status: EventStatus;
  phase: Phase;
  round: number;
  rounds: number;
  roundSeconds: number;
  changeoverSeconds: number;
  seatsPerTable: number;
  topics: string[];
  phaseEndsAt: number | null;
  remainingMs: number | null;
  serverNow: number;
  headcount: Headcount;
  version: number;
  /** Server time the current state was committed. */
  changedAt: number | null;
  /** What the event added up to so far: exchanges held in rounds that started, ratings given. */
  stats: { exchanges: number; ratings: number };
  tables: PublicTable[];
  /** During a changeover: where people walk to next (names only). */
  nextTables: PublicTable[];
}

export type EventSummary = Omit<PublicEventState, 'tables' | 'nextTables'>;

/**
 * What a phase change tells a phone: the clock and the counts. The rest of the summary
 * (name, code, round length…) does not change during an event and came with the snapshot.
 */
export type PhaseUpdate = Pick<EventSummary, 'id' | 'status' | 'phase' | 'round' | 'phaseEndsAt' | 'remainingMs' | 'serverNow' | 'version' | 'changedAt' | 'headcount' | 'stats'>;

export function phaseUpdateOf(summary: EventSummary): PhaseUpdate {
  const { id, status, phase, round, phaseEndsAt, remainingMs, serverNow, version, changedAt, headcount, stats } = summary;
  return { id, status, phase, round, phaseEndsAt, remainingMs, serverNow, version, changedAt, headcount, stats };
}

/** Everything one phone needs, sent on every connect and answered by GET /api/me. */
export interface MeView {
  /** `present` is false once they (or the organizer) said they left: they are not seated any more. */
  participant: { id: string; name: string; role: Role; present: boolean };
  event: EventSummary;
  seat: Seat | null;
  nextSeat: Seat | null;
  /** Every round this person has sat at a table so far (for rating and the end summary). */
  met: Seat[];
  /** Ratings this person has given, so a phone can show what it already sent. */
  ratingsGiven: { round: number; targetId: string; score: number }[];
  /** Once the event has ended: the people met, whom this person would like to follow up with. Null before. */
  followUp: FollowUpView | null;
}

/** One person met, on the end screen's follow-up list. */
export interface FollowUpPerson {
  id: string;
  name: string;
  role: Role;
  /** This person ticked "I'd like to follow up". */
  chosen: boolean;
  /** Both ticked each other. (Whether the other ticked is never shown before you tick too.) */
  mutual: boolean;
  /** The other's email: only when both ticked and they gave one. */
  email?: string;
}

export interface FollowUpView {
  /** Where this person can be reached, shared only with those who tick them back. */
  email: string | null;
  people: FollowUpPerson[];
}

export type OrganizerActionName = 'start' | 'pause' | 'resume' | 'extend' | 'skip' | 'end';

export interface CreatedEvent {
  id: string;
  code: string;
  organizerKey: string;
  joinUrl: string;
  mentorJoinUrl: string;
  screenUrl: string;
  controlUrl: string;
}

export interface JoinResult {
  eventId: string;
  participantId: string;
  token: string;
}

/** One row of the Control roster. */
export interface RosterEntry {
  id: string;
  name: string;
  role: Role;
  topics: string[];
  goal?: string;
  table?: number;
  /** Organizers see the emails they imported (and those people added for follow-ups). */
  email?: string;
  /** False once marked absent: they are left out of the next rounds. */
  present: boolean;
  /**
   * Moved by the organizer to a table for the coming round (only while that round is still ahead).
   * `honoured` once that round is planned: false when the seat rules did not allow the move.
   */
  pin?: TablePin & { honoured?: boolean };
  /** Whether this person has a phone connected right now. */
  online: boolean;
}

/** What the organizer sees on Control, on top of the public state. */
export interface ControlView {
  state: PublicEventState;
  roster: RosterEntry[];
  /** The next round's plan once it is made (during a changeover). */
  nextTables: PublicTable[];
  /** Ratings given for the current round so far, and how many exchanges could be rated. */
  ratingProgress: { round: number; given: number; possible: number };
  /** Days an ended event's data is kept before it is deleted by itself (RETENTION_DAYS). */
  retentionDays: number;
}

/** A rating as it appears in the export, next to the pairing it belongs to. */
export interface ExportRating {
  score: number;
  tags: string[];
  note?: string;
  at: number;
}

/** GET /api/events/:id/export.json: everything the organizer owes their sponsors, as data. */
export interface EventExport {
  exportedAt: number;
  event: {
    id: string;
    name: string;
    code: string;
    status: EventStatus;
    phase: Phase;
    /** The round in progress or just finished (0 in the lobby). */
    round: number;
    rounds: number;
    roundSeconds: number;
    changeoverSeconds: number;
    seatsPerTable: number;
    topics: string[];
    createdAt: number;
  };
  /** Everyone, including people removed later (flagged), so every pairing names its people. */
  people: {
    id: string;
    name: string;
    role: Role;
    topics: string[];
    goal?: string;
    email?: string;
    table?: number;
    present: boolean;
    removed: boolean;
    joinedAt: number;
    joinedRound: number;
  }[];
  /** One per mentor and mentee at a table, in every round that took place. */
  pairings: {
    round: number;
    table: number;
    mentorId: string;
    menteeId: string;
    /** The mentor's rating of the mentee (score, quick tags, private note). */
    mentorRating: ExportRating | null;
    /** The mentee's rating of the mentor. */
    menteeRating: ExportRating | null;
    /** Both ticked "I'd like to follow up" for each other. */
    mutualFollowUp: boolean;
  }[];
  /** Mentees who sat out a round that took place. */
  byes: { round: number; menteeIds: string[] }[];
  /** Every "I'd like to follow up" tick; `mutual` when the other ticked back. */
  followUps: { fromId: string; toId: string; mutual: boolean }[];
}
