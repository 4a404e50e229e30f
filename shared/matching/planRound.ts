// Seats one round as an exact min-cost max-flow (source → mentee cap 1 →
// mentor cap 1 → sink cap seatsPerTable) whose edge costs are lexicographic
// vectors [repeats, -seated per sessions tier (lowest first), -shared topics,
// seeded tie-break], so each matching rule strictly dominates the ones below it
// without big-M weights. Max flow = every seat filled while mentees remain.
// Co-seating (group tables) is not linear in the assignment, so it is reduced
// afterwards by a deterministic local search that only makes moves keeping the
// first three objectives exactly equal. Inputs are sorted by id first and ties
// come from a seeded hash, so the plan never depends on input order.
import type { SeatingPlan, TablePlan } from '../domain';
import { MinCostFlow } from './minCostFlow';
import { coSeatKey, pairKey, type MatchInput, type MatchMentee, type MatchMentor } from './types';

/** Plans one round's seating. Pure and deterministic for a given input (including `seed`). */
export function planRound(input: MatchInput): SeatingPlan {
  const mentors = [...input.mentors].sort(byTableThenId);
  const mentees = [...input.mentees].sort(byId);
  const N = mentors.length;
  const M = mentees.length;
  const seats = Math.max(0, Math.floor(Number.isFinite(input.seatsPerTable) ? input.seatsPerTable : 0));
  const K = Math.min(M, N * seats);

  const tableOf = new Int32Array(M).fill(-1); // mentee → mentor index
  if (K > 0) {
    const ctx = buildContext(input, mentors, mentees, seats);
    solveFlow(ctx, K, tableOf);
    if (seats > 1) reduceCoSeating(ctx, tableOf, input.coSeated);
  }

  const members: string[][] = mentors.map(() => []);
  const byes: string[] = [];
  for (let i = 0; i < M; i++) {
    const j = tableOf[i]!;
    if (j >= 0) members[j]!.push(mentees[i]!.id);
    else byes.push(mentees[i]!.id);
  }
  const tables: TablePlan[] = mentors.map((mentor, j) => ({
    table: mentor.table,
    mentorId: mentor.id,
    menteeIds: members[j]!.sort(compareStrings),
  }));
  return { round: input.round, tables, byes: byes.sort(compareStrings) };
}

interface Context {
  mentors: MatchMentor[];
  mentees: MatchMentee[];
  seats: number;
  /** Rank of each mentee's sessions value among the distinct values present (0 = fewest). */
  tier: Int32Array;
  tierCount: number;
  /** Row-major M × N: 1 when the pair already met. */
  met: Uint8Array;
  /** Row-major M × N: number of shared topics. */
  shared: Int32Array;
  seed: number;
}

function buildContext(input: MatchInput, mentors: MatchMentor[], mentees: MatchMentee[], seats: number): Context {
  const N = mentors.length;
  const M = mentees.length;

  const sessionValues = [...new Set(mentees.map((m) => m.sessions))].sort((a, b) => a - b);
  const rank = new Map(sessionValues.map((v, r) => [v, r]));
  const tier = Int32Array.from(mentees, (m) => rank.get(m.sessions)!);

  const topicIds = new Map<string, number>();
  const topicSet = (topics: readonly string[]): number[] => {
    const ids = new Set<number>();
    for (const t of topics) {
      const key = t.toLowerCase();
      let id = topicIds.get(key);
      if (id === undefined) topicIds.set(key, (id = topicIds.size));
      ids.add(id);
    }
    return [...ids];
  };
  const mentorTopics = mentors.map((m) => new Set(topicSet(m.topics)));
  const menteeTopics = mentees.map((m) => topicSet(m.topics));

  const met = new Uint8Array(M * N);
  const shared = new Int32Array(M * N);
  for (let i = 0; i < M; i++) {
    const mentee = mentees[i]!;
    const mine = menteeTopics[i]!;
    for (let j = 0; j < N; j++) {
      if (input.met.has(pairKey(mentors[j]!.id, mentee.id))) met[i * N + j] = 1;
      const theirs = mentorTopics[j]!;
      let s = 0;
      for (const t of mine) if (theirs.has(t)) s++;
      shared[i * N + j] = s;
    }
  }
  return { mentors, mentees, seats, tier, tierCount: sessionValues.length, met, shared, seed: input.seed };
}

function solveFlow(ctx: Context, K: number, tableOf: Int32Array): void {
  const { mentors, mentees, seats, tier, met, shared } = ctx;
  const N = mentors.length;
  const M = mentees.length;
  // With exactly K seated, the highest tier's count follows from the others, and
  // when everyone fits no tier term matters at all.
  const tierDims = M > K ? ctx.tierCount - 1 : 0;
  const D = tierDims + 3;
  const TOPICS = D - 2;
  const TIE = D - 1;

  const source = 0;
  const sink = M + N + 1;
  const flow = new MinCostFlow(M + N + 2, D);
  const cost = new Array<number>(D).fill(0);

  for (let i = 0; i < M; i++) {
    cost.fill(0);
    const t = tier[i]!;
    if (t < tierDims) cost[1 + t] = -1;
    flow.addEdge(source, 1 + i, 1, cost);
  }

  const seedHash = hashSeed(ctx.seed);
  const mentorHash = mentors.map((m) => hashString(m.id));
  const pairEdge = new Int32Array(M * N);
  for (let i = 0; i < M; i++) {
    const menteeHash = fmix32(seedHash ^ hashString(mentees[i]!.id));
    for (let j = 0; j < N; j++) {
      cost.fill(0);
      cost[0] = met[i * N + j]!;
      cost[TOPICS] = -shared[i * N + j]!;
      cost[TIE] = fmix32((menteeHash + Math.imul(mentorHash[j]!, 0x9e3779b1)) | 0) >>> 16;
      pairEdge[i * N + j] = flow.addEdge(1 + i, 1 + M + j, 1, cost);
    }
  }
  cost.fill(0);
  for (let j = 0; j < N; j++) flow.addEdge(1 + M + j, sink, seats, cost);

  const result = flow.run(source, sink, K);
  if (result.flow !== K) throw new Error(`planRound: seated ${result.flow} of ${K}`);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      if (flow.flowOn(pairEdge[i * N + j]!) > 0) {
        tableOf[i] = j;
        break;
      }
    }
  }
}

