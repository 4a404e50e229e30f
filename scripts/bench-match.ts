// Benchmark of the round planner on simulated events (not a test: timings vary
// by machine). Each instance runs in its own process so peak memory is its own.
//
//   npm run --silent bench:match            readable table
//   npm run --silent bench:match -- --json  one JSON array, one object per instance
//
// Every mentee is present from the start and rounds ≤ mentors, so a
// repeat-free plan exists every round. Each process first plans a warm-up
// event of the same size and rounds (other people, other seed), as a server that
// has already planned rounds has its planner compiled; the readable table also
// shows the first of those rounds ("cold ms", a freshly started process).
// Per instance:
//   msP50, msMax     time of planRound per round (6 rounds)
//   peakRssMB        peak resident memory of the process, measured before the exact solver runs
//   repeats          mentor–mentee pairs met twice, over all rounds
//   sessionSpread    largest (most − fewest sessions) after any round
//   scoreVsOptimum   planned shared topics ÷ the optimum of linear-sum-assignment for the same
//                    seated mentees and the same history (repeats forbidden), summed over rounds;
//                    null where that solver (dense, cubic) would take too long
//   scoreVsRotation  planned shared topics ÷ those of the rotation an organizer does by hand:
//                    the same seated mentees in list order, the q-th at table (q + round) mod tables
// The readable table also shows "replan ms": re-planning each shown round after one mentor
// left, 1% of the mentees left and 1% more arrived (replanRound, the live-change path).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { linearSumAssignment } from 'linear-sum-assignment';
import { planRound } from '../shared/matching/planRound';
import { replanRound } from '../shared/matching/replanRound';
import { Pairs, UnorderedPairs } from '../shared/matching/pairs';
import type { MatchInput, MatchMentee, MatchMentor, SeatingPlan } from '../shared/matching/types';
import { mulberry32 } from '../test/support/random';

interface Instance {
  mentees: number;
  mentors: number;
  seatsPerTable: number;
  rounds: number;
}

interface Result extends Instance {
  msP50: number;
  msMax: number;
  peakRssMB: number;
  repeats: number;
  sessionSpread: number;
  scoreVsOptimum: number | null;
  scoreVsRotation: number | null;
}

const INSTANCES: Instance[] = [
  { mentees: 40, mentors: 10, seatsPerTable: 1, rounds: 6 },
  { mentees: 200, mentors: 40, seatsPerTable: 2, rounds: 6 },
  { mentees: 1000, mentors: 200, seatsPerTable: 4, rounds: 6 },
  { mentees: 4000, mentors: 800, seatsPerTable: 4, rounds: 6 },
  { mentees: 10000, mentors: 2000, seatsPerTable: 4, rounds: 6 },
];
/** The exact solver is dense and cubic: run it only up to this many seats. */
const EXACT_MAX_SEATS = 1000;
const TOPICS = [
  'career', 'ai', 'product', 'design', 'leadership', 'data', 'frontend', 'backend', 'cloud', 'security',
  'startups', 'fundraising', 'marketing', 'sales', 'ux research', 'mobile', 'devops', 'ml ops', 'open source',
  'public speaking', 'hiring', 'management', 'freelancing', 'accessibility',
];

/** Topics by popularity (Zipf-like: "career" and "ai" are picked far more than "accessibility"). */
function pickTopics(r: () => number, lo: number, hi: number): string[] {
  const weights = TOPICS.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const n = lo + Math.floor(r() * (hi - lo + 1));
  const out = new Set<string>();
  while (out.size < n) {
    let x = r() * total;
    let i = 0;
    while (i < TOPICS.length - 1 && x > weights[i]!) x -= weights[i++]!;
    out.add(TOPICS[i]!);
  }
  return [...out];
}

const shared = (a: readonly string[], b: readonly string[]): number => a.filter((t) => b.includes(t)).length;

function makeEvent(spec: Instance, seed: number, tag: string): { mentors: MatchMentor[]; mentees: MatchMentee[] } {
  const r = mulberry32(seed);
  return {
    mentors: Array.from({ length: spec.mentors }, (_, i) => ({ id: `${tag}mentor-${i}`, table: i + 1, topics: pickTopics(r, 2, 5) })),
    mentees: Array.from({ length: spec.mentees }, (_, i) => ({ id: `${tag}mentee-${i}`, topics: pickTopics(r, 1, 4), sessions: 0 })),
  };
}

