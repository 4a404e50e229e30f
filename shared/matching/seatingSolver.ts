// Seats a pool of mentees in the free seats of the mentors present, exactly
// optimising, in this order: repeats, fair byes (fewest sessions first),
// optionally keeping people shown as sitting out where they are, shared
// topics. It is one min-cost flow:
//
//   mentee (supply 1) → mentor (sink, capacity = free seats)  cost R·met − shared
//   mentee → "sits out" (sink, capacity = byes)                cost G·(top tier − tier) + S·[not shown as out]
//   "empty seat" (supply = seats left empty) → mentor           cost 0
//
// One scalar cost is exactly the lexicographic order. R exceeds the largest
// possible change of everything below it, so repeats are minimised first; G
// dominates stability and topics, S dominates topics. Among seatings with the
// fewest repeats, the possible sets of seated mentees are the bases of a
// matroid (a seated set must contain a largest repeat-free matchable set; the
// complements of such sets are the independent sets of a truncated dual of a
// transversal matroid). The greedy basis by tier seats, for every t, the most
// mentees possible of tiers ≤ t at once, so minimising the plain sum of tier
// ranks over byes reaches exactly the lexicographic optimum of seated per tier.
//
// Sparse and still exact: mentee → mentor pairs go through topic hubs. A hub
// is a topic set T; mentee i has an edge to each hub T ⊆ A_i (its topics) at
// cost −|T|, and hub T an edge to each mentor whose topics include T, at cost
// 0. The cheapest route from i to mentor j then costs exactly −|A_i ∩ B_j|
// (T = A_i ∩ B_j is one of the hubs; any other usable T is smaller), so the hub
// network is the complete bipartite problem with about Σ 2^|A_i| + Σ 2^|B_j|
// edges instead of mentees × mentors. Hubs forget who met whom, so this is a
// relaxation for repeats; the flow through each hub is then paired into
// mentee–mentor seats avoiding pairs that met (a small matching per hub). If
// every pair avoids a repeat, the seating costs the relaxation's optimum, a
// lower bound, so it is optimal. A mentee that cannot be paired without a
// repeat loses its hub edges and gets a direct edge to every mentor at its true
// cost (repeats included), and solving resumes from the current flow and
// potentials; this ends because each round makes at least one more mentee
// direct, and with every mentee direct the network is the exact problem.
import { MinCostFlow } from './minCostFlow';
import { hasMet, popcount, type SeatingProblem } from './seatingProblem';

/** Mentees with at most this many topics get edges to every subset hub; others to their actual intersections. */
const ENUMERATE_TOPICS = 6;
/** Mentors with at most this many topics find their hubs by enumerating subsets; others by scanning hubs. */
const ENUMERATE_MENTOR_TOPICS = 10;
/** Integers below this are exact in float64 even summed along long paths. */
const SAFE = 2 ** 52;

export interface SeatingTask {
  problem: SeatingProblem;
  /** Mentees to place (indices into problem.mentees). */
  pool: ArrayLike<number>;
  /** Free seats per mentor (indexed like problem.mentors). */
  room: Int32Array;
  /** Per mentee: 1 when shown as sitting out and it should stay so unless fairness needs the seat (re-planning). */
  preferBye?: Uint8Array;
}

export interface SeatingSolution {
  /** Per mentee (problem index): mentor index, −1 sits out, −2 not in the pool. */
  mentorOf: Int32Array;
  /** Pool mentees in seeded order. */
  pool: Int32Array;
  /** Seats of each mentor left empty. */
  empty: Int32Array;
  /** Exact cost of seating mentee i with mentor j (−1: sitting out), with the solver's weights. */
  costOf: (i: number, j: number) => number;
  /**
   * Optimal dual potentials: c(i,j) + menteePotential(i) − mentorPotential(j) ≥ 0 for
   * every pair, with equality where seated. Null when nobody could be seated.
   */
  menteePotential: ((i: number) => number) | null;
  mentorPotential: ((j: number) => number) | null;
  stats: { hubs: number; edges: number; phases: number; direct: number; rounds: number };
}

