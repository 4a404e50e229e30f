// What Tablehop does, independent of HTTP or sockets: create an event, let people in,
// move the clock, seat rounds, take ratings. Handlers validate input and call this;
// every change of the clock goes through one compare-and-set in the Store.
import type {
  CreatedEvent,
  EventRecord,
  JoinResult,
  ListVersions,
  OrganizerActionName,
  Participant,
  Rating,
  RoundState,
  SeatingPlan,
} from '../../shared/domain';
import type { EventGoneReason } from '../../shared/protocol';
import { advanceDue, applyAction, lobbyState, roundAhead, roundNeedingPlan } from '../../shared/roundEngine';
import type { CreateEventInput, JoinInput, PersonInput, RatingInput } from '../../shared/schemas';
import { peopleWhoseSeatChanged, satTogether } from '../../shared/seats';
import { pinProblem, seatPins, whoMakesRoom } from '../../shared/matching/pinSeats';
import { replanRound } from '../../shared/matching/replanRound';
import type { Config } from '../config';
import { HttpError, conflict, notFound } from '../errors';
import { matchesHash, newId, newJoinCode, newSecret, newSeed, sha256 } from '../secrets';
import type { FollowUp, Store } from '../store/Store';
import { PlanCache } from './planCache';
import { warmPlanner } from './plannerThread';
import { matchInputFor, pinsFor } from './roundPlanning';
import { type EventSnapshot, type ViewContext, peopleMet } from '../views/snapshot';
import { Lookups } from './lookups';
import { SharedReads } from './sharedReads';

/** Told about every committed change so connected screens and phones can be updated. */
export interface EventNotifier {
  /** `seats`: whether seats or next seats may have moved with the phase (false for pause, resume, extend). */
  phaseChanged(eventId: string, seats: boolean): void;
  rosterChanged(eventId: string): void;
  ratingsChanged(eventId: string): void;
  /** These people's seats changed in a plan already shown: each gets `seat:changed`. */
  seatsChanged(eventId: string, participantIds: string[]): void;
  /** Something else in these people's own view changed (away, follow-ups): each gets a fresh `me:snapshot`. */
  peopleChanged(eventId: string, participantIds: string[]): void;
  /** This person's link no longer works (removed, or a new link issued): their phones are disconnected. */
  linkRevoked(eventId: string, participantId: string): void;
  /** The event no longer exists (the organizer deleted it, or its time was up): its open pages are told. */
  eventDeleted(eventId: string, reason: EventGoneReason): void;
}

const silent: EventNotifier = {
  phaseChanged() {},
  rosterChanged() {},
  ratingsChanged() {},
  seatsChanged() {},
  peopleChanged() {},
  linkRevoked() {},
  eventDeleted() {},
};

/** What a move to another table did. */
export interface MoveResult {
  id: string;
  /** The move as recorded, or null once taken back. */
  pin: { round: number; table: number } | null;
  /** True when the round's seating is already made and shows the move; false: it is applied when that round is planned. */
  planned: boolean;
  /** Who gave up their seat at that table, and where they sit now (null: sitting out). */
  displaced: { id: string; name: string; table: number | null }[];
}

export interface AddedParticipant {
  participant: Participant;
  token: string;
}

const COMMIT_ATTEMPTS = 8;

/** Whether two seatings put everyone in the same place (whatever they were made from). */
function sameSeating(a: SeatingPlan, b: SeatingPlan): boolean {
  return JSON.stringify([a.round, a.tables, a.byes]) === JSON.stringify([b.round, b.tables, b.byes]);
}

export class EventService {
  notifier: EventNotifier = silent;
  /** Views of one event asked for at the same moment share one read of the store. */
  private readonly snapshots = new SharedReads((eventId) => this.read(eventId));
  private readonly ratings = new SharedReads((eventId) => this.store.listRatings(eventId));
  private readonly lookups = new Lookups();
  private readonly planCache = new PlanCache();

