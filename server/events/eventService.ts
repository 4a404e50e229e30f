// What Tablehop does, independent of HTTP or sockets: create an event, let people in,
// move the clock, seat rounds, take ratings. Handlers validate input and call this;
// every change of the clock goes through one compare-and-set in the Store.
import type {
  CreatedEvent,
  EventRecord,
  EventSummary,
  JoinResult,
  MeView,
  OrganizerActionName,
  Participant,
  PublicEventState,
  Rating,
  RoundState,
  SeatingPlan,
} from '../../shared/domain';
import { advanceDue, applyAction, lobbyState, remainingMsAt, roundNeedingPlan } from '../../shared/roundEngine';
import type { CreateEventInput, JoinInput, PersonInput, RatingInput } from '../../shared/schemas';
import { peopleWhoseSeatChanged, publicTables, satTogether, seatOf } from '../../shared/seats';
import { historyBefore } from '../../shared/matching/history';
import { planRound } from '../../shared/matching/planRound';
import { replanRound } from '../../shared/matching/replanRound';
import type { MatchInput } from '../../shared/matching/types';
import type { Config } from '../config';
import { HttpError, conflict, notFound } from '../errors';
import { matchesHash, newId, newJoinCode, newSecret, newSeed, sha256 } from '../secrets';
import type { Store } from '../store/Store';
import { SharedReads } from './sharedReads';

/** Told about every committed change so connected screens and phones can be updated. */
export interface EventNotifier {
  /** `seats`: whether seats or next seats may have moved with the phase (false for pause, resume, extend). */
  phaseChanged(eventId: string, seats: boolean): void;
  rosterChanged(eventId: string): void;
  ratingsChanged(eventId: string): void;
  seatsChanged(eventId: string, participantIds: string[]): void;
}

const silent: EventNotifier = { phaseChanged() {}, rosterChanged() {}, ratingsChanged() {}, seatsChanged() {} };

export interface AddedParticipant {
  participant: Participant;
  token: string;
}

/** A loaded event: what the views are built from. */
interface Snapshot {
  event: EventRecord;
  state: RoundState;
  people: Map<string, Participant>;
  plans: Map<number, SeatingPlan>;
  ratingsGiven: number;
}

const COMMIT_ATTEMPTS = 8;

/** Mentor–mentee exchanges in the rounds that have started. */
function exchangesHeld(state: RoundState, plans: ReadonlyMap<number, SeatingPlan>): number {
  if (state.phase === 'lobby') return 0;
  let exchanges = 0;
  for (const plan of plans.values()) {
    if (plan.round <= state.round) for (const table of plan.tables) exchanges += table.menteeIds.length;
  }
  return exchanges;
}

export class EventService {
  notifier: EventNotifier = silent;
  /** Views of one event asked for at the same moment share one read of the store. */
  private readonly snapshots = new SharedReads((eventId) => this.read(eventId));
  private readonly ratings = new SharedReads((eventId) => this.store.listRatings(eventId));

  constructor(
    readonly store: Store,
    private readonly config: Pick<Config, 'publicUrl' | 'maxParticipants'>,
    private readonly now: () => number = Date.now,
  ) {}

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

  async createEvent(input: CreateEventInput): Promise<CreatedEvent> {
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
    const owner = await this.store.ownerOfToken(sha256(token));
    const event = owner && (await this.store.getEvent(owner.eventId));
    const participant = owner && (await this.store.getParticipant(owner.eventId, owner.participantId));
    if (!event || !participant) throw new HttpError(401, 'That sign-in is not known here (the event may have been deleted) — join again.');
    return { event, participant };
  }

  async deleteEvent(eventId: string): Promise<void> {
    await this.store.deleteEvent(eventId);
    this.changed(eventId);
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

  /** Marks someone absent (left out of the next rounds) or present again. */
  async setPresence(eventId: string, participantId: string, present: boolean): Promise<Participant> {
    const event = await this.requireEvent(eventId);
    const participant = await this.store.getParticipant(eventId, participantId);
    if (!participant) throw notFound('There is nobody with that id in this event.');
    const updated: Participant = { ...participant };
    if (present) delete updated.absent;
    else updated.absent = true;
    if (!(await this.store.updateParticipant(eventId, updated))) throw notFound('There is nobody with that id in this event.');
    await this.reviseShownPlan(event);
    this.changed(eventId);
    this.notifier.rosterChanged(eventId);
    return updated;
  }

  /**
   * During a changeover the next plan is already on people's phones. When who is here
   * changes, only the people who must move get a new seat; everyone else keeps theirs.
   */
  private async reviseShownPlan(event: EventRecord): Promise<void> {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const state = await this.store.getState(event.id);
      if (!state || state.phase !== 'changeover' || state.round >= event.rounds) return;
      const [shown, participants, plans] = await Promise.all([
        this.store.getPlan(event.id, state.round + 1),
        this.store.listParticipants(event.id),
        this.store.listPlans(event.id),
      ]);
      if (!shown) return;
      const revised = replanRound(shown, this.matchInput(event, state.round + 1, participants, plans));
      if (JSON.stringify(revised) === JSON.stringify(shown)) return;
      if (await this.store.commit(event.id, state.version, { ...state, version: state.version + 1 }, [revised])) {
        this.changed(event.id);
        this.notifier.seatsChanged(event.id, peopleWhoseSeatChanged(shown, revised));
        return;
      }
    }
  }

