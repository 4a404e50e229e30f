// Several instances on one Redis: changes reach phones on every instance, phases
// advance exactly once however instances die, and a crashed server comes back with
// every phone on its seat.
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import type { MeView, PublicEventState, RoundState } from '../../shared/domain';
import { RedisStore } from '../../server/store/RedisStore';
import { instance, type Instance } from '../support/cluster';
import { api, sleep, waitFor } from '../support/http';
import { startServer, testPrefix, type TestServer } from '../support/server';
import { openTap } from '../support/sockets';

/** A phone that reconnects by itself, as the real page does. */
const connect = (url: string, auth: Record<string, unknown>) => openTap(url, auth, { reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 500 });

async function newEvent(base: string, body: Record<string, unknown>, mentors: number, mentees: number) {
  const http = api(base);
  const event = (await http.post('/api/events', { name: 'Scale night', ...body })).body;
  const people: { participantId: string; token: string; role: string }[] = [];
  for (let i = 0; i < mentors + mentees; i++) {
    const role = i < mentors ? 'mentor' : 'mentee';
    const joined = (await http.post('/api/join', { code: event.code, name: `${role} ${i}`, role })).body;
    people.push({ ...joined, role });
  }
  return { http, event, people, act: (action: string) => http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action }, event.organizerKey) };
}

/** Position of a phase in the event's life: lobby 0, talk r = 2r−1, changeover r = 2r, ended last. */
const phaseIndex = (s: RoundState, rounds: number) =>
  s.phase === 'lobby' ? 0 : s.phase === 'talk' ? 2 * s.round - 1 : s.phase === 'changeover' ? 2 * s.round : 2 * rounds + 1;

describe('two instances on one Redis', () => {
  it('a change made through one instance reaches phones on both, each with its own seat', async () => {
    const prefix = testPrefix();
    const a: TestServer = await startServer('redis', { prefix });
    const b: TestServer = await startServer('redis', { prefix });
    const { http, event, people, act } = await newEvent(a.url, { rounds: 2, roundSeconds: 600, seatsPerTable: 1 }, 2, 2);

    const phones = people.map((p, i) => ({ person: p, phone: connect(i % 2 ? b.url : a.url, { token: p.token }) }));
    const projector = connect(b.url, { eventId: event.id });
    const control = connect(b.url, { eventId: event.id, organizerKey: event.organizerKey });
    for (const { phone } of phones) await waitFor(() => phone.last('me:snapshot'), 5000, 'a snapshot');

    // Control sits on b; half the phones sit on a: all of them count as online.
    await waitFor(() => (control.last('control:snapshot')?.roster as { online: boolean }[] | undefined)?.every((r) => r.online), 5000, 'everyone online on Control');

    await act('start');
    for (const { person, phone } of phones) {
      const seat = await waitFor(() => phone.last('seat:changed'), 5000, 'a seat on every instance');
      const me = (await http.get<MeView>('/api/me', person.token)).body;
      expect(seat.seat).toEqual(me.seat);
      expect(seat.event).toMatchObject({ phase: 'talk', round: 1 });
      // Each instance delivers once: no duplicate seat messages through the adapter.
      expect(phone.all('seat:changed')).toHaveLength(1);
    }
    const screen = await waitFor(() => (projector.last('state:snapshot')?.phase === 'talk' ? projector.last('state:snapshot') : undefined), 5000, 'the projector on b');
    expect(screen.tables).toHaveLength(2);

    // And the other way round: Control on b steers, phones on a follow.
    const ack = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'skip' });
    expect(ack).toMatchObject({ ok: true, value: { phase: 'changeover' } });
    for (const { phone } of phones) await waitFor(() => phone.last('seat:changed')?.event.phase === 'changeover', 5000, 'the changeover everywhere');
  });

  it('advances every phase exactly once while instances are killed at random moments (50 kills)', async () => {
    const redisUrl = inject('redisUrl');
    const prefix = testPrefix();
    const store = await RedisStore.connect({ url: redisUrl, prefix, retentionSeconds: 60, lobbyExpirySeconds: 60 });
    onTestFinished(async () => {
      await store.flushPrefix();
      await store.close();
    });
    const instances: Instance[] = [await instance({ redisUrl, prefix, tickMs: 50 }), await instance({ redisUrl, prefix, tickMs: 50 })];
    onTestFinished(() => Promise.all(instances.map((i) => i.stop())).then(() => {}));
    await Promise.all(instances.map((i) => i.start()));

    const rounds = 100;
    const { event, act } = await newEvent(instances[0]!.url, { rounds, roundSeconds: 1, changeoverSeconds: 1, seatsPerTable: 2 }, 3, 5);
    await act('start');

    // Watch the committed state straight from Redis while instances die and come back.
    const seen: (RoundState & { at: number })[] = [];
    let worstOverdueMs = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const state = await store.getState(event.id);
        const at = Date.now();
        if (state) {
          if (state.version !== seen.at(-1)?.version) seen.push({ ...state, at });
          if (state.status === 'running' && state.phaseEndsAt !== null) worstOverdueMs = Math.max(worstOverdueMs, at - state.phaseEndsAt);
        }
        await sleep(20);
      }
    })();

    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let kill = 0; kill < 50; kill++) {
      await sleep(Math.floor(random() * 400));
      const victim = instances[Math.floor(random() * instances.length)]!;
      await victim.crash();
      await victim.start();
    }
    watching = false;
    await watcher;

    expect(seen.length).toBeGreaterThan(10);
    let onSchedule = 0;
    for (let i = 1; i < seen.length; i++) {
      const before = seen[i - 1]!;
      const after = seen[i]!;
      // Every commit is one step forward: the round counter never skips or repeats.
      expect(phaseIndex(after, rounds) - phaseIndex(before, rounds), `version ${before.version} → ${after.version}`).toBe(after.version - before.version);
      // And each step lands on the schedule (the next deadline follows from the last one), or,
      // entered more than a second late (right after a kill), lasts its whole second from
      // then: never shorter, never skipped (roundEngine's advanceDue).
      if (after.version === before.version + 1 && after.phaseEndsAt !== null && before.phaseEndsAt !== null) {
        const gap = after.phaseEndsAt - before.phaseEndsAt;
        if (gap === 1000) onSchedule++;
        expect(gap, `version ${after.version}`).toBeGreaterThanOrEqual(1000);
        expect(gap, `version ${after.version}`).toBeLessThan(1000 + 2000);
      }
    }
    expect(onSchedule, 'steps on the schedule').toBeGreaterThan(seen.length / 2);
    // With one instance always up, a due phase never waits more than 2 s.
    expect(worstOverdueMs).toBeLessThan(2000);
  }, 180_000);
});