  constructor(
    private readonly store: Store,
    private readonly config: Pick<Config, 'publicUrl' | 'maxParticipants' | 'retentionDays' | 'lobbyExpiryDays' | 'maxLobbyEventsPerAddress'>,
    private readonly now: () => number = Date.now,
  ) {
    warmPlanner();
  }

  // ---- links ------------------------------------------------------------------

  joinUrl(code: string): string {
    return `${this.config.publicUrl}/j/${code}`;
  }

  mentorJoinUrl(code: string): string {
    return `${this.config.publicUrl}/m/${code}`;
  }

  /** A personal link: the token rides in the fragment, which browsers never send to a server. */
  personalUrl(code: string, participant: Participant, token: string): string {
    const base = participant.role === 'mentor' ? this.mentorJoinUrl(code) : this.joinUrl(code);
    return `${base}#t=${token}`;
  }

  // ---- events -----------------------------------------------------------------

  /** `address`: who asks, to cap the events one network keeps waiting in the lobby. */
  async createEvent(input: CreateEventInput, address?: string): Promise<CreatedEvent> {
    const createdFrom = address === undefined ? undefined : sha256(`address ${address}`);
    if (createdFrom && (await this.store.countLobbyEvents(createdFrom)) >= this.config.maxLobbyEventsPerAddress) {
      throw new HttpError(
        429,
        `This network already has ${this.config.maxLobbyEventsPerAddress} events waiting in the lobby. Start or delete one of them first ` +
          `(an event nobody touches for ${this.config.lobbyExpiryDays} days is deleted by itself).`,
      );
    }
    const organizerKey = newSecret();
    for (let attempt = 0; attempt < 10; attempt++) {
      const event: EventRecord = {
        id: newId(),
        code: newJoinCode(),
        name: input.name,
        rounds: input.rounds,
        roundSeconds: input.roundSeconds,
        changeoverSeconds: input.changeoverSeconds,
        seatsPerTable: input.seatsPerTable,
        topics: input.topics,
        organizerKeyHash: sha256(organizerKey),
        seed: newSeed(),
        createdAt: this.now(),
        ...(createdFrom ? { createdFrom } : {}),
      };
      if (!(await this.store.createEvent(event, lobbyState()))) continue; // join code taken: draw another
      const base = this.config.publicUrl;
      return {
        id: event.id,
        code: event.code,
        organizerKey,
        joinUrl: this.joinUrl(event.code),
        mentorJoinUrl: this.mentorJoinUrl(event.code),
        screenUrl: `${base}/screen/${event.id}`,
        controlUrl: `${base}/control/${event.id}#key=${organizerKey}`,
      };
    }
    throw new HttpError(503, 'Could not find a free join code; try again.');
  }

  async requireEvent(eventId: string): Promise<EventRecord> {
    const event = await this.store.getEvent(eventId);
    if (!event) throw notFound('There is no event with that id — check the link.');
    return event;
  }

  /** The event, if `key` is its organizer key. */
  async authorizeOrganizer(eventId: string, key: string | undefined): Promise<EventRecord> {
    const event = await this.requireEvent(eventId);
    if (!key) throw new HttpError(401, 'This needs the organizer key: send it as "Authorization: Bearer <organizerKey>".');
    if (!matchesHash(key, event.organizerKeyHash)) throw new HttpError(403, 'That organizer key is not the one for this event.');
    return event;
  }

  /** Who holds this participant token. */
  async participantForToken(token: string | undefined): Promise<{ event: EventRecord; participant: Participant }> {
    if (!token) throw new HttpError(401, 'Send your participant token as "Authorization: Bearer <token>".');
    return this.participantForTokenHash(sha256(token));
  }

