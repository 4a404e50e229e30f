// The shared store: every instance reads and writes the live event in Redis, so
// several servers can run one event and a restart loses nothing.
//
// Keys (prefix defaults to "tablehop:"; the {eventId} hash tag keeps one event's keys together):
//   {id}:event         JSON EventRecord          {id}:state    JSON RoundState (CAS on .version)
//   {id}:plans         hash round → JSON plan     {id}:participants  hash id → JSON
//   {id}:ratings       hash round:rater:target → JSON (so a resend replaces)
//   {id}:tables        counter of mentor tables   {id}:tokens   set of token hashes
//   code:{CODE} → id   token:{hash} → "eventId participantId"   due  zset id → phaseEndsAt
import { createClient } from 'redis';
import type { EventRecord, Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';
import type { Store, TokenOwner } from './Store';

type RedisClient = ReturnType<typeof createClient>;

// Writes the new state only if the stored version is the expected one, and keeps the due
// index in step, in one atomic step: a duplicate or stale advance from any instance is a no-op.
const COMMIT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current).version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
local next = cjson.decode(ARGV[2])
if next.status == 'running' and type(next.phaseEndsAt) == 'number' then
  redis.call('ZADD', KEYS[3], next.phaseEndsAt, ARGV[3])
else
  redis.call('ZREM', KEYS[3], ARGV[3])
