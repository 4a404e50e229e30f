// The people of one round in indexed form: mentors by table, mentees by id,
// topics as bit masks, sessions as fairness tiers, and who already met or sat
// together as adjacency lists. Building it reads every pair of the history once; the
// planner never looks a pair up by id.
import type { MatchInput, MatchMentee, MatchMentor } from './types';

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

  // People absent this round stay in the history; their pairs are skipped here. Pairs
  // come from sets, so no pair of indices is listed twice.
  const metPairs: number[] = [];
  for (const [mentorId, menteeIds] of input.met.partners()) {
    const j = mentorIndex.get(mentorId);
    if (j === undefined) continue;
    for (const menteeId of menteeIds) {
      const i = menteeIndex.get(menteeId);
      if (i !== undefined) metPairs.push(i, j);
    }
  }
  const [metStart, metList] = adjacency(M, metPairs);

  // Each pair is listed under both its mentees already, so the lists need no mirroring.
  const partnerPairs: number[] = [];
  for (const [menteeId, partnerIds] of input.coSeated.partners()) {
    const a = menteeIndex.get(menteeId);
    if (a === undefined) continue;
    for (const partnerId of partnerIds) {
      const b = menteeIndex.get(partnerId);
      if (b !== undefined && a !== b) partnerPairs.push(a, b);
    }
  }
  const [partnerStart, partnerList] = adjacency(M, partnerPairs);

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

/** Sorted adjacency lists from distinct (a, b) pairs: b in the list of a. */
function adjacency(n: number, pairs: readonly number[]): [Int32Array, Int32Array] {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < pairs.length; k += 2) lists[pairs[k]!]!.push(pairs[k + 1]!);
  const start = new Int32Array(n + 1);
  const flat: number[] = [];
  lists.forEach((l, i) => {
    flat.push(...l.sort((a, b) => a - b));
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
