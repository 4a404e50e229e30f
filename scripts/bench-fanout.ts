// bench:fanout — how fast a phase change reaches thousands of phones, measured, not asserted.
//   npm run --silent bench:fanout -- --clients 5000 [--instances 2] [--workers 2] [--store redis|sqlite] [--json]
// Starts Tablehop instance(s) on Redis (REDIS_URL, default 127.0.0.1:6379, under a key
// prefix of its own, deleted afterwards) or one on the embedded store (--store sqlite: a
// data file in a temporary folder, deleted afterwards), joins N phones over HTTP (the join burst),
// connects them as socket.io-client phones from worker processes, triggers phase
// changes and measures, per phone, the time from the server committing a change to
// that phone holding its own new seat. Then a bare Socket.IO server broadcasts a seat
// message of the same size (a real one, taken from a phone) to the same phones at
// once: the floor. Each side's first change compiles its code and is not counted.
// BENCH_SERVER_ARGS passes node flags to the instances (e.g. --cpu-prof); with
// BENCH_SERVER_STDOUT set their output is shown.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { PROTOCOL_VERSION } from '../shared/protocol';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    instances: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    changes: { type: 'string', default: '3' },
    store: { type: 'string', default: 'redis' },
    json: { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const INSTANCES = Number(values.instances);
const WORKERS = Number(values.workers);
const CHANGES = Number(values.changes);
const STORE = values.store;
if (STORE !== 'redis' && STORE !== 'sqlite') throw new Error(`--store is redis or sqlite (got "${STORE}")`);
if (STORE === 'sqlite' && INSTANCES !== 1) throw new Error('--store sqlite runs one instance: the embedded store is one process\'s file.');
const DATA_DIR = STORE === 'sqlite' ? mkdtempSync(join(tmpdir(), 'tablehop-bench-')) : '';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PREFIX = `tablehop-bench:${randomBytes(4).toString('hex')}:`;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_FLAGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));
const log = (line: string) => process.stderr.write(`${line}\n`);
// Changes, and the floor's broadcasts, are this far apart: the phones settle in between.
// A real talk lasts minutes, long enough for the server to seat the next round ahead
// (server/realtime/seatsAhead.ts); so is this.
const SPACING_MS = Math.max(2000, CLIENTS / 2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
/** Resident memory of an instance after it collected its garbage (scripts/bench/memoryProbe.ts). */
function settledRssKB(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the instance did not report its memory')), 10_000);
    child.once('message', (message: { type: string; rssKB: number; collected: boolean }) => {
      clearTimeout(timer);
      if (!message.collected) reject(new Error('the instance cannot collect garbage on request (--expose-gc missing)'));
      resolve(message.rssKB);
    });
    child.send({ type: 'memory' });
  });
}

async function startInstance(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const probe = fileURLToPath(new URL('./bench/memoryProbe.ts', import.meta.url));
  // The node flags `npm start` runs the server with, then BENCH_SERVER_ARGS: extra ones,
  // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const flags = [...START_FLAGS, ...(process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, '--expose-gc', '--import', 'tsx', '--import', probe, 'server/main.ts'], {
    cwd: ROOT,
    // Every bench phone joins from 127.0.0.1, like a whole hall behind one venue NAT address:
    // the join limit is raised as an organizer of a big event would (README, "Running a big event").
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      REDIS_URL: STORE === 'redis' ? REDIS_URL : '',
      REDIS_PREFIX: PREFIX,
      DATA_DIR, LOG_LEVEL: 'warn',
      RATE_LIMIT_JOIN: String(Math.max(1200, CLIENTS * 2)),
      MAX_SOCKETS_PER_ADDRESS: String(Math.max(10_000, CLIENTS * 2)),
    },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child };
    await sleep(50);
  }
  throw new Error(`instance on ${port} did not start`);
}

interface Worker {
  child: ChildProcess;
  next<T = any>(type: string): Promise<T>;
}