  /**
   * Who holds the token with this hash, now. A socket keeps the hash it connected with and
   * asks again before each message, so a link replaced or a person removed stops counting
   * at once, before their disconnect arrives.
   */
  async participantForTokenHash(tokenHash: string): Promise<{ event: EventRecord; participant: Participant }> {
    const owner = await this.store.ownerOfToken(tokenHash);
    // Checked before every socket rating: the two reads go out together.
    const [event, participant] = owner
      ? await Promise.all([this.store.getEvent(owner.eventId), this.store.getParticipant(owner.eventId, owner.participantId)])
      : [null, null];
    if (!event || !participant) throw new HttpError(401, 'That sign-in is not known here (the event may have been deleted) — join again.');
    if (participant.removed) throw new HttpError(401, 'The organizer took you off this event — ask them if that is a mistake, or join again.');
    return { event, participant };
  }

  get retentionDays(): number {
    return this.config.retentionDays;
  }

  /** True when the store can serve requests. */
  ping(): Promise<boolean> {
    return this.store.ping();
  }

  /** Events whose current phase ends at or before `now` (for advanceIfDue). */
  dueEvents(now: number): Promise<string[]> {
    return this.store.dueEvents(now);
  }

  /**
   * Wrong join codes from one address (`key`) in the last `windowSeconds`: `add` 1 counts
   * one more, 0 just reads. Joins from an address that guessed too often wait.
   */
  wrongCodes(key: string, windowSeconds: number, add: 0 | 1): Promise<number> {
    return this.store.attempts(key, windowSeconds, add);
  }

  async deleteEvent(eventId: string): Promise<void> {
    await this.store.deleteEvent(eventId);
    this.forget(eventId);
    this.changed(eventId);
    this.notifier.eventDeleted(eventId, 'deleted');
  }

  /** Deletes the events whose time is up (retention over, or left in the lobby); pages still open on them are told. */
  async sweep(now: number): Promise<string[]> {
    const deleted = await this.store.sweep(now);
    for (const eventId of deleted) {
      this.forget(eventId);
      this.changed(eventId);
      this.notifier.eventDeleted(eventId, 'expired');
    }
    return deleted;
  }

  private forget(eventId: string): void {
    this.lookups.forget(eventId);
    this.planCache.forget(eventId);
  }

  // ---- people -----------------------------------------------------------------

  async join(input: JoinInput): Promise<JoinResult> {
    const eventId = await this.store.eventIdByCode(input.code);
    const event = eventId && (await this.store.getEvent(eventId));
    if (!event) throw notFound(`There is no event with the code ${input.code} — check the code on the screen.`);
    const [added] = await this.addPeople(event, [{ name: input.name, role: input.role, topics: input.topics, goal: input.goal }]);
    if (!added) throw new HttpError(500, 'Joining failed; try again.');
    return { eventId: event.id, participantId: added.participant.id, token: added.token };
  }

  /**
   * Lets people in, all or none. Someone arriving during a changeover gets a seat in the
   * plan already shown, if there is one free; otherwise they are seated from the next plan.
   */
  async addPeople(event: EventRecord, people: PersonInput[]): Promise<AddedParticipant[]> {
    const state = await this.store.getState(event.id);
    if (!state) throw notFound('There is no event with that id — check the link.');
    if (state.status === 'ended') throw conflict('This event has ended; ask the organizer for the next one.');
    const count = await this.store.countParticipants(event.id);
    if (count + people.length > this.config.maxParticipants) {
      throw conflict(
        people.length === 1
          ? `This event is full (${this.config.maxParticipants} people); ask the organizer.`
          : `This would take the event past its ${this.config.maxParticipants} people (it has ${count}); nothing was imported.`,
      );
    }
    const joinedAt = this.now();
    const tokens = people.map(() => newSecret());
    const fresh: Participant[] = people.map((p) => ({
      id: newId(),
      name: p.name,
      role: p.role,
      topics: p.topics,
      ...(p.goal ? { goal: p.goal } : {}),
      ...(p.email ? { email: p.email } : {}),
      joinedAt,
      joinedRound: state.round,
    }));
    const saved = await this.store.addParticipants(event.id, fresh, tokens.map(sha256));
    await this.reviseShownPlan(event);
    this.changed(event.id);
    this.notifier.rosterChanged(event.id);
    return saved.map((participant, i) => ({ participant, token: tokens[i] ?? '' }));
  }