export function solveSeating(task: SeatingTask): SeatingSolution {
  const { problem: p, room } = task;
  const M = p.mentees.length;
  const N = p.mentors.length;
  const W = p.words;
  const mentorOf = new Int32Array(M).fill(-2);

  const inPool = new Uint8Array(M);
  for (let k = 0; k < task.pool.length; k++) inPool[task.pool[k]!] = 1;
  const pool = p.order.filter((i) => inPool[i] === 1);
  const P = pool.length;
  let totalRoom = 0;
  for (let j = 0; j < N; j++) totalRoom += Math.max(0, room[j]!);
  const K = Math.min(P, totalRoom);
  const byes = P - K;
  const empties = totalRoom - K;
  const stats = { hubs: 0, edges: 0, phases: 0, direct: 0, rounds: 0 };
  const empty = Int32Array.from(room, (r) => Math.max(0, r));

  // ---- weights (see the header)
  const sessionValues = [...new Set(Array.from(pool, (i) => p.mentees[i]!.sessions))].sort((a, b) => a - b);
  const rankOf = new Map(sessionValues.map((v, r) => [v, r]));
  const topTier = Math.max(0, sessionValues.length - 1);
  let topicBound = 0;
  for (const i of pool) topicBound += Math.min(p.menteeTopicCount[i]!, p.mostMentorTopics);
  const swaps = Math.min(byes, K); // bye slots whose occupant can differ between two seatings
  const useStay = byes > 0 && task.preferBye !== undefined && pool.some((i) => task.preferBye![i] === 1);
  const S = useStay ? topicBound + 1 : 0;
  const G = S * swaps + topicBound + 1;
  const R = G * swaps * topTier + S * swaps + topicBound + 1;
  if (!(R * (P + N + 2) < SAFE)) {
    throw new RangeError('This event is too large to plan exactly in one round; split it into smaller groups.');
  }
  const shared = (i: number, j: number): number => {
    if (W === 1) return popcount(p.menteeMask[i]! & p.mentorMask[j]!);
    let n = 0;
    for (let w = 0; w < W; w++) n += popcount(p.menteeMask[i * W + w]! & p.mentorMask[j * W + w]!);
    return n;
  };
  const byeCost = (i: number): number =>
    G * (topTier - rankOf.get(p.mentees[i]!.sessions)!) + (useStay && task.preferBye![i] !== 1 ? S : 0);
  const costOf = (i: number, j: number): number => (j < 0 ? byeCost(i) : (hasMet(p, i, j) ? R : 0) - shared(i, j));

  if (K === 0) {
    for (const i of pool) mentorOf[i] = -1;
    return { mentorOf, pool, empty, costOf, menteePotential: null, mentorPotential: null, stats };
  }

  // ---- hubs: every topic set some mentee can route through to some mentor with room
  const mentorsWithRoom: number[] = [];
  for (let j = 0; j < N; j++) if (room[j]! > 0) mentorsWithRoom.push(j);
  const hubIndex = new Map<number | string, number>();
  const hubWords: number[] = [];
  const keyOf = (mask: Uint32Array, at: number): number | string => {
    if (W === 1) return mask[at]!;
    let s = '';
    for (let w = 0; w < W; w++) s += `${mask[at + w]!},`;
    return s;
  };
  const hubOf = (mask: Uint32Array, at: number): number => {
    const key = keyOf(mask, at);
    let h = hubIndex.get(key);
    if (h === undefined) {
      h = hubIndex.size;
      hubIndex.set(key, h);
      for (let w = 0; w < W; w++) hubWords.push(mask[at + w]!);
    }
    return h;
  };
  // Mentee → hubs (sorted later by size, largest first).
  const menteeHubStart = new Int32Array(P + 1);
  const menteeHubs: number[] = [];
  const scratch = new Uint32Array(W);
  for (let u = 0; u < P; u++) {
    const i = pool[u]!;
    if (W === 1 && p.menteeTopicCount[i]! <= ENUMERATE_TOPICS) {
      const a = p.menteeMask[i]!;
      for (let sub = a; ; sub = (sub - 1) & a) {
        scratch[0] = sub >>> 0;
        menteeHubs.push(hubOf(scratch, 0));
        if (sub === 0) break;
      }
    } else {
      const mine = new Set<number>();
      for (const j of mentorsWithRoom) {
        for (let w = 0; w < W; w++) scratch[w] = p.menteeMask[i * W + w]! & p.mentorMask[j * W + w]!;
        mine.add(hubOf(scratch, 0));
      }
      menteeHubs.push(...mine);
    }
    menteeHubStart[u + 1] = menteeHubs.length;
  }
  const H = hubIndex.size;
  const hubMask = Uint32Array.from(hubWords);
  const hubSize = new Int32Array(H);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) hubSize[h]! += popcount(hubMask[h * W + w]!);
  // Hub → mentors whose topics include the hub's.
  const hubMentorPairs: number[] = [];
  for (const j of mentorsWithRoom) {
    let count = 0;
    for (let w = 0; w < W; w++) count += popcount(p.mentorMask[j * W + w]!);
    if (W === 1 && count <= ENUMERATE_MENTOR_TOPICS && 1 << count < H) {
      const b = p.mentorMask[j]!;
      for (let sub = b; ; sub = (sub - 1) & b) {
        const h = hubIndex.get(sub >>> 0);
        if (h !== undefined) hubMentorPairs.push(h, j);
        if (sub === 0) break;
      }
    } else {
      for (let h = 0; h < H; h++) {
        let inside = true;
        for (let w = 0; w < W && inside; w++) inside = (hubMask[h * W + w]! & ~p.mentorMask[j * W + w]!) === 0;
        if (inside) hubMentorPairs.push(h, j);
      }
    }
  }
  const hubUsed = new Uint8Array(H);
  for (let k = 0; k < hubMentorPairs.length; k += 2) hubUsed[hubMentorPairs[k]!] = 1;
  stats.hubs = H;

  // ---- the network
  const E = P; // empty-seat source
  const mentorNode = (j: number): number => P + 1 + j;
  const BYE = P + 1 + N;
  const hubNode = (h: number): number => P + 2 + N + h;
  const flow = new MinCostFlow(P + 2 + N + H);
  for (let u = 0; u < P; u++) flow.spare[u] = 1;
  flow.spare[E] = empties;
  for (let j = 0; j < N; j++) flow.sinkCapacity[mentorNode(j)] = Math.max(0, room[j]!);
  flow.sinkCapacity[BYE] = byes;

  const hubEdgeStart = new Int32Array(P + 1);
  const hubEdges: number[] = [];
  const byeEdge = new Int32Array(P).fill(-1);
  for (let u = 0; u < P; u++) {
    const list = menteeHubs.slice(menteeHubStart[u]!, menteeHubStart[u + 1]!).filter((h) => hubUsed[h] === 1);
    list.sort((a, b) => hubSize[b]! - hubSize[a]! || a - b);
    for (const h of list) hubEdges.push(flow.addEdge(u, hubNode(h), 1, -hubSize[h]!));
    hubEdgeStart[u + 1] = hubEdges.length;
    if (byes > 0) byeEdge[u] = flow.addEdge(u, BYE, 1, byeCost(pool[u]!));
  }
  // Hub → mentor edges in a seeded rotation per hub, so ties spread over tables.
  const hubOutStart = new Int32Array(H + 1);
  const hubOut: number[] = [];
  {
    const order = Int32Array.from({ length: hubMentorPairs.length / 2 }, (_, k) => k);
    const rot = (h: number, j: number): number => (Math.imul(h + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b)) >>> 0;
    order.sort((x, y) => {
      const hx = hubMentorPairs[2 * x]!;
      const hy = hubMentorPairs[2 * y]!;
      return hx - hy || rot(hx, hubMentorPairs[2 * x + 1]!) - rot(hy, hubMentorPairs[2 * y + 1]!);
    });
    for (const k of order) {
      const h = hubMentorPairs[2 * k]!;
      hubOut.push(flow.addEdge(hubNode(h), mentorNode(hubMentorPairs[2 * k + 1]!), P, 0));
      hubOutStart[h + 1] = hubOut.length;
    }
    for (let h = 0; h < H; h++) hubOutStart[h + 1] = Math.max(hubOutStart[h + 1]!, hubOutStart[h]!);
  }
  const hubEdgeTo = (h: number, j: number): number => {
    for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) if (flow.to[hubOut[k]!] === mentorNode(j)) return hubOut[k]!;
    throw new Error('seating: no hub edge');
  };
  if (empties > 0) for (const j of mentorsWithRoom) flow.addEdge(E, mentorNode(j), room[j]!, 0);
  flow.initPotentials();

  // ---- solve; pair each hub's flow into seats avoiding repeats; make the mentees that cannot be paired direct
  const direct = new Uint8Array(P);
  const directEdgeStart: number[] = [];
  const seatOf = new Int32Array(P).fill(-2); // mentor index, −1 bye
  for (;;) {
    stats.rounds++;
    flow.solve((sources) => {
      // Only direct mentees can be stuck (hub mentees reach every mentor); should not happen, but never loop.
      void sources;
      return false;
    });
    const conflicts = pairThroughHubs();
    if (conflicts.length === 0) break;
    for (const u of conflicts) makeDirect(u);
  }
  stats.phases = flow.phases;
  stats.edges = flow.edgeCount;
  for (let u = 0; u < P; u++) {
    const j = seatOf[u]!;
    mentorOf[pool[u]!] = j;
    if (j >= 0) empty[j]!--;
  }
  const menteeLeft = new Int32Array(M).fill(-1);
  pool.forEach((i, u) => (menteeLeft[i] = u));
  return {
    mentorOf,
    pool,
    empty,
    costOf,
    menteePotential: (i) => flow.potential[menteeLeft[i]!]!,
    mentorPotential: (j) => flow.potential[j < 0 ? BYE : mentorNode(j)]!,
    stats,
  };

  /** Seats from the flow; returns hub mentees that could only be paired into a repeat. */
  function pairThroughHubs(): number[] {
    seatOf.fill(-2);
    const inflow: number[][] = Array.from({ length: H }, () => []);
    for (let u = 0; u < P; u++) {
      if (byeEdge[u]! >= 0 && flow.flow[byeEdge[u]!]! > 0) {
        seatOf[u] = -1;
        continue;
      }
      if (direct[u]) {
        for (let e = directEdgeStart[u]!, end = directEdgeStart[u]! + N; e < end; e++) {
          if (flow.flow[e]! > 0) seatOf[u] = flow.to[e]! - (P + 1);
        }
        continue;
      }
      for (let k = hubEdgeStart[u]!; k < hubEdgeStart[u + 1]!; k++) {
        const e = hubEdges[k]!;
        if (flow.flow[e]! > 0) inflow[flow.to[e]! - (P + 2 + N)]!.push(u);
      }
    }
    const conflicts: number[] = [];
    for (let h = 0; h < H; h++) {
      const xs = inflow[h]!;
      if (xs.length === 0) continue;
      const slots: number[] = [];
      for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
        const e = hubOut[k]!;
        for (let f = flow.flow[e]!; f > 0; f--) slots.push(flow.to[e]! - (P + 1));
      }
      conflicts.push(...pairHub(xs, slots));
    }
    return conflicts;
  }

  /** Pairs the mentees through one hub with its mentor seats (one each), avoiding met pairs. */
  function pairHub(xs: number[], slots: number[]): number[] {
    // In order first; then each mentee left in a repeat looks for an alternating path (Kuhn).
    const at = new Map<number, number[]>(); // mentor → mentees placed there
    const place = (u: number, j: number): void => {
      seatOf[u] = j;
      const list = at.get(j);
      if (list) list.push(u);
      else at.set(j, [u]);
    };
    const mentorsHere = [...new Set(slots)];
    const free = new Map<number, number>();
    const stuck: number[] = [];
    xs.forEach((u, k) => {
      const j = slots[k]!;
      if (!hasMet(p, pool[u]!, j)) place(u, j);
      else {
        stuck.push(u);
        free.set(j, (free.get(j) ?? 0) + 1);
      }
    });
    if (stuck.length === 0) return [];
    const conflicts: number[] = [];
    for (const u of stuck) {
      const seen = new Set<number>();
      const tryPlace = (v: number, depth: number): boolean => {
        if (depth > 50) return false;
        for (const j of mentorsHere) {
          if (seen.has(j) || hasMet(p, pool[v]!, j)) continue;
          seen.add(j);
          if ((free.get(j) ?? 0) > 0) {
            free.set(j, free.get(j)! - 1);
            place(v, j);
            return true;
          }
          const list = at.get(j) ?? [];
          for (let k = 0; k < list.length; k++) {
            const w = list[k]!;
            if (tryPlace(w, depth + 1)) {
              // w moved on; v takes its seat here
              const again = at.get(j)!;
              again.splice(again.indexOf(w), 1);
              place(v, j);
              return true;
            }
          }
        }
        return false;
      };
      if (!tryPlace(u, 0)) conflicts.push(u);
    }
    // Each mentee left over keeps one of the seats left over (a repeat) until it is made direct.
    const leftover = [...free].flatMap(([j, n]) => Array<number>(n).fill(j));
    conflicts.forEach((u, k) => (seatOf[u] = leftover[k]!));
    return conflicts;
  }

  /** Mentee u leaves the hubs: its unit comes back and it gets a true-cost edge to every mentor with room. */
  function makeDirect(u: number): void {
    stats.direct++;
    direct[u] = 1;
    const i = pool[u]!;
    for (let k = hubEdgeStart[u]!; k < hubEdgeStart[u + 1]!; k++) {
      const e = hubEdges[k]!;
      if (flow.flow[e]! > 0) {
        // Take the unit back along mentee → hub → the mentor it was paired with.
        const j = seatOf[u]!;
        const he = hubEdgeTo(flow.to[e]! - (P + 2 + N), j);
        flow.flow[e] = 0;
        flow.flow[he]!--;
        flow.load[mentorNode(j)]!--;
        flow.spare[u]!++;
      }
      flow.cap[e] = 0;
    }
    directEdgeStart[u] = flow.edgeCount;
    for (let j = 0; j < N; j++) flow.addEdge(u, mentorNode(j), room[j]! > 0 ? 1 : 0, costOf(i, j));
    flow.settlePotential(u);
  }
}