/**
 * Local search over three move kinds — swap two seated mentees between tables,
 * swap a seated mentee with an unseated one of the same tier, move a mentee to a
 * table with a free seat — accepting a move only when repeats and shared topics
 * stay exactly equal and the number of already-co-seated pairs at a table drops.
 */
function reduceCoSeating(ctx: Context, tableOf: Int32Array, coSeated: ReadonlySet<string>): void {
  const { mentees, mentors, seats, tier, met, shared } = ctx;
  const N = mentors.length;
  const M = mentees.length;
  if (coSeated.size === 0) return;

  const index = new Map(mentees.map((m, i) => [m.id, i]));
  const partners: Set<number>[] = mentees.map(() => new Set());
  let any = false;
  for (const key of coSeated) {
    // Ids may contain '|', so accept a split only if it rebuilds the same key.
    for (let p = key.indexOf('|'); p >= 0; p = key.indexOf('|', p + 1)) {
      const a = key.slice(0, p);
      const b = key.slice(p + 1);
      const ia = index.get(a);
      const ib = index.get(b);
      if (ia !== undefined && ib !== undefined && ia !== ib && coSeatKey(a, b) === key) {
        partners[ia]!.add(ib);
        partners[ib]!.add(ia);
        any = true;
      }
    }
  }
  if (!any) return;

  const members: number[][] = mentors.map(() => []);
  for (let i = 0; i < M; i++) if (tableOf[i]! >= 0) members[tableOf[i]!]!.push(i);

  /** Already-co-seated partners of `a` at table `j`, not counting `skip`. */
  const clashes = (a: number, j: number, skip: number): number => {
    let c = 0;
    const mine = partners[a]!;
    for (const b of members[j]!) if (b !== a && b !== skip && mine.has(b)) c++;
    return c;
  };
  const remove = (i: number, j: number): void => {
    const list = members[j]!;
    list.splice(list.indexOf(i), 1);
  };

  // Every accepted move lowers the total clash count, so this terminates; the
  // cap only bounds the work on pathological inputs.
  for (let pass = 0; pass < 100; pass++) {
    let improved = false;
    for (let a = 0; a < M; a++) {
      const x = tableOf[a]!;
      if (x < 0 || partners[a]!.size === 0) continue;
      const loss = clashes(a, x, -1);
      if (loss === 0) continue;
      const ax = a * N + x;
      let bestGain = 0;
      let bestB = -1;
      let bestTable = -1;

      for (let b = 0; b < M; b++) {
        if (b === a) continue;
        const y = tableOf[b]!;
        if (y === x) continue;
        const bx = b * N + x;
        let gain: number;
        if (y >= 0) {
          const ay = a * N + y;
          const by = b * N + y;
          if (met[ay]! + met[bx]! !== met[ax]! + met[by]!) continue;
          if (shared[ay]! + shared[bx]! !== shared[ax]! + shared[by]!) continue;
          gain = loss + clashes(b, y, -1) - clashes(a, y, b) - clashes(b, x, a);
        } else {
          if (tier[b] !== tier[a] || met[bx] !== met[ax] || shared[bx] !== shared[ax]) continue;
          gain = loss - clashes(b, x, a);
        }
        if (gain > bestGain) {
          bestGain = gain;
          bestB = b;
          bestTable = y;
        }
      }
      for (let y = 0; y < N; y++) {
        if (y === x || members[y]!.length >= seats) continue;
        const ay = a * N + y;
        if (met[ay] !== met[ax] || shared[ay] !== shared[ax]) continue;
        const gain = loss - clashes(a, y, -1);
        if (gain > bestGain) {
          bestGain = gain;
          bestB = -1;
          bestTable = y;
        }
      }
      if (bestGain <= 0) continue;

      improved = true;
      remove(a, x);
      if (bestB >= 0) {
        if (bestTable >= 0) {
          remove(bestB, bestTable);
          members[bestTable]!.push(a);
          tableOf[a] = bestTable;
        } else {
          tableOf[a] = -1;
        }
        members[x]!.push(bestB);
        tableOf[bestB] = x;
      } else {
        members[bestTable]!.push(a);
        tableOf[a] = bestTable;
      }
    }
    if (!improved) break;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function byId(a: { id: string }, b: { id: string }): number {
  return compareStrings(a.id, b.id);
}
function byTableThenId(a: MatchMentor, b: MatchMentor): number {
  return a.table - b.table || compareStrings(a.id, b.id);
}

/** FNV-1a over UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** murmur3 finaliser: a cheap 32-bit avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function hashSeed(seed: number): number {
  const s = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  return fmix32(lo ^ fmix32(hi + 0x9e3779b9));
}