  /** Everyone still on the event (not removed), for checks like "is this email already here?". */
  async activeParticipants(eventId: string): Promise<Participant[]> {
    return (await this.store.listParticipants(eventId)).filter((p) => !p.removed);
  }

  /** A person still on the event, or a 404 that says so. */
  private async requirePerson(eventId: string, participantId: string): Promise<Participant> {
    const participant = await this.store.getParticipant(eventId, participantId);
    if (!participant || participant.removed) throw notFound('There is nobody with that id in this event (they may have been removed).');
    return participant;
  }

  /** Marks someone absent (left out of the next rounds) or present again: the organizer, or the person on their phone. */
  async setPresence(eventId: string, participantId: string, present: boolean): Promise<Participant> {
    const event = await this.requireEvent(eventId);
    await this.requirePerson(eventId, participantId);
    const updated = await this.store.changeParticipant(eventId, participantId, (p) => {
      const next = { ...p };
      if (present) delete next.absent;
      else next.absent = true;
      return next;
    });
    if (!updated) throw notFound('There is nobody with that id in this event.');
    await this.reviseShownPlan(event);
    this.changed(eventId);
    this.notifier.rosterChanged(eventId);
    this.notifier.peopleChanged(eventId, [participantId]);
    return updated;
  }

  /** "I have to leave" / "I'm back" from the person's own phone; not once the event is over. */
  async setOwnPresence(eventId: string, participant: Participant, present: boolean): Promise<Participant> {
    const state = await this.store.getState(eventId);
    if (state?.status === 'ended') throw conflict('The event has ended: there are no more rounds to leave or come back to.');
    return this.setPresence(eventId, participant.id, present);
  }

  /**
   * Takes someone off the event: out of the roster and every later plan, and their link
   * stops working. Rounds already held keep them, so the exports keep every pairing and rating.
   */
  async removePerson(eventId: string, participantId: string): Promise<void> {
    const event = await this.requireEvent(eventId);
    await this.requirePerson(eventId, participantId);
    await this.store.changeParticipant(eventId, participantId, (p) => {
      const next: Participant = { ...p, removed: true };
      delete next.pin;
      return next;
    });
    await this.reviseShownPlan(event);
    this.changed(eventId);
    this.notifier.rosterChanged(eventId);
    this.notifier.linkRevoked(eventId, participantId);
  }

  /** A fresh personal link for someone; the old one stops working at once. */
  async newLink(event: EventRecord, participantId: string): Promise<{ participant: Participant; token: string }> {
    const participant = await this.requirePerson(event.id, participantId);
    const token = newSecret();
    if (!(await this.store.replaceToken(event.id, participantId, sha256(token)))) throw notFound('There is nobody with that id in this event.');
    this.notifier.linkRevoked(event.id, participantId);
    return { participant, token };
  }

