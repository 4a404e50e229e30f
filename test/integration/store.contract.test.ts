// One contract, every Store: the embedded SQLite store and Redis must behave alike.
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { EventRecord, Participant, RoundState, SeatingPlan } from '../../shared/domain';
import { lobbyState } from '../../shared/roundEngine';
import { STORE_KINDS, openTestStore, testPrefix, type Lifetimes } from '../support/server';

const event = (id: string, code: string): EventRecord => ({
  id,
  code,
  name: 'Contract night',
  rounds: 3,
  roundSeconds: 60,
  changeoverSeconds: 10,
  seatsPerTable: 2,
  topics: [],
  organizerKeyHash: 'ab'.repeat(32),
  seed: 7,
  createdAt: 1,
});
const person = (id: string, role: Participant['role']): Participant => ({ id, name: id, role, topics: ['x'], joinedAt: 1, joinedRound: 0 });
const running = (version: number, phaseEndsAt: number): RoundState => ({ status: 'running', phase: 'talk', round: 1, phaseEndsAt, remainingMs: null, version });

describe.each(STORE_KINDS)('%s store', (kind) => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  afterEach(async () => {
    await store.flush();
    await store.close();
  });
  const open = async (lifetimes: Lifetimes = {}) => (store = await openTestStore(kind, testPrefix(), inject('redisUrl'), lifetimes));

  it('creates an event once per join code and finds it by code', async () => {
    await open();
    expect(await store.createEvent(event('e1', 'ABC234'), lobbyState())).toBe(true);
    expect(await store.createEvent(event('e2', 'ABC234'), lobbyState())).toBe(false);
    expect(await store.eventIdByCode('ABC234')).toBe('e1');
    expect(await store.getEvent('e2')).toBeNull();
    expect((await store.getEvent('e1'))?.name).toBe('Contract night');
    expect(await store.getState('e1')).toEqual(lobbyState());
  });

  it('commits a state change exactly once: a stale or duplicate version changes nothing', async () => {
    await open();
    await store.createEvent(event('e1', 'CAS234'), lobbyState());
    const plan: SeatingPlan = { round: 1, tables: [{ table: 1, mentorId: 'm', menteeIds: ['a'] }], byes: [] };
    const attempts = await Promise.all([1, 2, 3, 4].map(() => store.commit('e1', 1, running(2, 5000), [plan])));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect(await store.commit('e1', 1, running(2, 9999))).toBe(false);
    expect(await store.getState('e1')).toEqual(running(2, 5000));
    expect(await store.getPlan('e1', 1)).toEqual(plan);
    expect(await store.commit('missing', 1, running(2, 1))).toBe(false);
  });

  it('lists events whose phase is due, and forgets them once paused or ended', async () => {
    await open();
    await store.createEvent(event('e1', 'DUE234'), lobbyState());
    expect(await store.dueEvents(10_000)).not.toContain('e1');
    await store.commit('e1', 1, running(2, 5000));
    expect(await store.dueEvents(4999)).not.toContain('e1');
    expect(await store.dueEvents(5000)).toContain('e1');
    await store.commit('e1', 2, { ...running(3, 0), status: 'paused', phaseEndsAt: null, remainingMs: 100 });
    expect(await store.dueEvents(10_000)).not.toContain('e1');
  });

  it('adds people all at once, numbers mentor tables, and finds them by token', async () => {
    await open();
    await store.createEvent(event('e1', 'PPL234'), lobbyState());
    const first = await store.addParticipants('e1', [person('m1', 'mentor'), person('a', 'mentee')], ['h1', 'h2']);
    const second = await store.addParticipants('e1', [person('m2', 'mentor')], ['h3']);
    expect(first.map((p) => p.table)).toEqual([1, undefined]);
    expect(second[0]?.table).toBe(2);
    expect((await store.listParticipants('e1')).map((p) => p.id).sort()).toEqual(['a', 'm1', 'm2']);
    expect(await store.ownerOfToken('h2')).toEqual({ eventId: 'e1', participantId: 'a' });
    expect(await store.ownerOfToken('nope')).toBeNull();
    expect((await store.getParticipant('e1', 'm2'))?.table).toBe(2);
  });

  it('changes one participant atomically: concurrent changes to one person all land', async () => {
    await open();
    await store.createEvent(event('e1', 'CHG234'), lobbyState());
    await store.addParticipants('e1', [person('m1', 'mentor'), person('a', 'mentee')], ['h1', 'h2']);
    const changed = await store.changeParticipant('e1', 'a', (p) => ({ ...p, absent: true, pin: { round: 2, table: 1 } }));
    expect(changed).toMatchObject({ id: 'a', absent: true, pin: { round: 2, table: 1 } });
    expect(await store.getParticipant('e1', 'a')).toEqual(changed);
    // A change keeps the person's sign-in.
    expect(await store.ownerOfToken('h2')).toEqual({ eventId: 'e1', participantId: 'a' });
    // Twenty writers at once, each adding its own topic: none is lost.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.changeParticipant('e1', 'm1', (p) => ({ ...p, topics: [...p.topics, `t${i}`] }))));
    const mentor = await store.getParticipant('e1', 'm1');
    expect(mentor?.topics.sort()).toEqual(['x', ...Array.from({ length: 20 }, (_, i) => `t${i}`)].sort());
    expect(mentor?.table).toBe(1);
    expect(await store.changeParticipant('e1', 'ghost', (p) => p)).toBeNull();
    expect(await store.getParticipant('e1', 'ghost')).toBeNull();
    expect(await store.getParticipant('e1', 'ghost')).toBeNull();
    expect(await store.changeParticipant('missing', 'a', (p) => p)).toBeNull();
  });

  it('replaces a token: the old one stops working, the new one finds the same person', async () => {
    await open();
    await store.createEvent(event('e1', 'TOK234'), lobbyState());
    await store.addParticipants('e1', [person('a', 'mentee'), person('b', 'mentee')], ['old-a', 'old-b']);
    expect(await store.replaceToken('e1', 'a', 'new-a')).toBe(true);
    expect(await store.ownerOfToken('old-a')).toBeNull();
    expect(await store.ownerOfToken('new-a')).toEqual({ eventId: 'e1', participantId: 'a' });
    expect(await store.replaceToken('e1', 'a', 'newer-a')).toBe(true);
    expect(await store.ownerOfToken('new-a')).toBeNull();
    expect(await store.ownerOfToken('old-b')).toEqual({ eventId: 'e1', participantId: 'b' });
    expect(await store.replaceToken('e1', 'ghost', 'x')).toBe(false);
    expect(await store.ownerOfToken('x')).toBeNull();
    await store.deleteEvent('e1');
    expect(await store.ownerOfToken('newer-a')).toBeNull();
  });

  it('records follow-ups once each way, takes them back, and forgets them with the event', async () => {
    await open();
    await store.createEvent(event('e1', 'FOL234'), lobbyState());
    await store.setFollowUp('e1', 'a', 'm', true);
    await store.setFollowUp('e1', 'a', 'm', true);
    await store.setFollowUp('e1', 'm', 'a', true);
    await store.setFollowUp('e1', 'b', 'm', true);
    await store.setFollowUp('e1', 'b', 'm', false);
    const sorted = (list: { fromId: string; toId: string }[]) => [...list].sort((x, y) => (x.fromId + x.toId).localeCompare(y.fromId + y.toId));
    expect(sorted(await store.listFollowUps('e1'))).toEqual([
      { fromId: 'a', toId: 'm' },
      { fromId: 'm', toId: 'a' },
    ]);
    await expect(store.setFollowUp('missing', 'a', 'm', true)).rejects.toThrow();
    await store.deleteEvent('e1');
    expect(await store.listFollowUps('e1')).toEqual([]);
    expect(await store.listFollowUps('missing')).toEqual([]);
  });

  it('keeps one rating per (round, rater, target): a resend replaces it', async () => {
    await open();
    await store.createEvent(event('e1', 'RAT234'), lobbyState());
    await store.saveRating('e1', { round: 1, raterId: 'm', targetId: 'a', score: 3, tags: [], at: 1 });
    await store.saveRating('e1', { round: 1, raterId: 'm', targetId: 'a', score: 5, tags: ['prepared'], note: 'great', at: 2 });
    await store.saveRating('e1', { round: 2, raterId: 'm', targetId: 'a', score: 4, tags: [], at: 3 });
    const ratings = (await store.listRatings('e1')).sort((x, y) => x.round - y.round);
    expect(ratings).toEqual([
      { round: 1, raterId: 'm', targetId: 'a', score: 5, tags: ['prepared'], note: 'great', at: 2 },
      { round: 2, raterId: 'm', targetId: 'a', score: 4, tags: [], at: 3 },
    ]);
  });

  it('lists plans in round order', async () => {
    await open();
    await store.createEvent(event('e1', 'PLN234'), lobbyState());
    const plan = (round: number): SeatingPlan => ({ round, tables: [], byes: [] });
    await store.commit('e1', 1, running(2, 1), [plan(2), plan(1)]);
    expect((await store.listPlans('e1')).map((p) => p.round)).toEqual([1, 2]);
  });

  it('deletes an event with its code, tokens, plans and ratings', async () => {
    await open();
    await store.createEvent(event('e1', 'DEL234'), lobbyState());
    await store.addParticipants('e1', [person('a', 'mentee')], ['tok']);
    await store.commit('e1', 1, running(2, 1), [{ round: 1, tables: [], byes: [] }]);
    await store.saveRating('e1', { round: 1, raterId: 'a', targetId: 'm', score: 2, tags: [], at: 1 });
    await store.deleteEvent('e1');
    expect(await store.getEvent('e1')).toBeNull();
    expect(await store.getState('e1')).toBeNull();
    expect(await store.eventIdByCode('DEL234')).toBeNull();
    expect(await store.ownerOfToken('tok')).toBeNull();
    expect(await store.listPlans('e1')).toEqual([]);
    expect(await store.listRatings('e1')).toEqual([]);
    expect(await store.dueEvents(Number.MAX_SAFE_INTEGER)).not.toContain('e1');
    expect(await store.createEvent(event('e9', 'DEL234'), lobbyState())).toBe(true);
  });

  it('counts attempts in a window that forgets itself', async () => {
    await open();
    const key = `wrong:${Math.random()}`;
    expect(await store.attempts(key, 1, 0)).toBe(0);
    expect(await store.attempts(key, 1, 1)).toBe(1);
    expect(await store.attempts(key, 1, 1)).toBe(2);
    expect(await store.attempts(key, 1, 0)).toBe(2);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.attempts(key, 1, 0)).toBe(0);
  });

  // Seating ahead and the seats' bytes are cached by these counters (planCache.ts, seatBytes.ts).
  it('moves the people and plans version counters on with every write to those lists, and only then', async () => {
    await open();
    expect((await store.listPeopleAndPlans('nobody')).versions).toEqual({ participants: 0, plans: 0 });
    await store.createEvent(event('e1', 'SAM234'), lobbyState());
    await store.createEvent(event('e2', 'OTH234'), lobbyState());
    const start = await store.listPeopleAndPlans('e1');
    expect(start).toEqual({ participants: [], plans: [], versions: { participants: 0, plans: 0 } });
    const seen = [start.versions];
    const moved = async (part: 'participants' | 'plans' | 'neither') => {
      const now = await store.listPeopleAndPlans('e1');
      const before = seen.at(-1)!;
      if (part === 'participants') expect(now.versions.participants).toBeGreaterThan(before.participants);
      else expect(now.versions.participants).toBe(before.participants);
      if (part === 'plans') expect(now.versions.plans).toBeGreaterThan(before.plans);
      else expect(now.versions.plans).toBe(before.plans);
      seen.push(now.versions);
      return now;
    };

    await store.addParticipants('e1', [person('m', 'mentor'), person('a', 'mentee')], ['h1', 'h2']);
    const two = await moved('participants');
    expect(two.participants.map((p) => p.id).sort()).toEqual(['a', 'm']);
    expect(Object.isFrozen(two.participants) && Object.isFrozen(two.participants[0]) && Object.isFrozen(two.participants[0]!.topics)).toBe(true);
    expect(await store.listParticipants('e1')).toEqual(two.participants);
    await store.changeParticipant('e1', 'a', (p) => ({ ...p, absent: true }));
    expect((await moved('participants')).participants.find((p) => p.id === 'a')?.absent).toBe(true);
    // The list handed out before is not changed under its reader.
    expect(two.participants.find((p) => p.id === 'a')?.absent).toBeUndefined();
    await store.addParticipants('e1', [person('b', 'mentee')], ['h3']);
    expect((await moved('participants')).participants.map((p) => p.id).sort()).toEqual(['a', 'b', 'm']);

    // Neither a new token, nor the clock, nor ratings, follow-ups or another event move them.
    await store.replaceToken('e1', 'b', 'h4');
    await store.commit('e1', 1, { ...lobbyState(), version: 2 });
    await store.saveRating('e1', { round: 1, raterId: 'a', targetId: 'm', score: 5, tags: [], at: 1 });
    await store.setFollowUp('e1', 'a', 'm', true);
    await store.addParticipants('e2', [person('x', 'mentee')], ['h5']);
    await moved('neither');

    const plan: SeatingPlan = { round: 1, tables: [{ table: 1, mentorId: 'm', menteeIds: ['b'] }], byes: [], madeFrom: seen.at(-1)! };
    await store.commit('e1', 2, running(3, 5000), [plan]);
    const planned = await moved('plans');
    expect(planned.plans).toEqual([plan]);
    expect(await store.listPlans('e1')).toEqual([plan]);
    // A commit without plans leaves the plans' counter as it was; a stale commit moves nothing.
    await store.commit('e1', 3, running(4, 6000));
    await store.commit('e1', 3, running(4, 7000), [{ ...plan, round: 2 }]);
    await moved('neither');
    await store.commit('e1', 4, running(5, 8000), [{ ...plan, tables: [] }]);
    expect((await moved('plans')).plans).toEqual([{ ...plan, tables: [] }]);
    // Equal counters, equal lists, read after read.
    expect(await store.listPeopleAndPlans('e1')).toEqual(await store.listPeopleAndPlans('e1'));
  });

  it('lands each of many writes sent at once; one that fails takes none of the others with it', async () => {
    await open();
    await store.createEvent(event('e1', 'BAT234'), lobbyState());
    await store.addParticipants('e1', [person('a', 'mentee')], ['tok-a']);
    const results = await Promise.allSettled([
      store.saveRating('e1', { round: 1, raterId: 'a', targetId: 'm', score: 4, tags: [], at: 1 }),
      store.setFollowUp('missing', 'a', 'm', true),
      store.addParticipants('e1', [person('b', 'mentee')], ['tok-b']),
      store.changeParticipant('e1', 'a', () => {
        throw new Error('a change that fails');
      }),
      store.setFollowUp('e1', 'a', 'm', true),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await store.listRatings('e1')).toHaveLength(1);
    expect(await store.listFollowUps('e1')).toEqual([{ fromId: 'a', toId: 'm' }]);
    expect(await store.getParticipant('e1', 'a')).toEqual(person('a', 'mentee'));
    expect(await store.ownerOfToken('tok-b')).toEqual({ eventId: 'e1', participantId: 'b' });
  });

  it('counts participants', async () => {
    await open();
    await store.createEvent(event('e1', 'CNT234'), lobbyState());
    expect(await store.countParticipants('e1')).toBe(0);
    await store.addParticipants('e1', [person('a', 'mentee'), person('b', 'mentee')], ['x', 'y']);
    expect(await store.countParticipants('e1')).toBe(2);
  });

  it('answers ping while reachable', async () => {
    await open();
    expect(await store.ping()).toBe(true);
  });

  const gone = async (id: string, code: string, token: string) => {
    expect(await store.getEvent(id)).toBeNull();
    expect(await store.getState(id)).toBeNull();
    expect(await store.eventIdByCode(code)).toBeNull();
    expect(await store.ownerOfToken(token)).toBeNull();
    expect(await store.listParticipants(id)).toEqual([]);
    expect(await store.listRatings(id)).toEqual([]);
    expect(await store.listFollowUps(id)).toEqual([]);
    expect(await store.listPlans(id)).toEqual([]);
  };

  it('deletes an ended event with everything about it once the retention period is over', async () => {
    await open({ retentionSeconds: 1 });
    await store.createEvent(event('e1', 'END234'), lobbyState());
    await store.createEvent(event('e2', 'RUN234'), lobbyState());
    await store.addParticipants('e1', [person('a', 'mentee'), person('m', 'mentor')], ['tok-a', 'tok-m']);
    await store.commit('e1', 1, running(2, 5000), [{ round: 1, tables: [], byes: [] }]);
    await store.commit('e2', 1, running(2, Date.now() + 3_600_000));
    await store.commit('e1', 2, { ...lobbyState(), status: 'ended', phase: 'ended', version: 3 });
    // Written after the end (people rate and follow up on the end screen): they go with the rest.
    await store.saveRating('e1', { round: 1, raterId: 'a', targetId: 'm', score: 4, tags: [], at: 1 });
    await store.setFollowUp('e1', 'a', 'm', true);
    await store.sweep(Date.now());
    expect(await store.getEvent('e1')).not.toBeNull();
    expect(await store.listRatings('e1')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await store.sweep(Date.now());
    await gone('e1', 'END234', 'tok-a');
    // A running event is kept however long it runs; the ended one's join code is free again.
    expect(await store.getEvent('e2')).not.toBeNull();
    expect(await store.createEvent(event('e3', 'END234'), lobbyState())).toBe(true);
  });

  it('deletes an event left in the lobby once nothing was written to it for the lobby expiry', async () => {
    const lobbyExpirySeconds = 1;
    await open({ lobbyExpirySeconds });
    const later = (ms: number) => Date.now() + ms;
    await store.createEvent(event('idle', 'IDL234'), lobbyState());
    await store.createEvent(event('busy', 'BSY234'), lobbyState());
    await store.createEvent(event('started', 'STA234'), lobbyState());
    await store.addParticipants('idle', [person('i', 'mentee')], ['tok-i']);
    await store.commit('started', 1, running(2, later(3_600_000)));
    expect(await store.sweep(later(500))).toEqual([]);
    await new Promise((r) => setTimeout(r, 600));
    // A join, a change to someone and a new link each count as activity.
    await store.addParticipants('busy', [person('b', 'mentee')], ['tok-b']);
    await new Promise((r) => setTimeout(r, 300));
    await store.changeParticipant('busy', 'b', (p) => ({ ...p, goal: 'learn' }));
    await store.replaceToken('busy', 'b', 'tok-b2');
    // 1.5 s after the idle event's last write, under 1 s after the busy one's.
    expect(await store.sweep(later(600))).toEqual(['idle']);
    await gone('idle', 'IDL234', 'tok-i');
    expect(await store.getEvent('busy')).not.toBeNull();
    expect(await store.ownerOfToken('tok-b2')).toEqual({ eventId: 'busy', participantId: 'b' });
    // A started event never expires from the lobby.
    expect(await store.sweep(later(30 * 86_400_000))).toEqual(['busy']);
    await gone('busy', 'BSY234', 'tok-b2');
    expect(await store.getEvent('started')).not.toBeNull();
  });
});

