// The embedded store: one SQLite file (WAL, synchronous FULL) for a single laptop with no
// setup. A write's promise resolves only once its transaction is on disk, so a reply never
// acknowledges something a crash or a power cut could take back. Tables: sqliteSchema.ts.
//
// Group commit: the writes that arrive while the event loop is busy are committed together,
// one transaction and one fsync for all of them (each in a savepoint of its own, so one
// that fails changes nothing and the others still land). An fsync waits for the disk, so
// one per join would cap a join burst at the disk's flush rate (docs/performance.md).
//
// This process holds the file's exclusive lock, so it is the only writer: the parsed,
// frozen participants and plans of the events read lately are kept with their version
// counters and updated by each write, so a phase change at a big event does not parse
// thousands of participants again.
import type Database from 'better-sqlite3';
import type { EventRecord, ListVersions, Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';
import { deepFreeze } from '../deepFreeze';
import { openDataFile } from './sqliteFile';
import { isStoreFull } from './unavailable';
import type { FollowUp, PeopleAndPlans, Store, TokenOwner } from './Store';

/** Parsed lists kept between reads: the participants and the plans of the 16 events read last. */
const KEPT_READS = 32;

export interface SqliteStoreOptions {
  /** The data file, or ':memory:' for a database that lives and dies with the process. */
  file: string;
  /** How long an ended event is kept, in seconds. */
  retentionSeconds: number;
  /** How long an event that never started is kept after its last change, in seconds. */
  lobbyExpirySeconds: number;
}

interface EventRow {
  version: number;
  status: string;
  ended_at: number | null;
  last_table: number;
}

interface PendingWrite {
  /** Runs inside the batch's transaction, in a savepoint of its own. */
  run: () => unknown;
  /** Runs once the batch is committed, before the promise resolves: keeps the kept lists in step. */
  after: ((result: never) => void) | undefined;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;
const frozen = <T>(text: string): T => deepFreeze(JSON.parse(text) as T);

export class SqliteStore implements Store {
  /** The open database. Tests reach in to provoke a full disk (PRAGMA max_page_count). */
  readonly db: Database.Database;
  /** By "eventId part": the list as of `version` of that part's counter. */
  private readonly kept = new Map<string, { version: number; list: readonly object[] }>();
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly sql;
  private pending: PendingWrite[] = [];

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openDataFile(options.file);
    const db = this.db;
    this.sql = {
      createEvent: db.prepare(
        `INSERT INTO events (id, code, record, state, version, status, due_at, expires_at)
         VALUES (@id, @code, @record, @state, @version, @status, NULL, @expiresAt) ON CONFLICT DO NOTHING`,
      ),
      event: db.prepare('SELECT record FROM events WHERE id = ?').pluck(),
      eventRow: db.prepare('SELECT version, status, ended_at, last_table FROM events WHERE id = ?'),
      idByCode: db.prepare('SELECT id FROM events WHERE code = ?').pluck(),
      state: db.prepare('SELECT state FROM events WHERE id = ?').pluck(),
      writeState: db.prepare(
        `UPDATE events SET state = @state, version = @version, status = @status, due_at = @dueAt, ended_at = @endedAt, expires_at = @expiresAt
         WHERE id = @id`,
      ),
      // Any write to an event still in the lobby counts as activity: it keeps it from expiring.
      touch: db.prepare(`UPDATE events SET expires_at = @expiresAt WHERE id = @id AND status = 'lobby'`),
      setLastTable: db.prepare('UPDATE events SET last_table = ? WHERE id = ?'),
      versions: db.prepare('SELECT participants_version AS participants, plans_version AS plans FROM events WHERE id = ?'),
      bumpParticipants: db.prepare('UPDATE events SET participants_version = participants_version + 1 WHERE id = ? RETURNING participants_version').pluck(),
      bumpPlans: db.prepare('UPDATE events SET plans_version = plans_version + 1 WHERE id = ? RETURNING plans_version').pluck(),
      writePlan: db.prepare('INSERT OR REPLACE INTO plans (event_id, round, record) VALUES (?, ?, ?)'),
      plan: db.prepare('SELECT record FROM plans WHERE event_id = ? AND round = ?').pluck(),
      plans: db.prepare('SELECT record FROM plans WHERE event_id = ? ORDER BY round').pluck(),
      addParticipant: db.prepare('INSERT INTO participants (event_id, id, record, token_hash) VALUES (?, ?, ?, ?)'),
      participant: db.prepare('SELECT record FROM participants WHERE event_id = ? AND id = ?').pluck(),
      participants: db.prepare('SELECT record FROM participants WHERE event_id = ? ORDER BY rowid').pluck(),
      writeParticipant: db.prepare('UPDATE participants SET record = ? WHERE event_id = ? AND id = ?'),
      countParticipants: db.prepare('SELECT count(*) FROM participants WHERE event_id = ?').pluck(),
      owner: db.prepare('SELECT event_id AS eventId, id AS participantId FROM participants WHERE token_hash = ?'),
      replaceToken: db.prepare('UPDATE participants SET token_hash = ? WHERE event_id = ? AND id = ?'),
      follow: db.prepare('INSERT OR IGNORE INTO follow_ups (event_id, from_id, to_id) VALUES (?, ?, ?)'),
      unfollow: db.prepare('DELETE FROM follow_ups WHERE event_id = ? AND from_id = ? AND to_id = ?'),
      followUps: db.prepare('SELECT from_id AS fromId, to_id AS toId FROM follow_ups WHERE event_id = ?'),
      saveRating: db.prepare('INSERT OR REPLACE INTO ratings (event_id, round, rater_id, target_id, record) VALUES (?, ?, ?, ?, ?)'),
      ratings: db.prepare('SELECT record FROM ratings WHERE event_id = ?').pluck(),
      countRatings: db.prepare('SELECT count(*) FROM ratings WHERE event_id = ?').pluck(),
      due: db.prepare('SELECT id FROM events WHERE due_at <= ?').pluck(),
      expired: db.prepare('SELECT id FROM events WHERE expires_at <= ?').pluck(),
      deleteEvent: db.prepare('DELETE FROM events WHERE id = ?'),
      // A full look at the events in the lobby: a handful per organizer, checked once per event created.
      lobbyFrom: db.prepare(`SELECT count(*) FROM events WHERE status = 'lobby' AND json_extract(record, '$.createdFrom') = ?`).pluck(),
      deleteExpired: db.prepare('DELETE FROM events WHERE id = ? AND expires_at <= ?'),
    };
  }

  /**
   * Queues a write for the next group commit; resolves with what `run` returned once it is
   * on disk. `run` sees the writes queued before it (they run in order, in one transaction).
   */
  private write<T>(run: () => T, after?: (result: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.db.open) return reject(new Error('the store is closed'));
      if (this.pending.length === 0) setImmediate(() => this.commitPending());
      this.pending.push({ run: this.db.transaction(run), after: after as PendingWrite['after'], resolve: resolve as PendingWrite['resolve'], reject });
    });
  }

  private commitPending(): void {
    const batch = this.pending;
    this.pending = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db
        .transaction(() => {
          for (const write of batch) {
            try {
              outcomes.push({ ok: true, value: write.run() });
            } catch (error) {
              // A full disk (or any error that ended the whole transaction) fails the whole
              // batch, rolled back: nothing of it is half-written. Any other error was
              // rolled back to the write's own savepoint and fails that write alone.
              if (isStoreFull(error) || !this.db.inTransaction) throw error;
              outcomes.push({ ok: false, value: error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const { ok, value } = outcomes[i]!;
      if (!ok) return write.reject(value);
      write.after?.(value as never);
      write.resolve(value as never);
    });
  }

  /** When an event in the lobby expires if nothing happens to it from now on. */
  private lobbyExpiresAt(now = Date.now()): number {
    return now + this.options.lobbyExpirySeconds * 1000;
  }

  private touch(eventId: string): void {
    this.sql.touch.run({ id: eventId, expiresAt: this.lobbyExpiresAt() });
  }

  private exists(eventId: string): boolean {
    return this.sql.eventRow.get(eventId) !== undefined;
  }

  async createEvent(event: EventRecord, state: RoundState): Promise<boolean> {
    const created = await this.write(() => this.sql.createEvent.run({
      id: event.id,
      code: event.code,
      record: JSON.stringify(event),
      state: JSON.stringify(state),
      version: state.version,
      status: state.status,
      expiresAt: this.lobbyExpiresAt(),
    }));
    this.forgetKept(event.id);
    return created.changes === 1;
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const text = this.sql.event.get(eventId) as string | undefined;
    return text ? parse<EventRecord>(text) : null;
  }

  async eventIdByCode(code: string): Promise<string | null> {
    return (this.sql.idByCode.get(code) as string | undefined) ?? null;
  }

  async getState(eventId: string): Promise<RoundState | null> {
    const text = this.sql.state.get(eventId) as string | undefined;
    return text ? parse<RoundState>(text) : null;
  }

  async commit(eventId: string, expectedVersion: number, next: RoundState, plans: SeatingPlan[] = []): Promise<boolean> {
    const texts = plans.map((p) => JSON.stringify(p));
    // False, or the plans' new version (0: no plan written).
    return this.write((): number | false => {
      const row = this.sql.eventRow.get(eventId) as EventRow | undefined;
      if (!row || row.version !== expectedVersion) return false;
      const now = Date.now();
      const endedAt = next.status === 'ended' ? (row.ended_at ?? now) : null;
      const expiresAt =
        next.status === 'lobby' ? this.lobbyExpiresAt(now) : endedAt !== null ? endedAt + this.options.retentionSeconds * 1000 : null;
      this.sql.writeState.run({
        id: eventId,
        state: JSON.stringify(next),
        version: next.version,
        status: next.status,
        dueAt: next.status === 'running' && typeof next.phaseEndsAt === 'number' ? next.phaseEndsAt : null,
        endedAt,
        expiresAt,
      });
      plans.forEach((plan, i) => this.sql.writePlan.run(eventId, plan.round, texts[i]));
      return plans.length > 0 ? (this.sql.bumpPlans.get(eventId) as number) : 0;
    }, (written) => {
      // What was just written is what the next read of the plans would fetch: keep it now.
      if (!written) return;
      const kept = this.keptAt(`${eventId} plans`, written - 1) as readonly SeatingPlan[] | undefined;
      if (!kept) return;
      const rounds = new Set(plans.map((p) => p.round));
      const list = [...kept.filter((p) => !rounds.has(p.round)), ...texts.map((t) => frozen<SeatingPlan>(t))].sort((a, b) => a.round - b.round);
      this.keep(`${eventId} plans`, written, list);
    }).then((written) => written !== false);
  }

  async getPlan(eventId: string, round: number): Promise<SeatingPlan | null> {
    const text = this.sql.plan.get(eventId, round) as string | undefined;
    return text ? parse<SeatingPlan>(text) : null;
  }

  async listPlans(eventId: string): Promise<readonly SeatingPlan[]> {
    return (await this.listPeopleAndPlans(eventId)).plans;
  }

  async listPeopleAndPlans(eventId: string): Promise<PeopleAndPlans> {
    // Reads are synchronous and this is the only writer: the counters and lists read here belong together.
    const versions = (this.sql.versions.get(eventId) as ListVersions | undefined) ?? { participants: 0, plans: 0 };
    const participants = this.keptOrRead(`${eventId} participants`, versions.participants, () =>
      (this.sql.participants.all(eventId) as string[]).map((t) => frozen<Participant>(t)),
    );
    const plans = this.keptOrRead(`${eventId} plans`, versions.plans, () => (this.sql.plans.all(eventId) as string[]).map((t) => frozen<SeatingPlan>(t)));
    return { participants, plans, versions: { ...versions } };
  }

  /** The kept list, if it is the one of `version`. Any other is forgotten: what is kept is always current. */
  private keptAt(cacheKey: string, version: number): readonly object[] | undefined {
    const kept = this.kept.get(cacheKey);
    if (kept?.version === version) return kept.list;
    this.kept.delete(cacheKey);
    return undefined;
  }

  private keptOrRead<T extends object>(cacheKey: string, version: number, read: () => T[]): readonly T[] {
    const kept = this.keptAt(cacheKey, version) as readonly T[] | undefined;
    if (kept) {
      // Read lately: to the back of the queue.
      this.kept.delete(cacheKey);
      this.kept.set(cacheKey, { version, list: kept });
      return kept;
    }
    return this.keep(cacheKey, version, read());
  }

  private keep<T extends object>(cacheKey: string, version: number, list: T[]): readonly T[] {
    const value = Object.freeze(list);
    this.kept.delete(cacheKey);
    this.kept.set(cacheKey, { version, list: value });
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_READS) break;
      this.kept.delete(oldest);
    }
    return value;
  }

  private forgetKept(eventId: string): void {
    this.kept.delete(`${eventId} participants`);
    this.kept.delete(`${eventId} plans`);
  }

  async addParticipants(eventId: string, participants: Participant[], tokenHashes: string[]): Promise<Participant[]> {
    const texts: string[] = [];
    return this.write(() => {
      const row = this.sql.eventRow.get(eventId) as EventRow | undefined;
      if (!row) throw new Error(`event ${eventId} does not exist`);
      let lastTable = row.last_table;
      const added = participants.map((p) => (p.role === 'mentor' && p.table === undefined ? { ...p, table: ++lastTable } : { ...p }));
      added.forEach((p, i) => {
        texts.push(JSON.stringify(p));
        this.sql.addParticipant.run(eventId, p.id, texts[i], tokenHashes[i] || null);
      });
      if (lastTable !== row.last_table) this.sql.setLastTable.run(lastTable, eventId);
      this.touch(eventId);
      return { added, version: this.sql.bumpParticipants.get(eventId) as number };
    }, ({ version }) => {
      const kept = this.keptAt(`${eventId} participants`, version - 1) as readonly Participant[] | undefined;
      if (kept) this.keep(`${eventId} participants`, version, [...kept, ...texts.map((t) => frozen<Participant>(t))]);
    }).then(({ added }) => added);
  }

  async listParticipants(eventId: string): Promise<readonly Participant[]> {
    return (await this.listPeopleAndPlans(eventId)).participants;
  }

  async getParticipant(eventId: string, participantId: string): Promise<Participant | null> {
    const text = this.sql.participant.get(eventId, participantId) as string | undefined;
    return text ? parse<Participant>(text) : null;
  }

  async changeParticipant(eventId: string, participantId: string, change: (participant: Participant) => Participant): Promise<Participant | null> {
    // One transaction on the only writer: nothing can get in between the read and the write.
    const written = await this.write(() => {
      const stored = this.sql.participant.get(eventId, participantId) as string | undefined;
      if (!stored) return null;
      const text = JSON.stringify(change(parse<Participant>(stored)));
      this.sql.writeParticipant.run(text, eventId, participantId);
      this.touch(eventId);
      return { text, version: this.sql.bumpParticipants.get(eventId) as number };
    }, (written) => {
      const kept = written && (this.keptAt(`${eventId} participants`, written.version - 1) as readonly Participant[] | undefined);
      if (!written || !kept) return;
      const next = frozen<Participant>(written.text);
      this.keep(`${eventId} participants`, written.version, kept.map((p) => (p.id === participantId ? next : p)));
    });
    return written === null ? null : parse<Participant>(written.text);
  }

  async ownerOfToken(tokenHash: string): Promise<TokenOwner | null> {
    const owner = this.sql.owner.get(tokenHash) as TokenOwner | undefined;
    return owner ? { ...owner } : null;
  }

  async replaceToken(eventId: string, participantId: string, tokenHash: string): Promise<boolean> {
    return this.write(() => {
      if (this.sql.replaceToken.run(tokenHash, eventId, participantId).changes !== 1) return false;
      this.touch(eventId);
      return true;
    });
  }

  async setFollowUp(eventId: string, fromId: string, toId: string, follow: boolean): Promise<void> {
    await this.write(() => {
      if (!this.exists(eventId)) throw new Error(`event ${eventId} does not exist`);
      (follow ? this.sql.follow : this.sql.unfollow).run(eventId, fromId, toId);
      this.touch(eventId);
    });
  }

  async listFollowUps(eventId: string): Promise<FollowUp[]> {
    return this.sql.followUps.all(eventId) as FollowUp[];
  }

  async countRatings(eventId: string): Promise<number> {
    return this.sql.countRatings.get(eventId) as number;
  }

  async saveRating(eventId: string, rating: Rating): Promise<void> {
    await this.write(() => {
      if (!this.exists(eventId)) throw new Error(`event ${eventId} does not exist`);
      this.sql.saveRating.run(eventId, rating.round, rating.raterId, rating.targetId, JSON.stringify(rating));
      this.touch(eventId);
    });
  }

  async listRatings(eventId: string): Promise<Rating[]> {
    return (this.sql.ratings.all(eventId) as string[]).map((t) => parse<Rating>(t));
  }

  async countParticipants(eventId: string): Promise<number> {
    // Asked on every join: the kept list answers without counting thousands of rows each time.
    const kept = this.kept.get(`${eventId} participants`);
    return kept ? kept.list.length : (this.sql.countParticipants.get(eventId) as number);
  }

  // Counters of wrong join codes stay in memory: they guard this one process for ten
  // minutes, and writing each guess to disk would only slow the guessing down for us.
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
    return this.sql.due.all(now) as string[];
  }

  async sweep(now: number): Promise<string[]> {
    const expired = this.sql.expired.all(now) as string[];
    // Each only if still expired when its turn comes: a join queued meanwhile keeps a lobby alive.
    const deleted = await Promise.all(
      expired.map((eventId) => this.write(() => this.sql.deleteExpired.run(eventId, now).changes, () => this.forgetKept(eventId))),
    );
    return expired.filter((_, i) => deleted[i]! > 0);
  }

  async countLobbyEvents(createdFrom: string): Promise<number> {
    return this.sql.lobbyFrom.get(createdFrom) as number;
  }

  async deleteEvent(eventId: string): Promise<void> {
    // ON DELETE CASCADE takes its people (and their tokens), plans, ratings and follow-ups.
    await this.write(() => this.sql.deleteEvent.run(eventId), () => this.forgetKept(eventId));
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    // Writes already queued are committed first: their callers may have been promised them.
    if (this.pending.length > 0) this.commitPending();
    if (this.db.open) this.db.close();
  }
}