  /**
   * Seats a mentee at `table` in the coming round (null takes the move back). If that
   * round is already shown, it is re-planned at once: a full table makes room by moving
   * the mentee there who has had the most sessions; nobody else moves.
   */
  async moveMentee(eventId: string, participantId: string, table: number | null): Promise<MoveResult> {
    const event = await this.requireEvent(eventId);
    const person = await this.requirePerson(eventId, participantId);
    if (person.role !== 'mentee') throw conflict('Mentors keep their table for the whole event; move one of their mentees instead.');
    if (table === null) {
      await this.store.changeParticipant(eventId, participantId, (p) => {
        const next = { ...p };
        delete next.pin;
        return next;
      });
      this.changed(eventId);
      this.notifier.rosterChanged(eventId);
      return { id: participantId, pin: null, planned: false, displaced: [] };
    }
    if (person.absent) throw conflict(`${person.name} is marked absent: mark them present first, then move them.`);
    const [state, { participants, plans }] = await Promise.all([this.store.getState(eventId), this.store.listPeopleAndPlans(eventId)]);
    if (!state) throw notFound('There is no event with that id — check the link.');
    const round = roundAhead(state, event.rounds);
    if (round === null) throw conflict('There is no round left to move anyone into.');
    const mentor = participants.find((p) => p.role === 'mentor' && p.table === table && !p.removed);
    if (!mentor) {
      const tables = participants.filter((p) => p.role === 'mentor' && !p.removed && p.table !== undefined).map((p) => p.table!).sort((a, b) => a - b);
      throw conflict(`There is no table ${table}${tables.length ? `; the tables are ${tables.join(', ')}` : ''}.`);
    }
    if (mentor.absent) throw conflict(`Table ${table}'s mentor, ${mentor.name}, is marked absent, so nobody sits there next round. Pick another table.`);
    const metIn = plans.find((plan) => plan.round < round && plan.tables.some((t) => t.mentorId === mentor.id && t.menteeIds.includes(participantId)));
    if (metIn) throw conflict(`${person.name} already met ${mentor.name} (table ${table}) in round ${metIn.round}; a mentee meets each mentor once. Pick another table.`);
    const shown = state.phase === 'changeover' ? plans.find((p) => p.round === round) : undefined;
    if (shown) {
      const others = pinsFor(round, participants).filter((p) => p.menteeId !== participantId);
      const input = matchInputFor(event, round, participants, plans);
      const pin = { menteeId: participantId, table };
      const problem = pinProblem(shown, pin, input, others);
      if (problem === 'full-of-pins') {
        throw conflict(`Every seat at table ${table} in round ${round} is taken by someone you moved there; move one of them elsewhere first.`);
      }
      if (problem === 'unfair') {
        const displacedId = whoMakesRoom(shown, pin, input, new Set(others.map((p) => p.menteeId)));
        const displaced = participants.find((p) => p.id === displacedId);
        const sessions = (id: string) => input.mentees.find((m) => m.id === id)?.sessions ?? 0;
        throw conflict(
          `Table ${table} is full in round ${round}, and ${displaced?.name ?? 'the mentee there'} would have to sit out with fewer sessions ` +
            `(${sessions(displacedId ?? '')}) than ${person.name} (${sessions(participantId)}). Pick another table, or let ${person.name} sit this round out.`,
        );
      }
    }
    await this.store.changeParticipant(eventId, participantId, (p) => ({ ...p, pin: { round, table } }));
    const revised = await this.reviseShownPlan(event);
    this.changed(eventId);
    this.notifier.rosterChanged(eventId);
    const displaced =
      shown && revised
        ? shown.tables
            .find((t) => t.table === table)!
            .menteeIds.filter((id) => id !== participantId && !revised.tables.find((t) => t.table === table)?.menteeIds.includes(id))
            .map((id) => ({
              id,
              name: participants.find((p) => p.id === id)?.name ?? '',
              table: revised.tables.find((t) => t.menteeIds.includes(id))?.table ?? null,
            }))
        : [];
    return { id: participantId, pin: { round, table }, planned: Boolean(shown), displaced };
  }