  /** Who the planner seats: everyone not marked absent. */
  private presentFor(participants: Participant[], sessions: ReadonlyMap<string, number>) {
    const here = participants.filter((p) => !p.absent);
    return {
      mentors: here.flatMap((p) => (p.role === 'mentor' && p.table !== undefined ? [{ id: p.id, table: p.table, topics: p.topics }] : [])),
      mentees: here.filter((p) => p.role === 'mentee').map((p) => ({ id: p.id, topics: p.topics, sessions: sessions.get(p.id) ?? 0 })),
    };
  }

  // ---- the clock ----------------------------------------------------------------

  async act(eventId: string, action: OrganizerActionName, seconds?: number, from?: { phase: string; round: number }): Promise<PublicEventState> {
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
    return this.publicState(eventId);
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

  /** Seats round `round` from everyone present and what earlier rounds tell. */
  async makePlan(event: EventRecord, round: number): Promise<SeatingPlan> {
    const [participants, plans] = await Promise.all([this.store.listParticipants(event.id), this.store.listPlans(event.id)]);
    return planRound(this.matchInput(event, round, participants, plans));
  }

  /** What the planner needs for round `round`: who is present and what the rounds before it tell. */
  private matchInput(event: EventRecord, round: number, participants: Participant[], plans: SeatingPlan[]): MatchInput {
    const history = historyBefore(plans, round);
    return {
      round,
      seatsPerTable: event.seatsPerTable,
      ...this.presentFor(participants, history.sessions),
      met: history.met,
      coSeated: history.coSeated,
      seed: event.seed,
    };
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

  // ---- views ----------------------------------------------------------------------

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
  load(eventId: string): Promise<Snapshot> {
    return this.snapshots.get(eventId);
  }

  /** Every rating of the event (shared like `load`). */
  listRatings(eventId: string): Promise<Rating[]> {
    return this.ratings.get(eventId);
  }

  private async read(eventId: string): Promise<Snapshot> {
    const [event, state, participants, plans, ratingsGiven] = await Promise.all([
      this.store.getEvent(eventId),
      this.store.getState(eventId),
      this.store.listParticipants(eventId),
      this.store.listPlans(eventId),
      this.store.countRatings(eventId),
    ]);
    if (!event || !state) throw notFound('There is no event with that id — check the link.');
    return {
      event,
      state,
      people: new Map(participants.map((p) => [p.id, p])),
      plans: new Map(plans.map((p) => [p.round, p])),
      ratingsGiven,
    };
  }

  summary({ event, state, people, plans, ratingsGiven }: Snapshot): EventSummary {
    const now = this.now();
    let mentors = 0;
    for (const p of people.values()) if (p.role === 'mentor') mentors++;
    return {
      id: event.id,
      name: event.name,
      code: event.code,
      joinUrl: this.joinUrl(event.code),
      status: state.status,
      phase: state.phase,
      round: state.round,
      rounds: event.rounds,
      roundSeconds: event.roundSeconds,
      changeoverSeconds: event.changeoverSeconds,
      seatsPerTable: event.seatsPerTable,
      topics: event.topics,
      phaseEndsAt: state.status === 'running' ? state.phaseEndsAt : null,
      remainingMs: remainingMsAt(state, now),
      serverNow: now,
      headcount: { mentors, mentees: people.size - mentors },
      version: state.version,
      changedAt: state.changedAt ?? null,
      stats: { exchanges: exchangesHeld(state, plans), ratings: ratingsGiven },
    };
  }

  /** The seating people are in now: the current round's plan during its talk and changeover. */
  currentPlan({ state, plans }: Snapshot): SeatingPlan | null {
    return state.phase === 'talk' || state.phase === 'changeover' ? (plans.get(state.round) ?? null) : null;
  }

  /** The plan people walk to during a changeover. */
  nextPlan({ state, plans }: Snapshot): SeatingPlan | null {
    return state.phase === 'changeover' ? (plans.get(state.round + 1) ?? null) : null;
  }

  publicStateOf(snapshot: Snapshot): PublicEventState {
    return {
      ...this.summary(snapshot),
      tables: publicTables(this.currentPlan(snapshot), snapshot.people),
      nextTables: publicTables(this.nextPlan(snapshot), snapshot.people),
    };
  }

  async publicState(eventId: string): Promise<PublicEventState> {
    return this.publicStateOf(await this.load(eventId));
  }

  meViewOf(snapshot: Snapshot, participant: Participant, ratings: { round: number; raterId: string; targetId: string; score: number }[]): MeView {
    const { state, plans, people } = snapshot;
    const met = [...plans.values()]
      .filter((plan) => state.phase !== 'lobby' && plan.round <= state.round)
      .sort((a, b) => a.round - b.round)
      .flatMap((plan) => {
        const seat = seatOf(plan, participant.id, people);
        return seat ? [seat] : [];
      });
    return {
      participant: { id: participant.id, name: participant.name, role: participant.role },
      event: this.summary(snapshot),
      seat: seatOf(this.currentPlan(snapshot), participant.id, people),
      nextSeat: seatOf(this.nextPlan(snapshot), participant.id, people),
      met,
      ratingsGiven: ratings
        .filter((r) => r.raterId === participant.id)
        .map((r) => ({ round: r.round, targetId: r.targetId, score: r.score })),
    };
  }

  async meView(eventId: string, participantId: string): Promise<MeView> {
    const [snapshot, ratings] = await Promise.all([this.load(eventId), this.listRatings(eventId)]);
    const participant = snapshot.people.get(participantId);
    if (!participant) throw new HttpError(401, 'That sign-in is not known here — join again.');
    return this.meViewOf(snapshot, participant, ratings);
  }
}
