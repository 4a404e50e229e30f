// The shared store: every instance reads and writes the live event in Redis, so
// several servers can run one event and a restart loses nothing.
//
// Keys (prefix defaults to "tablehop:"; the {eventId} hash tag keeps one event's keys together):
//   {id}:event         JSON EventRecord          {id}:state    JSON RoundState (CAS on .version)
//   {id}:plans         hash round → JSON plan     {id}:participants  hash id → JSON
//   {id}:ratings       hash round:rater:target → JSON (so a resend replaces)
//   {id}:tables        counter of mentor tables   {id}:tokens   set of token hashes
//   {id}:tokenOf       hash participantId → their current token hash (to replace it)
//   {id}:followups     set of "fromId toId" ("I'd like to follow up")
//   {id}:participantsVersion, {id}:plansVersion   counters bumped by every write of those hashes
//   code:{CODE} → id   token:{hash} → "eventId participantId"   due  zset id → phaseEndsAt
//   lobby  zset id → when an event that never started expires (moved on by every write to it)
// Once an event has ended every key of it expires after the retention period; a key
// first written after that (a follow-up at the end, say) takes the same remaining time.
// An event still in the lobby is deleted by `sweep` once its time in the lobby zset has
// passed: a TTL on each of its keys would have to be moved for every one of its tokens on
// every join.
import { createClient } from 'redis';
import type { EventRecord, Participant, Rating, RoundState, SeatingPlan } from '../../shared/domain';
import { deepFreeze } from '../deepFreeze';
import type { FollowUp, PeopleAndPlans, Store, TokenOwner } from './Store';

type RedisClient = ReturnType<typeof createClient>;

/** Parsed reads kept between reads: the participants and the plans of the 16 events read last. */
const KEPT_READS = 32;

function sortedPlans(plans: SeatingPlan[]): SeatingPlan[] {
  return plans.sort((a, b) => a.round - b.round);
}

// Writes the new state only if the stored version is the expected one, and keeps the due
// index in step, in one atomic step: a duplicate or stale advance from any instance is a no-op.
// An event back in (or still in) the lobby has its lobby expiry moved on; one that started
// leaves the lobby zset. Answers 0, or {1, the plans' new version (0: no plan written)}.
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
if next.status == 'lobby' then
  redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
else
  redis.call('ZREM', KEYS[5], ARGV[3])
end
for i = 5, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
if #ARGV >= 5 then return {1, redis.call('INCR', KEYS[4])} end
return {1, 0}
`;

// Writes a participant only if it is still what the caller read: a compare-and-set on the
// stored JSON, so two changes to one person (the organizer and their phone) never lose one.
const CHANGE_PARTICIPANT_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1
`;

