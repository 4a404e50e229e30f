// Where an event lives between requests. Two implementations: SqliteStore (one laptop,
// no setup, one data file) and RedisStore (several instances). Both pass the same
// contract suite in test/integration/store.contract.test.ts.
import type { EventRecord, ListVersions, Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';

export interface TokenOwner {
  eventId: string;
  participantId: string;
}

/** "I'd like to follow up": one direction; a match is two of them. */
export interface FollowUp {
  fromId: string;
  toId: string;
}

/** An event's people and plans as of exactly `versions`. */
export interface PeopleAndPlans {
  participants: readonly Participant[];
  /** In round order. */
  plans: readonly SeatingPlan[];
  versions: ListVersions;
}

export interface Store {
  /** Saves a new event in the lobby. Returns false (and saves nothing) if its code is taken. */
  createEvent(event: EventRecord, state: RoundState): Promise<boolean>;
  getEvent(eventId: string): Promise<EventRecord | null>;
  eventIdByCode(code: string): Promise<string | null>;

  getState(eventId: string): Promise<RoundState | null>;
  /**
   * Compare-and-set: writes `next` (and any plans) only if the stored version is still
   * `expectedVersion`. A stale or duplicate attempt returns false and changes nothing,
   * which is what makes a phase advance happen exactly once across instances.
   * Keeps the due index in step (running → due at phaseEndsAt) and, once the event
   * has ended, has all of it deleted after the retention period.
   */
  commit(eventId: string, expectedVersion: number, next: RoundState, plans?: SeatingPlan[]): Promise<boolean>;

  getPlan(eventId: string, round: number): Promise<SeatingPlan | null>;
  /** In round order. Read-only (frozen): a store may share one parsed list between callers. */
  listPlans(eventId: string): Promise<readonly SeatingPlan[]>;

  /**
   * The people and the plans read together with their version counters, all as of one
   * moment. The participants' counter moves on with every write of a participant
   * (addParticipants, changeParticipant), the plans' with every commit that writes plans;
   * neither ever goes back while the event exists, and a read at equal counters gives equal
   * lists. Caches of what is made from these lists (a round seated ahead, its seats as
   * bytes) are keyed on the counters, never on which objects a store hands out.
   */
  listPeopleAndPlans(eventId: string): Promise<PeopleAndPlans>;

  /**
   * Adds people, all or none. Mentors without a table get the next free table numbers.
   * `tokenHashes[i]` lets participant i find themselves again with their token.
   */
  addParticipants(eventId: string, participants: Participant[], tokenHashes: string[]): Promise<Participant[]>;
  /** Read-only (frozen), like `listPlans`. */
  listParticipants(eventId: string): Promise<readonly Participant[]>;
  getParticipant(eventId: string, participantId: string): Promise<Participant | null>;
  /**
   * Changes one participant atomically: `change` gets the stored record and returns the new
   * one (it may run more than once if another write got in between). Resolves to the stored
   * result, or null if there is no such person.
   */
  changeParticipant(eventId: string, participantId: string, change: (participant: Participant) => Participant): Promise<Participant | null>;
  ownerOfToken(tokenHash: string): Promise<TokenOwner | null>;
  /** Gives someone a new token: their old one stops working at once. False if there is no such person. */
  replaceToken(eventId: string, participantId: string, tokenHash: string): Promise<boolean>;

  /** Records (follow true) or takes back (false) "fromId would like to follow up with toId". */
  setFollowUp(eventId: string, fromId: string, toId: string, follow: boolean): Promise<void>;
  listFollowUps(eventId: string): Promise<FollowUp[]>;

  countRatings(eventId: string): Promise<number>;
  /** Insert or replace the rating for (round, rater, target): sending again updates, never duplicates. */
  saveRating(eventId: string, rating: Rating): Promise<void>;
  listRatings(eventId: string): Promise<Rating[]>;

  /** How many people an event has (to cap it). */
  countParticipants(eventId: string): Promise<number>;

  /**
   * A counter that forgets itself `windowSeconds` after its first hit: adds `add` (0 to
   * just read) and returns the count. Used to slow down people guessing join codes.
   */
  attempts(key: string, windowSeconds: number, add: 0 | 1): Promise<number>;

  /** Events whose current phase ends at or before `now`. */
  dueEvents(now: number): Promise<string[]>;

  /**
   * Deletes the events whose time is up at `now`: ended longer ago than the retention
   * period, or still in the lobby with no write to them for the lobby expiry. Returns
   * the ids it deleted (a store may also let some go by itself, as Redis does).
   */
  sweep(now: number): Promise<string[]>;

  /** How many events created from this address (its hash, `EventRecord.createdFrom`) are still in the lobby. */
  countLobbyEvents(createdFrom: string): Promise<number>;

  /** Removes the event and everything about it (tokens, code, plans, ratings, follow-ups). */
  deleteEvent(eventId: string): Promise<void>;

  /** True when the store can serve requests. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
