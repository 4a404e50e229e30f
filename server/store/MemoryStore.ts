// The embedded store: everything in this process, for a single laptop with no setup.
// Values are cloned in and out so callers see the same copy semantics as Redis.
import type { EventRecord, Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';
import type { FollowUp, Store, TokenOwner } from './Store';

interface EventData {
  event: EventRecord;
  state: RoundState;
  plans: Map<number, SeatingPlan>;
  participants: Map<string, Participant>;
  tokenHashes: Set<string>;
  /** participantId → the hash of their current token. */
  tokenOf: Map<string, string>;
  ratings: Map<string, Rating>;
  /** "fromId toId" */
  followUps: Set<string>;
  lastTable: number;
  /** Set once the event has ended: when its data is forgotten. */
  expiresAt: number | null;
}

const ratingKey = (r: Rating) => `${r.round}:${r.raterId}:${r.targetId}`;

export class MemoryStore implements Store {
  private events = new Map<string, EventData>();
  private codes = new Map<string, string>();
  private tokens = new Map<string, TokenOwner>();

  /** @param retentionSeconds how long an ended event is kept. */
  constructor(private readonly retentionSeconds: number) {}

  private data(eventId: string): EventData | null {
    const data = this.events.get(eventId);
    if (!data) return null;
    if (data.expiresAt !== null && data.expiresAt <= Date.now()) {
      this.forget(eventId);
      return null;
    }
    return data;
  }

  private forget(eventId: string): void {
    const data = this.events.get(eventId);
    if (!data) return;
    this.codes.delete(data.event.code);
    for (const hash of data.tokenHashes) this.tokens.delete(hash);
    this.events.delete(eventId);
  }

  async createEvent(event: EventRecord, state: RoundState): Promise<boolean> {
    const holder = this.codes.get(event.code);
    if ((holder && this.data(holder)) || this.events.has(event.id)) return false;
    this.codes.set(event.code, event.id);
    this.events.set(event.id, {
      event: structuredClone(event),
      state: structuredClone(state),
      plans: new Map(),
      participants: new Map(),
      tokenHashes: new Set(),
      tokenOf: new Map(),
      ratings: new Map(),
      followUps: new Set(),
      lastTable: 0,
      expiresAt: null,
    });
    return true;
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const data = this.data(eventId);
    return data ? structuredClone(data.event) : null;
  }

  async eventIdByCode(code: string): Promise<string | null> {
    const id = this.codes.get(code);
    return id && this.data(id) ? id : null;
  }

  async getState(eventId: string): Promise<RoundState | null> {
    const data = this.data(eventId);
    return data ? structuredClone(data.state) : null;
  }

  async commit(eventId: string, expectedVersion: number, next: RoundState, plans: SeatingPlan[] = []): Promise<boolean> {
    const data = this.data(eventId);
    if (!data || data.state.version !== expectedVersion) return false;
    data.state = structuredClone(next);
    for (const plan of plans) data.plans.set(plan.round, structuredClone(plan));
    if (next.status === 'ended' && data.expiresAt === null) data.expiresAt = Date.now() + this.retentionSeconds * 1000;
    return true;
  }

  async getPlan(eventId: string, round: number): Promise<SeatingPlan | null> {
    const plan = this.data(eventId)?.plans.get(round);
    return plan ? structuredClone(plan) : null;
  }

  async listPlans(eventId: string): Promise<readonly SeatingPlan[]> {
    const data = this.data(eventId);
    if (!data) return [];
    return [...data.plans.values()].sort((a, b) => a.round - b.round).map((p) => structuredClone(p));
  }

  async addParticipants(eventId: string, participants: Participant[], tokenHashes: string[]): Promise<Participant[]> {
    const data = this.data(eventId);
    if (!data) throw new Error(`event ${eventId} does not exist`);
    const added = participants.map((p) => {
      const copy = structuredClone(p);
      if (copy.role === 'mentor' && copy.table === undefined) copy.table = ++data.lastTable;
      return copy;
    });
    added.forEach((p, i) => {
      data.participants.set(p.id, p);
      const hash = tokenHashes[i];
      if (hash) {
        data.tokenHashes.add(hash);
        data.tokenOf.set(p.id, hash);
        this.tokens.set(hash, { eventId, participantId: p.id });
      }
    });
    return structuredClone(added);
  }

  async listParticipants(eventId: string): Promise<readonly Participant[]> {
    const data = this.data(eventId);
    return data ? [...data.participants.values()].map((p) => structuredClone(p)) : [];
  }

  async getParticipant(eventId: string, participantId: string): Promise<Participant | null> {
    const p = this.data(eventId)?.participants.get(participantId);
    return p ? structuredClone(p) : null;
  }

  async changeParticipant(eventId: string, participantId: string, change: (participant: Participant) => Participant): Promise<Participant | null> {
    const data = this.data(eventId);
    const stored = data?.participants.get(participantId);
    if (!data || !stored) return null;
    const next = structuredClone(change(structuredClone(stored)));
    data.participants.set(participantId, next);
    return structuredClone(next);
  }

  async replaceToken(eventId: string, participantId: string, tokenHash: string): Promise<boolean> {
    const data = this.data(eventId);
    if (!data?.participants.has(participantId)) return false;
    const old = data.tokenOf.get(participantId);
    if (old) {
      data.tokenHashes.delete(old);
      this.tokens.delete(old);
    }
    data.tokenOf.set(participantId, tokenHash);
    data.tokenHashes.add(tokenHash);
    this.tokens.set(tokenHash, { eventId, participantId });
    return true;
  }

  async setFollowUp(eventId: string, fromId: string, toId: string, follow: boolean): Promise<void> {
    const data = this.data(eventId);
    if (!data) throw new Error(`event ${eventId} does not exist`);
    if (follow) data.followUps.add(`${fromId} ${toId}`);
    else data.followUps.delete(`${fromId} ${toId}`);
  }

  async listFollowUps(eventId: string): Promise<FollowUp[]> {
    const data = this.data(eventId);
    if (!data) return [];
    return [...data.followUps].map((pair) => {
      const [fromId = '', toId = ''] = pair.split(' ');
      return { fromId, toId };
    });
  }

  async ownerOfToken(tokenHash: string): Promise<TokenOwner | null> {
    const owner = this.tokens.get(tokenHash);
    return owner && this.data(owner.eventId) ? { ...owner } : null;
  }

  async saveRating(eventId: string, rating: Rating): Promise<void> {
    const data = this.data(eventId);
    if (!data) throw new Error(`event ${eventId} does not exist`);
    data.ratings.set(ratingKey(rating), structuredClone(rating));
  }

  async countRatings(eventId: string): Promise<number> {
    return this.data(eventId)?.ratings.size ?? 0;
  }

  async listRatings(eventId: string): Promise<Rating[]> {
    const data = this.data(eventId);
    return data ? [...data.ratings.values()].map((r) => structuredClone(r)) : [];
  }

  async countParticipants(eventId: string): Promise<number> {
    return this.data(eventId)?.participants.size ?? 0;
  }

  private counters = new Map<string, { count: number; expiresAt: number }>();

  async attempts(key: string, windowSeconds: number, add: 0 | 1): Promise<number> {
    const now = Date.now();
    let counter = this.counters.get(key);
    if (!counter || counter.expiresAt <= now) {
      if (!add) return 0;
      if (this.counters.size > 100_000) for (const [k, c] of this.counters) if (c.expiresAt <= now) this.counters.delete(k);
      counter = { count: 0, expiresAt: now + windowSeconds * 1000 };
      this.counters.set(key, counter);
    }
    counter.count += add;
    return counter.count;
  }

  async dueEvents(now: number): Promise<string[]> {
    const due: string[] = [];
    for (const [id, data] of this.events) {
      if (data.expiresAt !== null && data.expiresAt <= now) this.forget(id);
      else if (data.state.status === 'running' && data.state.phaseEndsAt !== null && data.state.phaseEndsAt <= now) due.push(id);
    }
    return due;
  }

  async deleteEvent(eventId: string): Promise<void> {
    this.forget(eventId);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