// New token for someone: the old one is forgotten in the same step. KEYS: participants,
// tokenOf, tokens, the new token's key; ARGV: participantId, new hash, token key prefix, owner.
const REPLACE_TOKEN_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  redis.call('DEL', ARGV[3] .. old)
  redis.call('SREM', KEYS[3], old)
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[4])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[4], ttl) end
return 1
`;

// Adds to (ARGV[3] = '1') or removes from a set or hash of an event that still exists; a key
// created after the event ended expires with the event's other keys. KEYS: the key, the state key.
const EVENT_WRITE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if ARGV[1] == 'set' then
  if ARGV[3] == '1' then redis.call('SADD', KEYS[1], ARGV[2]) else redis.call('SREM', KEYS[1], ARGV[2]) end
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

// Takes an event out of the lobby zset if its time there is still up (no write moved it on
// since the sweep read it), so that only one instance deletes it. KEYS: lobby; ARGV: id, now.
const CLAIM_EXPIRED_SCRIPT = `
local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expires or tonumber(expires) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`;

type ListPart = 'participants' | 'plans';

interface Kept {
  version: number;
  items: Map<string, object>;
  value: readonly object[];
}

const buildList = (part: ListPart, items: object[]): object[] => (part === 'plans' ? sortedPlans(items as SeatingPlan[]) : items);

export interface RedisStoreOptions {
  url: string;
  /** Key prefix; tests use their own so they never touch a real event. */
  prefix?: string;
  /** How long an ended event's keys live, in seconds. */
  retentionSeconds: number;
  /** How long an event that never started is kept after its last write, in seconds. */
  lobbyExpirySeconds: number;
  onError?: (error: Error) => void;
}

export class RedisStore implements Store {
  private readonly prefix: string;
  /** Parsed participants and plans of the events read lately: the version read, each entry by its JSON, the list. */
  private readonly kept = new Map<string, Kept>();

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
    return ['event', 'state', 'plans', 'plansVersion', 'participants', 'participantsVersion', 'ratings', 'tables', 'tokens', 'tokenOf', 'followups'].map((part) =>
      this.key(eventId, part),
    );
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

  private get lobbyKey(): string {
    return `${this.prefix}lobby`;
  }

  private lobbyExpiresAt(): number {
    return Date.now() + this.options.lobbyExpirySeconds * 1000;
  }

  /** A write to an event still in the lobby: it stays another lobby expiry (XX: started events are not in the zset). */
  private async touch(eventId: string): Promise<void> {
    await this.client.zAdd(this.lobbyKey, { score: this.lobbyExpiresAt(), value: eventId }, { condition: 'XX' });
  }

  async createEvent(event: EventRecord, state: RoundState): Promise<boolean> {
    const claimed = await this.client.set(this.codeKey(event.code), event.id, { condition: 'NX' });
    if (claimed !== 'OK') return false;
    const multi = this.client
      .multi()
      .set(this.key(event.id, 'event'), JSON.stringify(event))
      .set(this.key(event.id, 'state'), JSON.stringify(state))
      .zAdd(this.lobbyKey, { score: this.lobbyExpiresAt(), value: event.id });
    if (event.createdFrom) {
      // Outlives every event in it: each expires from the lobby within the lobby expiry of its last write.
      multi.sAdd(this.lobbyFromKey(event.createdFrom), event.id).expire(this.lobbyFromKey(event.createdFrom), this.options.lobbyExpirySeconds * 2);
    }
    await multi.exec();
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
    const texts = plans.map((p) => JSON.stringify(p));
    const committed = (await this.client.eval(COMMIT_SCRIPT, {
      keys: [this.key(eventId, 'state'), this.key(eventId, 'plans'), this.dueKey, this.key(eventId, 'plansVersion'), this.lobbyKey],
      arguments: [String(expectedVersion), JSON.stringify(next), eventId, String(this.lobbyExpiresAt()), ...plans.flatMap((p, i) => [String(p.round), texts[i]!])],
    })) as number | [number, number];
    if (!Array.isArray(committed)) return false;
    // What was just written is what the next read of the plans would fetch: keep it now.
    const [, plansVersion] = committed;
    const kept = this.kept.get(`${eventId} plans`);
    if (plansVersion > 0 && kept?.version === plansVersion - 1) {
      const rounds = new Set(plans.map((p) => p.round));
      const items = new Map([...kept.items].filter(([, plan]) => !rounds.has((plan as SeatingPlan).round)));
      for (const text of texts) items.set(text, deepFreeze(JSON.parse(text) as object));
      this.keep(`${eventId} plans`, plansVersion, items, sortedPlans([...items.values()] as SeatingPlan[]));
    }
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

  async listPlans(eventId: string): Promise<readonly SeatingPlan[]> {
    return (await this.listPeopleAndPlans(eventId)).plans;
  }

  /**
   * An event's participants and plans, read again only when their version counter moved, and
   * then parsing only the entries that changed. Every phase change at a big event reads
   * thousands of participants and the plans made so far; asking for the two counters is one
   * tiny read instead (measured by bench:fanout). What is kept is frozen: every caller shares it.
   */
  async listPeopleAndPlans(eventId: string): Promise<PeopleAndPlans> {
    const parts: ListPart[] = ['participants', 'plans'];
    const versionKeys = parts.map((part) => this.key(eventId, `${part}Version`));
    // No counter yet: nothing was ever written (no plans in the lobby), which is version 0.
    let versions = (await this.client.mGet(versionKeys)).map((v) => Number(v ?? 0));
    for (;;) {
      const stale = parts.filter((part, i) => this.kept.get(`${eventId} ${part}`)?.version !== versions[i]);
      if (stale.length > 0) {
        // Counters and hashes in one MULTI: the versions kept are exactly those of what was read.
        const multi = this.client.multi().mGet(versionKeys);
        for (const part of stale) multi.hVals(this.key(eventId, part));
        const [read, ...lists] = (await multi.exec()) as unknown as [(string | null)[], ...string[][]];
        versions = read.map((v) => Number(v ?? 0));
        stale.forEach((part, i) => this.parse(`${eventId} ${part}`, versions[parts.indexOf(part)]!, lists[i]!, (items) => buildList(part, items)));
      }
      const [participants, plans] = parts.map((part) => this.kept.get(`${eventId} ${part}`));
      // A list not read again just now may have moved on meanwhile: then read that one too.
      if (participants && plans && participants.version === versions[0] && plans.version === versions[1]) {
        return {
          participants: participants.value as readonly Participant[],
          plans: plans.value as readonly SeatingPlan[],
          versions: { participants: versions[0]!, plans: versions[1]! },
        };
      }
    }
  }

  /** Parses what was read (entries unchanged since the last read are taken as they were) and keeps it. */
  private parse(cacheKey: string, version: number, all: string[], build: (items: object[]) => object[]): void {
    const kept = this.kept.get(cacheKey);
    const items = new Map<string, object>();
    for (const raw of all) items.set(raw, kept?.items.get(raw) ?? deepFreeze(JSON.parse(raw) as object));
    this.keep(cacheKey, version, items, build([...items.values()]));
  }

  private keep(cacheKey: string, version: number, items: Map<string, object>, value: object[]): void {
    this.kept.delete(cacheKey);
    this.kept.set(cacheKey, { version, items, value: Object.freeze(value) });
    // The events read lately stay; the oldest goes first.
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_READS) break;
      this.kept.delete(oldest);
    }
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
    multi.incr(this.key(eventId, 'participantsVersion'));
    multi.zAdd(this.lobbyKey, { score: this.lobbyExpiresAt(), value: eventId }, { condition: 'XX' });
    added.forEach((p, i) => {
      const hash = tokenHashes[i];
      if (!hash) return;
      multi.sAdd(this.key(eventId, 'tokens'), hash);
      multi.hSet(this.key(eventId, 'tokenOf'), p.id, hash);
      multi.set(this.tokenKey(hash), `${eventId} ${p.id}`);
    });
    await multi.exec();
    return added;
  }

  async listParticipants(eventId: string): Promise<readonly Participant[]> {
    return (await this.listPeopleAndPlans(eventId)).participants;
  }

  async getParticipant(eventId: string, participantId: string): Promise<Participant | null> {
    const raw = await this.client.hGet(this.key(eventId, 'participants'), participantId);
    return raw ? (JSON.parse(raw) as Participant) : null;
  }

  async changeParticipant(eventId: string, participantId: string, change: (participant: Participant) => Participant): Promise<Participant | null> {
    const key = this.key(eventId, 'participants');
    for (;;) {
      const raw = await this.client.hGet(key, participantId);
      if (!raw) return null;
      const next = change(JSON.parse(raw) as Participant);
      const written = await this.client.eval(CHANGE_PARTICIPANT_SCRIPT, { keys: [key, this.key(eventId, 'participantsVersion')], arguments: [participantId, raw, JSON.stringify(next)] });
      if (written === 1) {
        await this.touch(eventId);
        return next;
      }
    }
  }

  async replaceToken(eventId: string, participantId: string, tokenHash: string): Promise<boolean> {
    const replaced = await this.client.eval(REPLACE_TOKEN_SCRIPT, {
      keys: [this.key(eventId, 'participants'), this.key(eventId, 'tokenOf'), this.key(eventId, 'tokens'), this.tokenKey(tokenHash)],
      arguments: [participantId, tokenHash, this.tokenKey(''), `${eventId} ${participantId}`],
    });
    if (replaced !== 1) return false;
    await this.touch(eventId);
    return true;
  }

  /** A write to one of the event's sets or hashes that keeps to the event's expiry (see EVENT_WRITE_SCRIPT). */
  private async eventWrite(eventId: string, part: string, kind: 'set' | 'hash', field: string, value: string): Promise<boolean> {
    const written = await this.client.eval(EVENT_WRITE_SCRIPT, { keys: [this.key(eventId, part), this.key(eventId, 'state')], arguments: [kind, field, value] });
    if (written !== 1) return false;
    await this.touch(eventId);
    return true;
  }

  async setFollowUp(eventId: string, fromId: string, toId: string, follow: boolean): Promise<void> {
    if (!(await this.eventWrite(eventId, 'followups', 'set', `${fromId} ${toId}`, follow ? '1' : '0'))) throw new Error(`event ${eventId} does not exist`);
  }

  async listFollowUps(eventId: string): Promise<FollowUp[]> {
    const pairs = await this.client.sMembers(this.key(eventId, 'followups'));
    return pairs.map((pair) => {
      const [fromId = '', toId = ''] = pair.split(' ');
      return { fromId, toId };
    });
  }

  async ownerOfToken(tokenHash: string): Promise<TokenOwner | null> {
    const raw = await this.client.get(this.tokenKey(tokenHash));
    if (!raw) return null;
    const [eventId = '', participantId = ''] = raw.split(' ');
    return { eventId, participantId };
  }

  async saveRating(eventId: string, rating: Rating): Promise<void> {
    const field = `${rating.round}:${rating.raterId}:${rating.targetId}`;
    // The first rating may come after the end (people rate on the end screen): keep to the expiry.
    if (!(await this.eventWrite(eventId, 'ratings', 'hash', field, JSON.stringify(rating)))) throw new Error(`event ${eventId} does not exist`);
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

  async sweep(now: number): Promise<string[]> {
    const deleted: string[] = [];
    for (const eventId of await this.client.zRangeByScore(this.lobbyKey, '-inf', now)) {
      const claimed = await this.client.eval(CLAIM_EXPIRED_SCRIPT, { keys: [this.lobbyKey], arguments: [eventId, String(now)] });
      if (claimed !== 1) continue;
      await this.deleteEvent(eventId);
      deleted.push(eventId);
    }
    return deleted;
  }

  private lobbyFromKey(createdFrom: string): string {
    return `${this.prefix}lobbyFrom:${createdFrom}`;
  }

  async countLobbyEvents(createdFrom: string): Promise<number> {
    const key = this.lobbyFromKey(createdFrom);
    const ids = await this.client.sMembers(key);
    if (ids.length === 0) return 0;
    // The set only grows at creation; an event that started, expired or was deleted has left the lobby zset.
    const scores = await this.client.zmScore(this.lobbyKey, ids);
    const left = ids.filter((_, i) => scores[i] === null);
    if (left.length) await this.client.sRem(key, left);
    return ids.length - left.length;
  }

  async deleteEvent(eventId: string): Promise<void> {
    const [event, tokenHashes] = await Promise.all([this.getEvent(eventId), this.client.sMembers(this.key(eventId, 'tokens'))]);
    const keys = [...this.eventKeys(eventId), ...tokenHashes.map((h) => this.tokenKey(h))];
    if (event) keys.push(this.codeKey(event.code));
    await this.client.multi().del(keys).zRem(this.dueKey, eventId).zRem(this.lobbyKey, eventId).exec();
    this.kept.delete(`${eventId} participants`);
    this.kept.delete(`${eventId} plans`);
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
