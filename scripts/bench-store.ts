// bench:store — a join burst and a rating burst over HTTP against the real server on the
// embedded store, measured, not asserted:
//   npm run --silent bench:store -- [--people 5000] [--runs 1] [--json]
// Each run starts the server three times, in a child process: on the same store in memory
// (':memory:', no disk: the in-memory path), on a data file in a temporary folder as
// Tablehop runs it (WAL, synchronous FULL: every reply waits for its fsync), and on a data
// file with synchronous NORMAL (no fsync per commit) for comparison. Against each it
// joins N people (one mentor per five) with 100 requests in flight, starts the event, and
// has everyone rate someone they sit with (N ratings), timing both bursts.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const PEOPLE = Number(values.people);
const RUNS = Number(values.runs);
const IN_FLIGHT = 100;
const START_FLAGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));
const log = (line: string) => process.stderr.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round1 = (n: number) => Math.round(n * 10) / 10;

async function startServer(file: string, synchronous: string): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(new URL('./bench/storeServer.ts', import.meta.url)), [file, synchronous], {
    execArgv: [...START_FLAGS, '--import', 'tsx'],
    // Every bench person comes from 127.0.0.1, like a hall behind one venue NAT address.
    env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_JOIN: String(PEOPLE * 4), RATE_LIMIT_RATINGS: String(PEOPLE * 4) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Runs `count` requests with IN_FLIGHT at a time; answers requests per second, p99 ms and errors. */
async function burst(count: number, request: (i: number) => Promise<boolean>): Promise<{ perSec: number; p99Ms: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const i = next++;
        const at = performance.now();
        if (!(await request(i).catch(() => false))) errors++;
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSec: Math.round(count / seconds), p99Ms: round1(percentile(latencies, 99)), errors };
}

async function measure(file: string, synchronous = 'full') {
  const { url, child } = await startServer(file, synchronous);
  const call = async (method: string, path: string, body?: unknown, key?: string) => {
    const response = await fetch(url + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  try {
    const event = (await call('POST', '/api/events', { name: 'Store bench', rounds: 2, roundSeconds: 3600, changeoverSeconds: 600, seatsPerTable: 4 })).body;
    const mentors = Math.max(1, Math.round(PEOPLE / 5));
    const tokens: string[] = new Array(PEOPLE);
    const joins = await burst(PEOPLE, async (i) => {
      const reply = await call('POST', '/api/join', { code: event.code, name: `Person ${i}`, role: i < mentors ? 'mentor' : 'mentee', topics: [`topic${i % 24}`] });
      tokens[i] = reply.body.token;
      return reply.status === 201;
    });
    await call('POST', `/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    // Whom each person sits with (not timed: reads, not writes).
    const targets: (string | undefined)[] = new Array(PEOPLE);
    await burst(PEOPLE, async (i) => {
      targets[i] = (await call('GET', '/api/me', undefined, tokens[i])).body.seat?.with[0]?.id;
      return true;
    });
    const ratings = await burst(PEOPLE, async (i) => {
      if (!targets[i]) return false;
      const reply = await call('POST', '/api/ratings', { round: 1, targetId: targets[i], score: 1 + (i % 5) }, tokens[i]);
      return reply.status < 300;
    });
    return { joins, ratings };
  } finally {
    await new Promise((resolve) => child.once('exit', resolve).send({ type: 'close' }));
  }
}

for (let run = 0; run < RUNS; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'tablehop-bench-'));
  try {
    log(`run ${run + 1}: ${PEOPLE} joins and ${PEOPLE} ratings, in memory…`);
    const memory = await measure(':memory:');
    log(`run ${run + 1}: the same on a data file…`);
    const disk = await measure(join(dir, 'tablehop.db'));
    log(`run ${run + 1}: the same on a data file with synchronous=NORMAL…`);
    const normal = await measure(join(dir, 'normal.db'), 'normal');
    const result = {
      people: PEOPLE,
      memoryJoinPerSec: memory.joins.perSec,
      fileJoinPerSec: disk.joins.perSec,
      memoryJoinP99Ms: memory.joins.p99Ms,
      fileJoinP99Ms: disk.joins.p99Ms,
      memoryRatingPerSec: memory.ratings.perSec,
      fileRatingPerSec: disk.ratings.perSec,
      memoryRatingP99Ms: memory.ratings.p99Ms,
      fileRatingP99Ms: disk.ratings.p99Ms,
      normalJoinPerSec: normal.joins.perSec,
      normalJoinP99Ms: normal.joins.p99Ms,
      normalRatingPerSec: normal.ratings.perSec,
      normalRatingP99Ms: normal.ratings.p99Ms,
      /** How many times slower the file is than memory (throughput, then p99), joins and ratings. */
      joinSlowdown: Math.round((memory.joins.perSec / disk.joins.perSec) * 100) / 100,
      ratingSlowdown: Math.round((memory.ratings.perSec / disk.ratings.perSec) * 100) / 100,
      errors: [memory, disk, normal].reduce((sum, m) => sum + m.joins.errors + m.ratings.errors, 0),
    };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`Store: ${PEOPLE} joins, then ${PEOPLE} ratings, ${IN_FLIGHT} requests in flight, one server process`);
      console.log(`  joins     memory ${result.memoryJoinPerSec}/s p99 ${result.memoryJoinP99Ms} ms   file ${result.fileJoinPerSec}/s p99 ${result.fileJoinP99Ms} ms   (${result.joinSlowdown}×)`);
      console.log(`  ratings   memory ${result.memoryRatingPerSec}/s p99 ${result.memoryRatingP99Ms} ms   file ${result.fileRatingPerSec}/s p99 ${result.fileRatingP99Ms} ms   (${result.ratingSlowdown}×)`);
      console.log(`  NORMAL    joins ${result.normalJoinPerSec}/s p99 ${result.normalJoinP99Ms} ms   ratings ${result.normalRatingPerSec}/s p99 ${result.normalRatingP99Ms} ms`);
      console.log(`  errors    ${result.errors}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