describe('a single server on Redis', () => {
  it('after kill -9 and a restart: same round, phase and deadline; phones back on their seats; ratings stored once', async () => {
    const redisUrl = inject('redisUrl');
    const prefix = testPrefix();
    const server = await instance({ redisUrl, prefix });
    onTestFinished(() => server.stop());
    const store = await RedisStore.connect({ url: redisUrl, prefix, retentionSeconds: 60, lobbyExpirySeconds: 60 });
    onTestFinished(async () => {
      await store.flushPrefix();
      await store.close();
    });
    await server.start();
    const { http, event, people, act } = await newEvent(server.url, { rounds: 3, roundSeconds: 600, changeoverSeconds: 300, seatsPerTable: 1 }, 2, 3);
    await act('start');
    await act('skip'); // changeover 1: time to rate
    const before = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
    const phones = people.map((p) => ({ person: p, phone: connect(server.url, { token: p.token }) }));
    const seats = new Map<string, unknown>();
    for (const { person, phone } of phones) {
      const snapshot = await waitFor(() => phone.last('me:snapshot'), 5000, 'a snapshot');
      seats.set(person.participantId, { seat: snapshot.seat, nextSeat: snapshot.nextSeat });
    }
    const mentor = people[0]!;
    const mentee = before.tables.find((t) => t.mentor.id === mentor.participantId)!.mentees[0]!;
    const rating = { round: 1, targetId: mentee.id, score: 4, note: 'sent around the crash' };
    expect((await http.post('/api/ratings', rating, mentor.token)).status).toBe(201);

    await server.crash();
    const downAt = Date.now();
    // A phone retries while the server is down: that request fails, the retry after the restart lands.
    const whileDown = await http.post('/api/ratings', rating, mentor.token).catch(() => null);
    expect(whileDown).toBeNull();
    await sleep(300);
    await server.start();
    const backAt = Date.now();
    expect((await http.post('/api/ratings', rating, mentor.token)).status).toBe(201);

    const after = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
    expect(after).toMatchObject({ phase: before.phase, round: before.round, phaseEndsAt: before.phaseEndsAt, status: 'running' });
    for (const { person, phone } of phones) {
      // Any snapshot after the crash comes from the restarted process (a quick phone may get
      // it before start() has seen /healthz answer).
      await waitFor(() => phone.inbox.some((m) => m.event === 'me:snapshot' && m.at > downAt), 5000, 'a fresh snapshot after the restart');
      const fresh = phone.inbox.filter((m) => m.event === 'me:snapshot' && m.at > downAt).at(-1)!;
      expect(fresh.at - backAt).toBeLessThan(5000);
      expect({ seat: fresh.payload.seat, nextSeat: fresh.payload.nextSeat }).toEqual(seats.get(person.participantId));
    }
    expect(backAt - downAt).toBeLessThan(10_000);
    const ratings = await store.listRatings(event.id);
    expect(ratings.filter((r) => r.raterId === mentor.participantId)).toHaveLength(1);
  }, 60_000);
});