function startWorker(): Promise<Worker> {
  const child = fork(fileURLToPath(new URL('./bench/phones.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<string, (message: any) => void>();
  child.on('message', (message: any) => {
    waiting.get(message.type)?.(message);
    waiting.delete(message.type);
  });
  const worker: Worker = { child, next: (type) => new Promise((resolve) => waiting.set(type, resolve)) };
  return worker.next('up').then(() => worker);
}

async function connectPhones(workers: Worker[], phones: { url: string; auth: Record<string, unknown> }[]): Promise<{ ready: number; failed: number }> {
  const replies = await Promise.all(
    workers.map((worker, w) => {
      const share = phones.filter((_, i) => i % workers.length === w);
      const reply = worker.next<{ ready: number; failed: number }>('connected');
      worker.child.send({ type: 'connect', phones: share });
      return reply;
    }),
  );
  return replies.reduce((sum, r) => ({ ready: sum.ready + r.ready, failed: sum.failed + r.failed }), { ready: 0, failed: 0 });
}

function ask<T>(worker: Worker, command: Record<string, unknown>, reply: string): Promise<T> {
  const answer = worker.next<T>(reply);
  worker.child.send(command);
  return answer;
}

async function reports(workers: Worker[]): Promise<{ seats: Record<string, number>[]; baseline: number[]; seatSamples: string[] }> {
  const replies = await Promise.all(
    workers.map((worker) => {
      const reply = worker.next('report');
      worker.child.send({ type: 'report' });
      return reply;
    }),
  );
  return { seats: replies.flatMap((r) => r.seats), baseline: replies.flatMap((r) => r.baseline), seatSamples: replies.flatMap((r) => r.seatSamples) };
}

async function closePhones(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map((worker) => {
      const reply = worker.next('closed');
      worker.child.send({ type: 'close' });
      return reply;
    }),
  );
}

async function main() {
  const instances = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance()));
  const api = (i: number) => instances[i % instances.length]!.url;
  const post = async (path: string, body: unknown, key?: string, i = 0) => {
    const response = await fetch(api(i) + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  // Tables of four: one mentor per five phones, so everyone has a seat each round.
  const event = (await post('/api/events', { name: 'Fan-out bench', rounds: CHANGES + 2, roundSeconds: 3600, changeoverSeconds: 1800, seatsPerTable: 4 })).body;
  const mentors = Math.max(1, Math.round(CLIENTS / 5));
  log(`joining ${CLIENTS} phones over HTTP on ${INSTANCES} instance(s)…`);
  const tokens: string[] = new Array(CLIENTS);
  const latencies: number[] = [];
  let joinErrors = 0;
  let nextJoin = 0;
  const joinStart = Date.now();
  const inFlight = 100;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (nextJoin < CLIENTS) {
        const i = nextJoin++;
        const started = performance.now();
        try {
          const reply = await post('/api/join', { code: event.code, name: `Phone ${i}`, role: i < mentors ? 'mentor' : 'mentee', topics: [`topic${i % 24}`, `topic${(i * 7) % 24}`] }, undefined, i);
          if (reply.status === 201) tokens[i] = reply.body.token;
          else joinErrors++;
        } catch {
          joinErrors++;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  const joinSeconds = (Date.now() - joinStart) / 1000;
  latencies.sort((a, b) => a - b);

  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker()));
  let rssBefore = 0;
  for (const i of instances) rssBefore += await settledRssKB(i.child);
  log(`connecting ${CLIENTS} phones from ${WORKERS} worker(s)…`);
  const phones = tokens.map((token, i) => ({ url: api(i), auth: { v: PROTOCOL_VERSION, token } })).filter((p) => p.auth.token);
  const connected = await connectPhones(workers, phones);
  if (connected.failed > 0) log(`${connected.failed} phone(s) could not connect`);
  if (connected.ready === 0) throw new Error('no phone could connect: is the server refusing the handshake?');
  await sleep(1000);
  let rssAfter = 0;
  for (const i of instances) rssAfter += await settledRssKB(i.child);

  const seatLatencies: number[] = [];
  let missing = 0;
  let seatPayloadBytes = 0;
  // The first change (the start) compiles the fan-out path and is not counted, like the
  // floor's first broadcast below; its figure is shown as "cold" in the readable output.
  let coldSeatP99 = NaN;
  let lastChange = 0;
  const actions = ['start', ...Array.from({ length: CHANGES }, () => 'skip')];
  for (const [n, action] of actions.entries()) {
    if (n > 0) await sleep(Math.max(0, lastChange + SPACING_MS - Date.now()));
    lastChange = Date.now();
    const reply = await post(`/api/events/${event.id}/actions`, { action }, event.organizerKey);
    if (reply.status !== 200) throw new Error(`${action}: ${reply.body.message}`);
    const { version, changedAt } = reply.body as { version: number; changedAt: number };
    // Press → commit includes seating the round, unless it was seated ahead (same clock: one machine).
    log(`${action} → ${reply.body.phase} ${reply.body.round}, committed ${changedAt - lastChange} ms after the press; waiting for seats…`);
    // Every phone should hold its new seat within seconds; wait up to 20 s, then count the
    // missing. Asking the workers how many have it is cheap, so asking does not slow them.
    for (let waited = 0; waited < 20_000; waited += 250) {
      await sleep(250);
      const counts = await Promise.all(workers.map((worker) => ask<{ have: number; of: number }>(worker, { type: 'count', version }, 'count')));
      if (counts.every((c) => c.have === c.of)) break;
    }
    const collected = await reports(workers);
    const these: number[] = [];
    for (const seats of collected.seats) {
      const at = seats[version];
      if (at === undefined) missing++;
      else these.push(at - changedAt);
    }
    these.sort((a, b) => a - b);
    log(`  p50 ${percentile(these, 50)} ms, p99 ${percentile(these, 99)} ms${n === 0 ? ' (warm-up, not counted)' : ''}`);
    if (n === 0) coldSeatP99 = percentile(these, 99);
    else seatLatencies.push(...these);
  }
  seatLatencies.sort((a, b) => a - b);
  // The floor broadcasts a seat message as phones really got it: of a sample (every
  // hundredth phone, every change), the one closest to their mean size. A real message,
  // not padding, so that phones decode the same shape in both measurements.
  const samples = (await reports(workers)).seatSamples;
  const meanSize = samples.reduce((sum, s) => sum + s.length, 0) / Math.max(1, samples.length);
  const typical = [...samples].sort((a, b) => Math.abs(a.length - meanSize) - Math.abs(b.length - meanSize))[0] ?? '{}';
  seatPayloadBytes = typical.length;
  await closePhones(workers);

  // The floor: a bare Socket.IO server broadcasting that message to every phone at once.
  // With the node flags the instances run with: the two differ only in what the server does.
  const bare = fork(fileURLToPath(new URL('./bench/bareServer.ts', import.meta.url)), [], { execArgv: [...START_FLAGS, '--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const barePort = await new Promise<number>((resolve) => bare.once('message', (m: any) => resolve(m.port)));
  await connectPhones(
    workers,
    phones.map(() => ({ url: `http://127.0.0.1:${barePort}`, auth: { bare: true } })),
  );
  await sleep(1000);
  const baseline: number[] = [];
  for (let i = 0; i <= CHANGES; i++) {
    bare.send({ type: 'broadcast', payload: typical });
    await sleep(SPACING_MS);
    const these = (await reports(workers)).baseline.sort((a, b) => a - b);
    log(`floor broadcast ${i}: p50 ${percentile(these, 50)} ms, p99 ${percentile(these, 99)} ms${i === 0 ? ' (warm-up, not counted)' : ''}`);
    if (i > 0) baseline.push(...these);
  }
  baseline.sort((a, b) => a - b);
  await closePhones(workers);
  bare.send({ type: 'close' });

  for (const worker of workers) worker.child.kill();
  await Promise.all(instances.map((instance) => new Promise((resolve) => instance.child.once('exit', resolve).kill('SIGTERM'))));
  if (STORE === 'sqlite') {
    rmSync(DATA_DIR, { recursive: true, force: true });
  } else {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
    await redis.quit();
  }

  const seatP99 = percentile(seatLatencies, 99);
  const baselineP99 = percentile(baseline, 99);
  const round = (n: number) => Math.round(n * 10) / 10;
  const result = {
    clients: CLIENTS,
    instances: INSTANCES,
    store: STORE,
    joinPerSec: Math.round(CLIENTS / joinSeconds),
    joinP99Ms: round(percentile(latencies, 99)),
    joinErrors,
    seatP50Ms: round(percentile(seatLatencies, 50)),
    seatP99Ms: round(seatP99),
    seatMaxMs: round(seatLatencies.at(-1) ?? NaN),
    baselineP99Ms: round(baselineP99),
    ratioP99: Math.round((seatP99 / baselineP99) * 100) / 100,
    rssKBPerPhone: round((rssAfter - rssBefore) / Math.max(1, connected.ready)),
    missing: missing + connected.failed * (CHANGES + 1),
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`Fan-out: ${CLIENTS} phones on ${INSTANCES} instance(s) on ${STORE}, ${CHANGES} phase changes, seat message ≈ ${seatPayloadBytes} bytes`);
    console.log(`  join burst       ${result.joinPerSec} joins/s, p99 ${result.joinP99Ms} ms, ${joinErrors} errors`);
    console.log(`  commit → seat    p50 ${result.seatP50Ms} ms, p99 ${result.seatP99Ms} ms, max ${result.seatMaxMs} ms, missing ${result.missing}  (cold first change: p99 ${coldSeatP99} ms)`);
    console.log(`  bare broadcast   p99 ${result.baselineP99Ms} ms  (ratio ${result.ratioP99})`);
    console.log(`  server memory    ${result.rssKBPerPhone} KB per connected phone`);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
