// Redis goes away in the middle of a round and comes back: no instance crashes,
// /healthz says 503 meanwhile, and afterwards everything resumes without a restart,
// including the adapter's subscriptions (changes still cross instances).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { freePort } from '../support/ports';
import { api, sleep, waitFor } from '../support/http';
import { startServer, testPrefix, type TestServer } from '../support/server';

/** A Redis of this test's own (never the shared one), keeping its data on disk across a stop. */
function throwawayRedis(port: number, dir: string) {
  let child: ChildProcess | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
      await waitFor(async () => {
        const probe = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
        return new Promise<boolean>((resolve) => probe.on('exit', (code) => resolve(code === 0)));
      }, 10_000, 'the throwaway Redis');
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      child = null;
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tablehop-redis-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis trouble', () => {
  it('keeps both instances up, answers 503 while Redis is gone, and resumes when it is back', async () => {
    const redis = throwawayRedis(await freePort(), dir);
    await redis.start();
    cleanups.push(() => redis.stop());
    const prefix = testPrefix();
    const a: TestServer = await startServer('redis', { prefix, redisUrl: redis.url });
    const b: TestServer = await startServer('redis', { prefix, redisUrl: redis.url });
    cleanups.push(() => a.close(), () => b.close());

    const http = api(a.url);
    const event = (await http.post('/api/events', { name: 'Flaky night', rounds: 3, roundSeconds: 600, seatsPerTable: 1 })).body;
    const mentor = (await http.post('/api/join', { code: event.code, name: 'Mentor', role: 'mentor' })).body;
    const mentee = (await http.post('/api/join', { code: event.code, name: 'Mentee', role: 'mentee' })).body;
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);

    const phones: Socket[] = [a, b].map((server, i) =>
      io(server.url, { transports: ['websocket'], auth: { v: PROTOCOL_VERSION, token: [mentor, mentee][i].token }, forceNew: true, reconnectionDelay: 200 }),
    );
    cleanups.push(async () => phones.forEach((p) => p.disconnect()));
    const phases: string[][] = [[], []];
    // A phase change reaches a phone as phase:changed, or with its seats as seat:changed.
    phones.forEach((phone, i) => {
      phone.on('phase:changed', (summary) => phases[i]!.push(`${summary.phase}${summary.round}`));
      phone.on('seat:changed', ({ event: summary }) => phases[i]!.push(`${summary.phase}${summary.round}`));
    });
    await Promise.all(phones.map((phone) => new Promise((resolve) => phone.once('me:snapshot', resolve))));

    await redis.stop();
    for (const server of [a, b]) {
      await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 503, 5000, '/healthz to say 503');
      const state = await api(server.url).get(`/api/events/${event.id}/state`);
      expect(state.status).toBe(503);
      expect(state.body.message).toMatch(/unreachable/);
    }
    // A skip while Redis is away changes nothing and says why.
    const refused = await http.post(`/api/events/${event.id}/actions`, { action: 'skip' }, event.organizerKey);
    expect(refused.status).toBe(503);
    await sleep(1000); // the phase ticker keeps failing meanwhile; the process must stay up
    expect(phones.every((p) => p.connected)).toBe(true);

    await redis.start();
    for (const server of [a, b]) await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 200, 15_000, '/healthz to recover');
    const state = (await http.get(`/api/events/${event.id}/state`)).body;
    expect(state).toMatchObject({ phase: 'talk', round: 1, status: 'running' });

    // After the reconnect, a change made through a still reaches the phone on b: the adapter re-subscribed.
    await waitFor(async () => (await http.post(`/api/events/${event.id}/actions`, { action: 'skip' }, event.organizerKey)).status === 200, 10_000, 'the skip to go through');
    await waitFor(() => phases.every((seen) => seen.includes('changeover1')), 10_000, 'both phones to hear of the changeover');
  }, 60_000);

  it('does not skip a changeover whose deadlines passed while Redis was away', async () => {
    const redis = throwawayRedis(await freePort(), dir);
    await redis.start();
    cleanups.push(() => redis.stop());
    const server = await startServer('redis', { prefix: testPrefix(), redisUrl: redis.url });
    cleanups.push(() => server.close());
    const http = api(server.url);
    // A 2 s talk, then a 3 s changeover: both deadlines fall inside a 6 s outage.
    const event = (await http.post('/api/events', { name: 'Short night', rounds: 2, roundSeconds: 2, changeoverSeconds: 3, seatsPerTable: 1 })).body;
    const mentor = (await http.post('/api/join', { code: event.code, name: 'Mentor', role: 'mentor' })).body;
    await http.post('/api/join', { code: event.code, name: 'Mentee', role: 'mentee' });
    const phone = io(server.url, { transports: ['websocket'], auth: { v: PROTOCOL_VERSION, token: mentor.token }, forceNew: true, reconnectionDelay: 200 });
    cleanups.push(async () => phone.disconnect());
    const seen: { phase: string; leftMs: number; nextSeat: boolean }[] = [];
    phone.on('seat:changed', ({ event: summary, nextSeat }) =>
      seen.push({ phase: `${summary.phase}${summary.round}`, leftMs: (summary.phaseEndsAt ?? 0) - summary.serverNow, nextSeat: Boolean(nextSeat) }),
    );
    await new Promise((resolve) => phone.once('me:snapshot', resolve));
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    await waitFor(() => seen.some((s) => s.phase === 'talk1'), 5000, 'talk 1');

    await redis.stop();
    await sleep(6000);
    await redis.start();

    await waitFor(() => seen.some((s) => s.phase === 'talk2'), 20_000, 'talk 2');
    const order = seen.map((s) => s.phase);
    expect(order.slice(order.indexOf('talk1'))).toEqual(['talk1', 'changeover1', 'talk2']);
    // The phone was shown the changeover with its next seat, and time to see it (3 s from
    // when it was noticed, not a countdown already over).
    const changeover = seen.find((s) => s.phase === 'changeover1')!;
    expect(changeover.nextSeat).toBe(true);
    expect(changeover.leftMs).toBeGreaterThan(2000);
  }, 60_000);
});