describe('Redis retention', () => {
  it('Redis store sets every key of an ended event to expire', async () => {
    const { inject } = await import('vitest');
    const { createClient } = await import('redis');
    const { RedisStore } = await import('../../server/store/RedisStore');
    const prefix = `tablehop-test:ret${Date.now()}:`;
    const store = await RedisStore.connect({ url: inject('redisUrl'), prefix, retentionSeconds: 1234, lobbyExpirySeconds: 60 });
    const raw = createClient({ url: inject('redisUrl') });
    await raw.connect();
    try {
      await store.createEvent(event('e1', 'EXP234'), lobbyState());
      await store.addParticipants('e1', [person('a', 'mentee'), person('m', 'mentor')], ['tok', 'tok-m']);
      await store.commit('e1', 1, { ...lobbyState(), status: 'ended', phase: 'ended', version: 2 });
      // Written after the end (follow-ups, a late rating, a fresh link): they expire with the rest.
      await store.setFollowUp('e1', 'a', 'm', true);
      await store.saveRating('e1', { round: 1, raterId: 'a', targetId: 'm', score: 4, tags: [], at: 1 });
      await store.replaceToken('e1', 'a', 'tok-new');
      const keys: string[] = [];
      for await (const batch of raw.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch);
      expect(keys.length).toBeGreaterThanOrEqual(8);
      for (const part of ['followups', 'ratings', 'tokenOf']) expect(keys, part).toContain(`${prefix}{e1}:${part}`);
      expect(keys).toContain(`${prefix}token:tok-new`);
      expect(keys).not.toContain(`${prefix}token:tok`);
      expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
      for (const key of keys.filter((k) => !k.endsWith(':due'))) {
        const ttl = await raw.ttl(key);
        expect(ttl, key).toBeGreaterThan(1200);
        expect(ttl, key).toBeLessThanOrEqual(1234);
      }
    } finally {
      await store.flushPrefix();
      await store.close();
      await raw.quit();
    }
  });
});