/** Plans a few rounds of another event of the same size; returns the time of the first (cold) one. */
function warmUp(spec: Instance): number {
  const { mentors, mentees } = makeEvent(spec, spec.mentees * 31 + spec.mentors + 1000, 'warm-');
  const met = new Pairs();
  const coSeated = new UnorderedPairs();
  let cold = 0;
  for (let round = 1; round <= spec.rounds; round++) {
    const t0 = performance.now();
    const plan = planRound({ round, seatsPerTable: spec.seatsPerTable, mentors, mentees: mentees.map((m) => ({ ...m })), met, coSeated, seed: 2024 });
    if (round === 1) cold = performance.now() - t0;
    for (const t of plan.tables) {
      for (const id of t.menteeIds) met.add(t.mentorId, id);
      for (const a of t.menteeIds) for (const b of t.menteeIds) if (a < b) coSeated.add(a, b);
    }
    const seated = new Set(plan.tables.flatMap((t) => t.menteeIds));
    for (const m of mentees) if (seated.has(m.id)) m.sessions++;
  }
  return cold;
}

function runInstance(spec: Instance): { result: Result; coldMs: number; replanP50: number; replanMax: number } {
  const coldMs = warmUp(spec);
  const { mentors, mentees } = makeEvent(spec, spec.mentees * 31 + spec.mentors, '');
  const mentorById = new Map(mentors.map((m) => [m.id, m]));
  const menteeIndex = new Map(mentees.map((m, i) => [m.id, i]));
  const met = new Pairs();
  const coSeated = new UnorderedPairs();
  const times: number[] = [];
  const replans: number[] = [];
  let repeats = 0;
  let sessionSpread = 0;
  let planned = 0;
  let rotation = 0;
  const rounds: { input: MatchInput; seatedIds: string[]; topics: number }[] = [];
  const exact = spec.mentors * spec.seatsPerTable <= EXACT_MAX_SEATS;

  for (let round = 1; round <= spec.rounds; round++) {
    const input: MatchInput = { round, seatsPerTable: spec.seatsPerTable, mentors, mentees: mentees.map((m) => ({ ...m })), met, coSeated, seed: 2024 };
    const t0 = performance.now();
    const plan = planRound(input);
    times.push(performance.now() - t0);
    replans.push(timeReplan(plan, input, round));

    const seatedIds: string[] = [];
    let topics = 0;
    for (const t of plan.tables) {
      const mentor = mentorById.get(t.mentorId)!;
      for (const id of t.menteeIds) {
        if (met.has(t.mentorId, id)) repeats++;
        topics += shared(mentees[menteeIndex.get(id)!]!.topics, mentor.topics);
        seatedIds.push(id);
      }
    }
    planned += topics;
    // The organizer's rotation for the same seated mentees.
    const seatedInOrder = seatedIds.map((id) => menteeIndex.get(id)!).sort((a, b) => a - b);
    seatedInOrder.forEach((i, q) => (rotation += shared(mentees[i]!.topics, mentors[(q + round) % mentors.length]!.topics)));
    if (exact) rounds.push({ input: { ...input, met: new Pairs(met) }, seatedIds, topics });

    for (const t of plan.tables) {
      for (const id of t.menteeIds) met.add(t.mentorId, id);
      for (const a of t.menteeIds) for (const b of t.menteeIds) if (a < b) coSeated.add(a, b);
    }
    const seated = new Set(seatedIds);
    for (const m of mentees) if (seated.has(m.id)) m.sessions++;
    const sessions = mentees.map((m) => m.sessions);
    sessionSpread = Math.max(sessionSpread, Math.max(...sessions) - Math.min(...sessions));
  }
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);

  let scoreVsOptimum: number | null = null;
  if (exact) {
    let best = 0;
    for (const { input, seatedIds } of rounds) best += exactTopics(input, seatedIds.map((id) => mentees[menteeIndex.get(id)!]!));
    scoreVsOptimum = best === 0 ? null : planned / best;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const result: Result = {
    ...spec,
    msP50: round1(median(sorted)),
    msMax: round1(sorted[sorted.length - 1]!),
    peakRssMB,
    repeats,
    sessionSpread,
    scoreVsOptimum: scoreVsOptimum === null ? null : round4(scoreVsOptimum),
    scoreVsRotation: rotation === 0 ? null : round4(planned / rotation),
  };
  const replanSorted = [...replans].sort((a, b) => a - b);
  return { result, coldMs: round1(coldMs), replanP50: round1(median(replanSorted)), replanMax: round1(replanSorted.at(-1)!) };
}

