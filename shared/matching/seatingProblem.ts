// The people of one round in indexed form: mentors by table, mentees by id,
// topics as bit masks, sessions as fairness tiers, and who already met or sat
// together as adjacency lists. Building it reads every key of the history sets
// once; the planner never looks a pair up by string.
import { coSeatKey, pairKey, type MatchInput, type MatchMentee, type MatchMentor } from './types';

export interface SeatingProblem {
  /** Mentors present, by table then id (the order tables are listed in a plan). */
  mentors: MatchMentor[];
  /** Mentees present, by id. */
  mentees: MatchMentee[];
  seats: number;
  /** 32-bit words per topic mask. */
  words: number;
  /** Topic masks (only topics some mentor offers; case-insensitive). */
  mentorMask: Uint32Array;
  menteeMask: Uint32Array;
  /** Topics of each mentee that some mentor offers. */
  menteeTopicCount: Int32Array;
  mostMentorTopics: number;
  /** Mentors each mentee already met: metList[metStart[i] .. metStart[i + 1]). */
  metStart: Int32Array;
  metList: Int32Array;
  /** Mentees each mentee already shared a table with. */
  partnerStart: Int32Array;
  partnerList: Int32Array;
  /** Mentee indices in the seeded order used for every tie. */
  order: Int32Array;
  /** Per mentee, a seeded 32-bit hash (rotates tie choices among mentors). */
  menteeHash: Uint32Array;
  /** The seed, hashed. */
  seedHash: number;
}

export function buildProblem(input: MatchInput): SeatingProblem {
  const mentors = [...input.mentors].sort((a, b) => a.table - b.table || compareStrings(a.id, b.id));
  const mentees = [...input.mentees].sort((a, b) => compareStrings(a.id, b.id));
  const N = mentors.length;
  const M = mentees.length;
  const seats = Math.max(0, Math.min(1 << 20, Math.floor(Number.isFinite(input.seatsPerTable) ? input.seatsPerTable : 0)));

  // Only topics a mentor offers can ever be shared, so only they get a bit.
  // Bits in sorted topic order, so masks never depend on input order.
  const offered = [...new Set(mentors.flatMap((m) => m.topics.map((t) => t.toLowerCase())))].sort(compareStrings);
  const topicBit = new Map(offered.map((t, bit) => [t, bit]));
  const words = Math.max(1, Math.ceil(topicBit.size / 32));
  const maskOf = (topics: readonly string[], out: Uint32Array, at: number): number => {
    let n = 0;
    for (const t of topics) {
      const bit = topicBit.get(t.toLowerCase());
      if (bit === undefined) continue;
      const w = at + (bit >>> 5);
      const b = 1 << (bit & 31);
      if ((out[w]! & b) === 0) {
        out[w]! |= b;
        n++;
      }
    }
    return n;
  };
  const mentorMask = new Uint32Array(N * words);
  let mostMentorTopics = 0;
  mentors.forEach((m, j) => (mostMentorTopics = Math.max(mostMentorTopics, maskOf(m.topics, mentorMask, j * words))));
  const menteeMask = new Uint32Array(M * words);
  const menteeTopicCount = new Int32Array(M);
  mentees.forEach((m, i) => (menteeTopicCount[i] = maskOf(m.topics, menteeMask, i * words)));

  const mentorIndex = new Map(mentors.map((m, j) => [m.id, j]));
  const menteeIndex = new Map(mentees.map((m, i) => [m.id, i]));

  // Ids may contain '|', so a key is accepted at every split that rebuilds it (a key
  // with a single '|' splits one way only and needs no check).
  const metPairs: number[] = [];
  for (const key of input.met) {
    const first = key.indexOf('|');
    const single = first >= 0 && key.indexOf('|', first + 1) < 0;
    for (let p = first; p >= 0; p = key.indexOf('|', p + 1)) {
      const j = mentorIndex.get(key.slice(0, p));
      const i = menteeIndex.get(key.slice(p + 1));
      if (j !== undefined && i !== undefined && (single || pairKey(mentors[j]!.id, mentees[i]!.id) === key)) metPairs.push(i, j);
    }
  }
  const [metStart, metList] = adjacency(M, metPairs, false);

  const partnerPairs: number[] = [];
  for (const key of input.coSeated) {
    const first = key.indexOf('|');
    const single = first >= 0 && key.indexOf('|', first + 1) < 0;
    for (let p = first; p >= 0; p = key.indexOf('|', p + 1)) {
      const a = menteeIndex.get(key.slice(0, p));
      const b = menteeIndex.get(key.slice(p + 1));
      if (a !== undefined && b !== undefined && a !== b && (single || coSeatKey(mentees[a]!.id, mentees[b]!.id) === key)) partnerPairs.push(a, b);
    }
  }
  const [partnerStart, partnerList] = adjacency(M, partnerPairs, true);

  const seedHash = hashSeed(input.seed);
  const menteeHash = Uint32Array.from(mentees, (m) => fmix32(seedHash ^ hashString(m.id)));
  const order = Int32Array.from(mentees.keys()).sort((a, b) => menteeHash[a]! - menteeHash[b]! || a - b);

  return {
    mentors,
    mentees,
    seats,
    words,
    mentorMask,
    menteeMask,
    menteeTopicCount,
    mostMentorTopics,
    metStart,
    metList,
    partnerStart,
    partnerList,
    order,
    menteeHash,
    seedHash,
  };
}

/** Topics mentee i and mentor j share. */
export function sharedCount(p: SeatingProblem, i: number, j: number): number {
  const W = p.words;
  let n = 0;
  for (let w = 0; w < W; w++) n += popcount(p.menteeMask[i * W + w]! & p.mentorMask[j * W + w]!);
  return n;
}

export function hasMet(p: SeatingProblem, i: number, j: number): boolean {
  for (let k = p.metStart[i]!; k < p.metStart[i + 1]!; k++) if (p.metList[k] === j) return true;
  return false;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Sorted, de-duplicated adjacency lists from (a, b) pairs; both directions when `symmetric`. */
function adjacency(n: number, pairs: readonly number[], symmetric: boolean): [Int32Array, Int32Array] {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < pairs.length; k += 2) {
    lists[pairs[k]!]!.push(pairs[k + 1]!);
    if (symmetric) lists[pairs[k + 1]!]!.push(pairs[k]!);
  }
  const start = new Int32Array(n + 1);
  const flat: number[] = [];
  lists.forEach((l, i) => {
    const sorted = [...new Set(l)].sort((a, b) => a - b);
    flat.push(...sorted);
    start[i + 1] = flat.length;
  });
  return [start, Int32Array.from(flat)];
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** FNV-1a over UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
/** murmur3 finaliser: a cheap 32-bit avalanche. */
export function fmix32(h: number): number {
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