// Each RedisStore keeps the participants and plans it read (until a version counter moves):
// two instances on one Redis must still see every change the other one writes.
describe('two Redis stores on one Redis (two instances)', () => {
  it('each sees the participants and plans the other one writes, and hands out lists nobody can change', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([openTestStore('redis', prefix), openTestStore('redis', prefix)]);
    try {
      await a.createEvent(event('e1', 'TWO234'), lobbyState());
      await a.addParticipants('e1', [person('m', 'mentor'), person('x', 'mentee')], []);
      expect((await b.listParticipants('e1')).map((p) => p.id).sort()).toEqual(['m', 'x']);
      expect(await a.listPlans('e1')).toEqual([]);

      await a.addParticipants('e1', [person('y', 'mentee')], []);
      await a.changeParticipant('e1', 'x', (p) => ({ ...p, absent: true }));
      const seen = await b.listParticipants('e1');
      expect(seen.map((p) => p.id).sort()).toEqual(['m', 'x', 'y']);
      expect(seen.find((p) => p.id === 'x')?.absent).toBe(true);
      expect(Object.isFrozen(seen) && Object.isFrozen(seen[0]) && Object.isFrozen(seen[0]!.topics)).toBe(true);

      const one: SeatingPlan = { round: 1, tables: [{ table: 1, mentorId: 'm', menteeIds: ['y'] }], byes: [] };
      expect(await b.listPlans('e1')).toEqual([]);
      expect(await a.commit('e1', 1, running(2, 5000), [one])).toBe(true);
      expect(await b.listPlans('e1')).toEqual([one]);
      // A shown plan revised through b: a, which committed the first version, reads the new one.
      const revised: SeatingPlan = { ...one, tables: [{ table: 1, mentorId: 'm', menteeIds: ['x'] }] };
      expect(await a.listPlans('e1')).toEqual([one]);
      expect(await b.commit('e1', 2, running(3, 5000), [revised])).toBe(true);
      expect(await a.listPlans('e1')).toEqual([revised]);
      const two: SeatingPlan = { round: 2, tables: [{ table: 1, mentorId: 'm', menteeIds: ['y'] }], byes: ['x'] };
      expect(await a.commit('e1', 3, running(4, 5000), [two])).toBe(true);
      expect(await a.listPlans('e1')).toEqual([revised, two]);
      expect(await b.listPlans('e1')).toEqual([revised, two]);
      expect(Object.isFrozen(await a.listPlans('e1'))).toBe(true);
      // Both read the same counters: what one instance made from them, the other can name.
      expect((await a.listPeopleAndPlans('e1')).versions).toEqual((await b.listPeopleAndPlans('e1')).versions);
    } finally {
      await a.flush();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