end
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
`;

export interface RedisStoreOptions {
  url: string;
  /** Key prefix; tests use their own so they never touch a real event. */
  prefix?: string;
  /** How long an ended event's keys live, in seconds. */
  retentionSeconds: number;
  onError?: (error: Error) => void;
}

export class RedisStore implements Store {
  private readonly prefix: string;

  private constructor(
    private readonly client: RedisClient,
    private readonly options: RedisStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'tablehop:';
  }

  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const client: RedisClient = createClient({
      url: options.url,
      // Keep retrying with a capped backoff: a Redis restart must not take the server down.
      socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000), connectTimeout: 5000 },
      // While Redis is away, fail at once (503) instead of queueing requests that hang.
      disableOfflineQueue: true,
    });
    // node-redis emits 'error' on every failed reconnect; unhandled, that would crash the process.
    client.on('error', (error: Error) => options.onError?.(error));
    await client.connect();
    return new RedisStore(client, options);
  }

  private key(eventId: string, part: string): string {
    return `${this.prefix}{${eventId}}:${part}`;
  }

  private eventKeys(eventId: string): string[] {
    return ['event', 'state', 'plans', 'participants', 'ratings', 'tables', 'tokens'].map((part) => this.key(eventId, part));
  }

  private codeKey(code: string): string {
    return `${this.prefix}code:${code}`;
  }

  private tokenKey(hash: string): string {
    return `${this.prefix}token:${hash}`;
  }

  private get dueKey(): string {
    return `${this.prefix}due`;
  }

  async createEvent(event: EventRecord, state: RoundState): Promise<boolean> {
    const claimed = await this.client.set(this.codeKey(event.code), event.id, { condition: 'NX' });
    if (claimed !== 'OK') return false;
    await this.client
      .multi()
      .set(this.key(event.id, 'event'), JSON.stringify(event))
      .set(this.key(event.id, 'state'), JSON.stringify(state))
      .exec();
    return true;
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const raw = await this.client.get(this.key(eventId, 'event'));
    return raw ? (JSON.parse(raw) as EventRecord) : null;
  }

  async eventIdByCode(code: string): Promise<string | null> {
    return this.client.get(this.codeKey(code));
  }

  async getState(eventId: string): Promise<RoundState | null> {
    const raw = await this.client.get(this.key(eventId, 'state'));
    return raw ? (JSON.parse(raw) as RoundState) : null;
  }

  async commit(eventId: string, expectedVersion: number, next: RoundState, plans: SeatingPlan[] = []): Promise<boolean> {
    const committed = await this.client.eval(COMMIT_SCRIPT, {
      keys: [this.key(eventId, 'state'), this.key(eventId, 'plans'), this.dueKey],
      arguments: [String(expectedVersion), JSON.stringify(next), eventId, ...plans.flatMap((p) => [String(p.round), JSON.stringify(p)])],
    });
    if (committed !== 1) return false;
    if (next.status === 'ended') await this.expireEvent(eventId);
    return true;
  }

  /** Ended events keep their data for the retention period (for the export), then Redis drops it. */
  private async expireEvent(eventId: string): Promise<void> {
    const seconds = this.options.retentionSeconds;
    const [event, tokenHashes] = await Promise.all([this.getEvent(eventId), this.client.sMembers(this.key(eventId, 'tokens'))]);
    const multi = this.client.multi();
    for (const key of this.eventKeys(eventId)) multi.expire(key, seconds);
    for (const hash of tokenHashes) multi.expire(this.tokenKey(hash), seconds);
    if (event) multi.expire(this.codeKey(event.code), seconds);
    await multi.exec();
  }

  async getPlan(eventId: string, round: number): Promise<SeatingPlan | null> {
    const raw = await this.client.hGet(this.key(eventId, 'plans'), String(round));
    return raw ? (JSON.parse(raw) as SeatingPlan) : null;
  }

  async listPlans(eventId: string): Promise<SeatingPlan[]> {
    const all = await this.client.hVals(this.key(eventId, 'plans'));
    return all.map((raw) => JSON.parse(raw) as SeatingPlan).sort((a, b) => a.round - b.round);
  }

  async addParticipants(eventId: string, participants: Participant[], tokenHashes: string[]): Promise<Participant[]> {
    if (!(await this.client.exists(this.key(eventId, 'event')))) throw new Error(`event ${eventId} does not exist`);
    const needTables = participants.filter((p) => p.role === 'mentor' && p.table === undefined).length;
    let nextTable = needTables > 0 ? (await this.client.incrBy(this.key(eventId, 'tables'), needTables)) - needTables : 0;
    const added = participants.map((p) => (p.role === 'mentor' && p.table === undefined ? { ...p, table: ++nextTable } : { ...p }));
    const multi = this.client.multi();
    multi.hSet(
      this.key(eventId, 'participants'),
      Object.fromEntries(added.map((p) => [p.id, JSON.stringify(p)])),
    );
    added.forEach((p, i) => {
      const hash = tokenHashes[i];
      if (!hash) return;
      multi.sAdd(this.key(eventId, 'tokens'), hash);
      multi.set(this.tokenKey(hash), `${eventId} ${p.id}`);
    });
    await multi.exec();
    return added;
  }

  async listParticipants(eventId: string): Promise<Participant[]> {
    const all = await this.client.hVals(this.key(eventId, 'participants'));
    return all.map((raw) => JSON.parse(raw) as Participant);
  }

  async getParticipant(eventId: string, participantId: string): Promise<Participant | null> {
    const raw = await this.client.hGet(this.key(eventId, 'participants'), participantId);
    return raw ? (JSON.parse(raw) as Participant) : null;
  }

  async updateParticipant(eventId: string, participant: Participant): Promise<boolean> {
    // HSETEX-like "only if it exists": a removed event or person must not come back.
    const updated = await this.client.eval(
      "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0",
      { keys: [this.key(eventId, 'participants')], arguments: [participant.id, JSON.stringify(participant)] },
    );
    return updated === 1;
  }

  async ownerOfToken(tokenHash: string): Promise<TokenOwner | null> {
    const raw = await this.client.get(this.tokenKey(tokenHash));
    if (!raw) return null;
    const [eventId = '', participantId = ''] = raw.split(' ');
    return { eventId, participantId };
  }

  async saveRating(eventId: string, rating: Rating): Promise<void> {
    const field = `${rating.round}:${rating.raterId}:${rating.targetId}`;
    await this.client.hSet(this.key(eventId, 'ratings'), field, JSON.stringify(rating));
  }

  async countRatings(eventId: string): Promise<number> {
    return this.client.hLen(this.key(eventId, 'ratings'));
  }

  async listRatings(eventId: string): Promise<Rating[]> {
    const all = await this.client.hVals(this.key(eventId, 'ratings'));
    return all.map((raw) => JSON.parse(raw) as Rating);
  }

  async countParticipants(eventId: string): Promise<number> {
    return this.client.hLen(this.key(eventId, 'participants'));
  }

  async attempts(key: string, windowSeconds: number, add: 0 | 1): Promise<number> {
    const full = `${this.prefix}attempts:${key}`;
    if (!add) return Number((await this.client.get(full)) ?? 0);
    const [count] = await this.client.multi().incr(full).expire(full, windowSeconds, 'NX').exec();
    return Number(count);
  }

  async dueEvents(now: number): Promise<string[]> {
    return this.client.zRangeByScore(this.dueKey, '-inf', now);
  }

  async deleteEvent(eventId: string): Promise<void> {
    const [event, tokenHashes] = await Promise.all([this.getEvent(eventId), this.client.sMembers(this.key(eventId, 'tokens'))]);
    const keys = [...this.eventKeys(eventId), ...tokenHashes.map((h) => this.tokenKey(h))];
    if (event) keys.push(this.codeKey(event.code));
    await this.client.multi().del(keys).zRem(this.dueKey, eventId).exec();
  }

  async ping(): Promise<boolean> {
    if (!this.client.isReady) return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.quit();
  }

  /** For tests: removes every key under this store's prefix. */
  async flushPrefix(): Promise<void> {
    const keys: string[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length) await this.client.del(keys);
  }
}