const median = (sorted: number[]): number => (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;

/** Time to re-plan a shown round after one mentor left, 1% of mentees left and 1% arrived. */
function timeReplan(shown: SeatingPlan, input: MatchInput, round: number): number {
  const step = Math.max(1, Math.round(input.mentees.length / 100));
  const late: MatchMentee[] = Array.from({ length: step }, (_, i) => ({ id: `late-${round}-${i}`, topics: input.mentees[i]!.topics, sessions: 0 }));
  const now: MatchInput = {
    ...input,
    mentors: input.mentors.slice(1),
    mentees: [...input.mentees.filter((_, i) => i % 100 !== 7), ...late],
  };
  const t0 = performance.now();
  replanRound(shown, now);
  return performance.now() - t0;
}

/** Best total shared topics for these seated mentees, repeats forbidden: linear-sum-assignment over seats. */
function exactTopics(input: MatchInput, seated: readonly MatchMentee[]): number {
  const seats = input.mentors.flatMap((m) => Array<MatchMentor>(input.seatsPerTable).fill(m));
  const matrix = seated.map((e) => seats.map((m) => shared(e.topics, m.topics) - (input.met.has(m.id, e.id) ? 1000 : 0)));
  const { rowAssignments } = linearSumAssignment(matrix, { maximaze: true });
  return seated.reduce((sum, e, row) => {
    const m = seats[rowAssignments[row]!]!;
    if (input.met.has(m.id, e.id)) throw new Error('exact solver needed a repeat');
    return sum + shared(e.topics, m.topics);
  }, 0);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round4 = (x: number): number => Math.round(x * 10000) / 10000;

function table(runs: ReturnType<typeof runInstance>[]): string {
  const head = ['mentees×mentors×seats', 'rounds', 'ms p50', 'ms max', 'cold ms', 'replan ms p50', 'replan ms max', 'peak RSS MB', 'repeats', 'spread', 'vs optimum', 'vs rotation'];
  const rows = runs.map(({ result: x, coldMs, replanP50, replanMax }) => [
    `${x.mentees}×${x.mentors}×${x.seatsPerTable}`,
    String(x.rounds),
    x.msP50.toFixed(1),
    x.msMax.toFixed(1),
    coldMs.toFixed(1),
    replanP50.toFixed(1),
    replanMax.toFixed(1),
    String(x.peakRssMB),
    String(x.repeats),
    String(x.sessionSpread),
    x.scoreVsOptimum === null ? '—' : x.scoreVsOptimum.toFixed(4),
    x.scoreVsRotation === null ? '—' : x.scoreVsRotation.toFixed(4),
  ]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(width[c]!) : cell.padStart(width[c]!))).join('  ');
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const args = process.argv.slice(2);
const one = args.find((a) => a.startsWith('--instance='));
if (one) {
  const [mentees, mentors, seatsPerTable, rounds] = one.slice('--instance='.length).split(',').map(Number);
  process.stdout.write(`${JSON.stringify(runInstance({ mentees: mentees!, mentors: mentors!, seatsPerTable: seatsPerTable!, rounds: rounds! }))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const runs = INSTANCES.map((spec) => {
    const child = spawnSync(process.execPath, [...process.execArgv, script, `--instance=${spec.mentees},${spec.mentors},${spec.seatsPerTable},${spec.rounds}`], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`instance ${JSON.stringify(spec)} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as ReturnType<typeof runInstance>;
  });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(runs.map((run) => run.result))}\n` : `${table(runs)}\n`);
}