  /**
   * During a changeover the next plan is already on people's phones. When who is here
   * changes, only the people who must move get a new seat; everyone else keeps theirs.
   */
  private async reviseShownPlan(event: EventRecord): Promise<SeatingPlan | null> {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const state = await this.store.getState(event.id);
      if (!state || state.phase !== 'changeover' || state.round >= event.rounds) return null;
      const round = state.round + 1;
      const lists = await this.store.listPeopleAndPlans(event.id);
      const { participants, plans } = lists;
      const shown = plans.find((p) => p.round === round);
      if (!shown) return null;
      const input = matchInputFor(event, round, participants, plans);
      const revised = { ...seatPins(replanRound(shown, input), pinsFor(round, participants), input), madeFrom: lists.versions };
      if (sameSeating(revised, shown)) return shown;
      if (await this.store.commit(event.id, state.version, { ...state, version: state.version + 1 }, [revised])) {
        this.changed(event.id);
        this.notifier.seatsChanged(event.id, peopleWhoseSeatChanged(shown, revised));
        return revised;
      }
    }
    return null;
  }

  // ---- the clock ----------------------------------------------------------------

  async act(eventId: string, action: OrganizerActionName, seconds?: number, from?: { phase: string; round: number }): Promise<void> {
    // Two organizers pressing "skip" at the same instant mean the same phase: once the event
    // has left it (the phase they saw, or the one found on the first try), the skip is done.
    let pressedOn = from ? `${from.phase}:${from.round}` : undefined;
    await this.transition(eventId, (state, event, now) => {
      const phase = `${state.phase}:${state.round}`;
      pressedOn ??= phase;
      if (action === 'skip' && phase !== pressedOn) return state;
      const result = applyAction(state, event, action, now, seconds);
      if (!result.ok) throw new HttpError(result.status, result.message);
      return result.state;
    });
  }

  /** Moves a due phase on. Safe to call from every instance: only one commit wins. */
  async advanceIfDue(eventId: string): Promise<void> {
    await this.transition(eventId, (state, event, now) => advanceDue(state, event, now));
  }

  /**
   * Reads the clock, computes the next state, makes the seating plan that state needs,
   * and commits both with a compare-and-set; retries if another change got in first.
   */
  private async transition(eventId: string, compute: (state: RoundState, event: EventRecord, now: number) => RoundState): Promise<void> {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const [event, state] = await Promise.all([this.store.getEvent(eventId), this.store.getState(eventId)]);
      if (!event || !state) throw notFound('There is no event with that id — check the link.');
      const computed = compute(state, event, this.now());
      if (computed === state) return;
      const plans = await this.plansNeeded(event, computed);
      // Stamped after planning, just before the commit: the bench measures delivery from here.
      const next = { ...computed, changedAt: this.now() };
      if (await this.store.commit(eventId, state.version, next, plans)) {
        this.changed(eventId);
        this.notifier.phaseChanged(eventId, next.phase !== state.phase || next.round !== state.round);
        return;
      }
    }
    throw new HttpError(503, 'The event is busy right now; try again.');
  }

  private async plansNeeded(event: EventRecord, state: RoundState): Promise<SeatingPlan[]> {
    const round = roundNeedingPlan(state, event.rounds);
    if (round === null || (await this.store.getPlan(event.id, round))) return [];
    return [await this.makePlan(event, round)];
  }

  /**
   * Seats the round people move into next while the lobby or a talk still runs, so that the
   * start or the changeover finds it made: the plan cache hands the same plan to makePlan
   * while the people and plans are still at the versions it was made from. Null when there
   * is nothing to seat ahead.
   */
  async seatAhead(eventId: string): Promise<{ plan: SeatingPlan; people: ReadonlyMap<string, Participant>; versions: ListVersions } | null> {
    const [event, state, lists] = await Promise.all([this.store.getEvent(eventId), this.store.getState(eventId), this.store.listPeopleAndPlans(eventId)]);
    if (!event || !state || state.status === 'ended' || (state.phase !== 'lobby' && state.phase !== 'talk')) return null;
    const round = roundAhead(state, event.rounds);
    if (round === null || lists.plans.some((p) => p.round === round)) return null;
    const plan = await this.planCache.plan(event, round, lists);
    return { plan, people: this.lookups.of(eventId, lists).people, versions: lists.versions };
  }

  /** Seats round `round` from everyone present and what earlier rounds tell (off the main thread). */
  async makePlan(event: EventRecord, round: number): Promise<SeatingPlan> {
    return this.planCache.plan(event, round, await this.store.listPeopleAndPlans(event.id));
  }

  // ---- ratings ------------------------------------------------------------------

  async rate(eventId: string, rater: Participant, input: RatingInput): Promise<void> {
    const state = await this.store.getState(eventId);
    if (!state) throw notFound('There is no event with that id — check the link.');
    if (state.phase === 'lobby' || input.round > state.round) throw conflict(`Round ${input.round} has not taken place yet.`);
    const plan = await this.store.getPlan(eventId, input.round);
    if (!plan || !satTogether(plan, rater.id, input.targetId)) {
      throw new HttpError(403, `You can only rate someone you sat with in round ${input.round}.`);
    }
    await this.store.saveRating(eventId, {
      round: input.round,
      raterId: rater.id,
      targetId: input.targetId,
      score: input.score,
      tags: input.tags,
      ...(input.note ? { note: input.note } : {}),
      at: this.now(),
    });
    this.changed(eventId);
    this.notifier.ratingsChanged(eventId);
  }

  // ---- follow-ups -------------------------------------------------------------------

  private async requireEnded(eventId: string): Promise<EventSnapshot> {
    const snapshot = await this.load(eventId);
    if (snapshot.state.status !== 'ended') throw conflict('Follow-ups open when the event ends: tick them on your end screen then.');
    return snapshot;
  }

  /** "I'd like to follow up with …" (or not any more), for someone met; both are told when it becomes mutual. */
  async setFollowUp(eventId: string, participant: Participant, targetId: string, follow: boolean): Promise<void> {
    const snapshot = await this.requireEnded(eventId);
    if (!peopleMet(snapshot, participant.id).includes(targetId)) {
      throw new HttpError(403, 'You can only follow up with someone you sat with at a table.');
    }
    await this.store.setFollowUp(eventId, participant.id, targetId, follow);
    this.changed(eventId);
    this.notifier.peopleChanged(eventId, [participant.id, targetId]);
  }

  /** The email shared with those who tick this person back (null removes it). */
  async setContact(eventId: string, participant: Participant, email: string | null): Promise<void> {
    const snapshot = await this.requireEnded(eventId);
    await this.store.changeParticipant(eventId, participant.id, (p) => {
      const next = { ...p };
      if (email) next.email = email;
      else delete next.email;
      return next;
    });
    this.changed(eventId);
    this.notifier.peopleChanged(eventId, [participant.id, ...peopleMet(snapshot, participant.id)]);
  }

  // ---- loading (the views are pure functions of what is loaded: server/views/) ----

  /**
   * A committed change to this event, here or on another instance: views asked for from
   * now on are read afresh. Called before the notifier is told, and by the fan-out for
   * changes other instances announce.
   */
  changed(eventId: string): void {
    this.snapshots.changed(eventId);
    this.ratings.changed(eventId);
  }

  /** Everything the views of one event are built from (shared with readers asking at the same time: do not modify). */
  load(eventId: string): Promise<EventSnapshot> {
    return this.snapshots.get(eventId);
  }

  /** Every rating of the event (shared like `load`). */
  listRatings(eventId: string): Promise<Rating[]> {
    return this.ratings.get(eventId);
  }

  /** Every follow-up ticked, whatever the phase (the export's). */
  listFollowUps(eventId: string): Promise<FollowUp[]> {
    return this.store.listFollowUps(eventId);
  }

  /** The moment views are made for, and the links they show. */
  viewContext(): ViewContext {
    return { now: this.now(), joinUrl: (code) => this.joinUrl(code) };
  }

  private async read(eventId: string): Promise<EventSnapshot> {
    const [event, state, lists, ratingsGiven] = await Promise.all([
      this.store.getEvent(eventId),
      this.store.getState(eventId),
      this.store.listPeopleAndPlans(eventId),
      this.store.countRatings(eventId),
    ]);
    if (!event || !state) throw notFound('There is no event with that id — check the link.');
    const followUps = state.status === 'ended' ? await this.store.listFollowUps(eventId) : [];
    return {
      event,
      state,
      ...this.lookups.of(eventId, lists),
      versions: lists.versions,
      ratingsGiven,
      followUps,
    };
  }
}
