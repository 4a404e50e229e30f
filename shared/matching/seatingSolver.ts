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
// is a topic set T; mentee i has an edge to hubs T ⊆ A_i (its topics) at cost
// −|T|, and hub T an edge to each mentor whose topics include T, at cost 0.
// The cheapest route from i to mentor j then costs exactly −|A_i ∩ B_j|
// (T = A_i ∩ B_j is one of the hubs; any other usable T is smaller), so the
// network holds the complete bipartite problem in about Σ 2^|A_i| + Σ 2^|B_j|
// edges instead of mentees × mentors. Hubs forget who met whom, so each mentee
// also has a direct edge at true cost (R − shared) to each mentor it met, and a
// hub holding a mentor it met is replaced, for that mentee, by direct edges to
// the hub's other mentors when they are few (≤ DIRECT_LIMIT). Every seating
// can then be routed at no more than its true cost: the network's optimum is a
// lower bound on the true optimum. Then, in a loop:
//   1. solve the network (minCostFlow.ts, warm from the previous loop);
//   2. pair the flow through hubs into seats avoiding pairs that met. Any
//      pairing that keeps each mentee's hub and each mentor's number of hub
//      seats has the same network cost, so a chain of such moves across hubs
//      is searched for a mentee left with a mentor it met;
//   3. a mentee that cannot be paired gives up that hub (and its other small
//      hubs holding a mentor it met) for direct edges at true cost, and the
//      loop goes on. Each time at least one mentee–hub edge goes, so this ends,
//      at the latest with the exact bipartite problem;
//   4. hub edges kept in reserve (a mentee with many topics starts with its
//      biggest hubs and its smallest, which reaches every mentor) are priced
//      with the final potentials; any with negative reduced cost joins and the
//      loop goes on. When none does, the potentials are a feasible dual of the
//      whole network, so the flow is optimal for it (LP duality).
// When the loop ends every seat avoids a met pair through hubs, so the seating
// costs exactly the network's optimum, a lower bound: it is the true optimum.
import { MinCostFlow } from './minCostFlow';
import { fmix32, hasMet, popcount, type SeatingProblem } from './seatingProblem';

/** Mentees with at most this many topics get edges to every subset hub; others to their actual intersections. */
const ENUMERATE_TOPICS = 6;
/** Mentors with at most this many topics find their hubs by enumerating subsets; others by scanning hubs. */
const ENUMERATE_MENTOR_TOPICS = 10;
/** A hub holding a mentor the mentee met is replaced by direct edges when it has at most this many others. */
const DIRECT_LIMIT = 16;
/** Hub edges per mentee in the network from the start (its biggest hubs, plus its smallest); the rest are priced in. */
const ACTIVE_HUBS = 16;
/** After a mentee's first conflict, the same replacement for its hubs with at most this many others. */
const RETRY_DIRECT_LIMIT = 128;
/** Mentees a search for a repeat-free pairing looks at before the mentee is given direct edges instead. */
const PAIRING_SEARCH_LIMIT = 200;
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
  stats: { hubs: number; edges: number; phases: number; direct: number; rounds: number; priced: number };
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
  const stats = { hubs: 0, edges: 0, phases: 0, direct: 0, rounds: 0, priced: 0 };
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
  /** Whether mentor j offers every topic of hub h. */
  const containsHub = (j: number, h: number): boolean => {
    for (let w = 0; w < W; w++) if ((hubMask[h * W + w]! & ~p.mentorMask[j * W + w]!) !== 0) return false;
    return true;
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
  // Mentors of each hub, in a seeded rotation per hub so that ties spread over tables.
  const hubOutStart = new Int32Array(H + 1);
  const hubMentors = new Int32Array(hubMentorPairs.length / 2);
  {
    for (let k = 0; k < hubMentorPairs.length; k += 2) hubOutStart[hubMentorPairs[k]! + 1]!++;
    for (let h = 0; h < H; h++) hubOutStart[h + 1]! += hubOutStart[h]!;
    const fill = hubOutStart.slice(0, H);
    for (let k = 0; k < hubMentorPairs.length; k += 2) hubMentors[fill[hubMentorPairs[k]!]!++] = hubMentorPairs[k + 1]!;
    for (let h = 0; h < H; h++) {
      const a = hubOutStart[h]!;
      const n = hubOutStart[h + 1]! - a;
      if (n < 2) continue;
      const list = hubMentors.slice(a, a + n);
      const shift = fmix32(p.seedHash ^ Math.imul(hubMask[h * W]! + 1, 0x9e3779b1)) % n;
      for (let q = 0; q < n; q++) hubMentors[a + q] = list[(q + shift) % n]!;
    }
  }
  // A hub's closure: the topics every one of its mentors offers. A mentee for
  // whom the closure adds a topic it has never needs the hub: each of those
  // mentors shares that topic too, so a bigger hub reaches them more cheaply.
  const hubClosure = new Uint32Array(H * W).fill(0xffffffff);
  for (let h = 0; h < H; h++) {
    for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
      const j = hubMentors[k]!;
      for (let w = 0; w < W; w++) hubClosure[h * W + w]! &= p.mentorMask[j * W + w]!;
    }
  }
  const closedFor = (i: number, h: number): boolean => {
    for (let w = 0; w < W; w++) if ((p.menteeMask[i * W + w]! & hubClosure[h * W + w]!) !== hubMask[h * W + w]) return false;
    return true;
  };
  stats.hubs = H;

  // ---- the network
  const E = P; // empty-seat source
  const mentorNode = (j: number): number => P + 1 + j;
  const BYE = P + 1 + N;
  const hubNode = (h: number): number => P + 2 + N + h;
  const isHub = (v: number): boolean => v >= P + 2 + N;
  const flow = new MinCostFlow(P + 2 + N + H);
  for (let u = 0; u < P; u++) flow.spare[u] = 1;
  flow.spare[E] = empties;
  for (let j = 0; j < N; j++) flow.sinkCapacity[mentorNode(j)] = Math.max(0, room[j]!);
  flow.sinkCapacity[BYE] = byes;

  // A hub's edges to its mentors enter the network when the first mentee edge to it does.
  const hubOut = new Int32Array(hubMentors.length).fill(-1);
  const hubOpen = new Uint8Array(H);
  const openHub = (h: number): void => {
    if (hubOpen[h]) return;
    hubOpen[h] = 1;
    let lowest = -Infinity;
    for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
      hubOut[k] = flow.addEdge(hubNode(h), mentorNode(hubMentors[k]!), P, 0);
      lowest = Math.max(lowest, flow.potential[mentorNode(hubMentors[k]!)]!);
    }
    flow.potential[hubNode(h)] = lowest; // the least that keeps its new edges non-negative
  };
  const menteeEdges: number[][] = Array.from({ length: P }, () => []);
  /** Hubs each mentee may route through whose edge is not in the network yet (column generation). */
  const reserve: number[][] = Array.from({ length: P }, () => []);
  const directMark = new Int32Array(N).fill(-1);
  const metMark = new Int32Array(N).fill(-1);
  for (let u = 0; u < P; u++) {
    const i = pool[u]!;
    const edges = menteeEdges[u]!;
    const met: number[] = [];
    for (let k = p.metStart[i]!; k < p.metStart[i + 1]!; k++) {
      const j = p.metList[k]!;
      if (room[j]! > 0) {
        met.push(j);
        metMark[j] = u;
      }
    }
    const hubs = menteeHubs.slice(menteeHubStart[u]!, menteeHubStart[u + 1]!).filter((h) => hubOutStart[h + 1]! > hubOutStart[h]! && closedFor(i, h));
    hubs.sort((a, b) => hubSize[b]! - hubSize[a]! || a - b);
    const direct: number[] = [];
    let active = 0;
    for (const [n, h] of hubs.entries()) {
      let bad = 0;
      for (const j of met) if (containsHub(j, h)) bad++;
      const size = hubOutStart[h + 1]! - hubOutStart[h]!;
      if (bad === 0 || size - bad > DIRECT_LIMIT) {
        // The biggest hubs and the smallest (which reaches every mentor) start active; the rest wait for pricing.
        if (active < ACTIVE_HUBS || n === hubs.length - 1) {
          openHub(h);
          edges.push(flow.addEdge(u, hubNode(h), 1, -hubSize[h]!));
          active++;
        } else reserve[u]!.push(h);
        continue;
      }
      for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
        const j = hubMentors[k]!;
        if (metMark[j] !== u && directMark[j] !== u) {
          directMark[j] = u;
          direct.push(j);
        }
      }
    }
    for (const j of direct) edges.push(flow.addEdge(u, mentorNode(j), 1, -shared(i, j)));
    for (const j of met) edges.push(flow.addEdge(u, mentorNode(j), 1, costOf(i, j)));
    if (byes > 0) edges.push(flow.addEdge(u, BYE, 1, byeCost(i)));
  }
  if (empties > 0) for (const j of mentorsWithRoom) flow.addEdge(E, mentorNode(j), room[j]!, 0);
  flow.initPotentials();

  // ---- solve; pair each hub's flow into seats avoiding repeats; make the mentees that cannot be paired direct
  const seatOf = new Int32Array(P).fill(-2); // mentor index, −1 sits out
  const blocked = new Set<number>(); // mentors with a seat no repeat-free pairing could fill
  const metBy: number[][] = Array.from({ length: N }, () => []);
  for (let u = 0; u < P; u++) {
    const i = pool[u]!;
    for (let k = p.metStart[i]!; k < p.metStart[i + 1]!; k++) metBy[p.metList[k]!]!.push(u);
  }
  const hubOfMentee = new Int32Array(P).fill(-1); // hub a paired mentee went through
  for (;;) {
    stats.rounds++;
    flow.solve();
    const conflicts = pairThroughHubs();
    if (conflicts.length === 0) {
      if (priceReserve()) continue;
      break;
    }
    // The seat left free is usually one the relaxation keeps filling with
    // people who already met that mentor: all of them leave such hubs at once.
    const touched = new Set<number>();
    for (const u of conflicts) if (leaveHubs(u, hubOfMentee[u]!)) touched.add(u);
    for (const j of blocked) {
      for (const u of metBy[j]!) if (leaveHubs(u, -1)) touched.add(u);
    }
    for (const u of touched) flow.settlePotential(u);
  }
  stats.phases = flow.phases;
  stats.edges = flow.edgeCount;
  for (const x of flow.potential) if (!(Math.abs(x) < SAFE)) throw new RangeError('seating: costs out of the exactly representable range');
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

  /**
   * Seats from the flow; returns hub mentees that could only be paired into a
   * repeat. Any pairing in which each hub mentee sits with a mentor who offers
   * its hub's topics, and each mentor keeps the number of seats the flow sent
   * through hubs, has the same network cost: the flow is only decomposed
   * differently. So seats are first paired hub by hub, and a mentee left with
   * a mentor it met searches (breadth-first, across hubs) for a chain of such
   * moves ending at a seat left free.
   */
  function pairThroughHubs(): number[] {
    seatOf.fill(-2);
    hubOfMentee.fill(-1);
    const inflow: number[][] = Array.from({ length: H }, () => []);
    for (let u = 0; u < P; u++) {
      for (const e of menteeEdges[u]!) {
        if (flow.flowOn(e) === 0) continue;
        const v = flow.to[e]!;
        if (v === BYE) seatOf[u] = -1;
        else if (isHub(v)) {
          inflow[v - hubNode(0)]!.push(u);
          hubOfMentee[u] = v - hubNode(0);
        } else seatOf[u] = v - mentorNode(0);
      }
    }
    const at: number[][] = Array.from({ length: N }, () => []); // hub mentees seated with each mentor
    const free = new Int32Array(N);
    const stuck: number[] = [];
    const left = new Int32Array(N); // seats this hub still sends to each mentor
    const slots: number[] = [];
    for (let h = 0; h < H; h++) {
      const xs = inflow[h]!;
      if (xs.length === 0) continue;
      const first = hubOutStart[h]!;
      const end = hubOutStart[h + 1]!;
      slots.length = 0;
      for (let k = first; k < end; k++) {
        const f = flow.flowOn(hubOut[k]!);
        if (f === 0) continue;
        left[hubMentors[k]!] = f;
        slots.push(hubMentors[k]!);
      }
      // Each mentee takes the next seat of a mentor it has not met (met lists are short).
      let k = 0;
      for (const u of xs) {
        while (left[slots[k]!] === 0) k++;
        let c = k;
        while (c < slots.length && (left[slots[c]!] === 0 || hasMet(p, pool[u]!, slots[c]!))) c++;
        if (c === slots.length) {
          stuck.push(u);
          continue;
        }
        const j = slots[c]!;
        left[j]!--;
        seatOf[u] = j;
        at[j]!.push(u);
      }
      for (const j of slots) {
        free[j]! += left[j]!;
        left[j] = 0;
      }
    }
    if (stuck.length === 0) return [];
    const freeMentors = (): number[] => {
      const list: number[] = [];
      for (let j = 0; j < N; j++) if (free[j]! > 0) list.push(j);
      return list;
    };
    const fits = (u: number, j: number): boolean => containsHub(j, hubOfMentee[u]!) && !hasMet(p, pool[u]!, j);
    const visited = new Int32Array(N);
    const nodeMentor: number[] = [];
    const nodeMover: number[] = [];
    const nodeParent: number[] = [];
    const conflicts: number[] = [];
    let stamp = 0;
    blocked.clear();
    for (const x of stuck) {
      stamp++;
      nodeMentor.length = nodeMover.length = nodeParent.length = 0;
      const targets = freeMentors();
      let found = -1;
      let expanded = 0;
      const push = (j: number, mover: number, parent: number): boolean => {
        visited[j] = stamp;
        nodeMentor.push(j);
        nodeMover.push(mover);
        nodeParent.push(parent);
        return free[j]! > 0;
      };
      // Mentor j can take `mover` (who leaves the parent's mentor, or x who has no seat).
      const expand = (mover: number, parent: number): boolean => {
        for (const j of targets) {
          if (visited[j] !== stamp && free[j]! > 0 && fits(mover, j) && push(j, mover, parent)) return true;
        }
        const h = hubOfMentee[mover]!;
        for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
          const j = hubMentors[k]!;
          if (visited[j] !== stamp && !hasMet(p, pool[mover]!, j) && push(j, mover, parent)) return true;
        }
        return false;
      };
      if (expand(x, -1)) found = nodeMentor.length - 1;
      for (let n = 0; found < 0 && n < nodeMentor.length && expanded < PAIRING_SEARCH_LIMIT; n++) {
        for (const y of at[nodeMentor[n]!]!) {
          expanded++;
          if (expand(y, n)) {
            found = nodeMentor.length - 1;
            break;
          }
        }
      }
      if (found < 0) {
        conflicts.push(x);
        for (const j of targets) blocked.add(j);
        continue;
      }
      // Walk the chain back: each mover leaves its parent's mentor for this node's mentor.
      free[nodeMentor[found]!]!--;
      for (let n = found; n >= 0; n = nodeParent[n]!) {
        const j = nodeMentor[n]!;
        const mover = nodeMover[n]!;
        const parent = nodeParent[n]!;
        if (parent >= 0) {
          const from = at[nodeMentor[parent]!]!;
          from.splice(from.indexOf(mover), 1);
        }
        at[j]!.push(mover);
        seatOf[mover] = j;
      }
    }
    return conflicts;
  }

  /**
   * Pricing of the hub edges kept in reserve. A hub no unit goes through
   * takes the least potential its mentor edges allow (still a feasible dual),
   * then every reserve edge with negative reduced cost joins the network; its
   * mentee takes its unit back and a potential that suits all its edges.
   * Returns whether any joined: if none did, the potentials prove the flow
   * optimal for the whole hub network.
   */
  function priceReserve(): boolean {
    const pot = flow.potential;
    for (let h = 0; h < H; h++) {
      let used = false;
      let lowest = -Infinity;
      for (let k = hubOutStart[h]!; k < hubOutStart[h + 1]!; k++) {
        if (hubOpen[h] && flow.flowOn(hubOut[k]!) > 0) {
          used = true;
          break;
        }
        lowest = Math.max(lowest, pot[mentorNode(hubMentors[k]!)]!);
      }
      if (!used && lowest !== -Infinity) pot[hubNode(h)] = lowest;
    }
    const touched: number[] = [];
    for (let u = 0; u < P; u++) {
      const list = reserve[u]!;
      let joined = false;
      for (let q = 0; q < list.length; q++) {
        const h = list[q]!;
        if (-hubSize[h]! + pot[u]! - pot[hubNode(h)]! >= 0) continue;
        openHub(h);
        menteeEdges[u]!.push(flow.addEdge(u, hubNode(h), 1, -hubSize[h]!));
        list[q--] = list[list.length - 1]!;
        list.pop();
        joined = true;
      }
      if (!joined) continue;
      takeBack(u);
      touched.push(u);
    }
    for (const u of touched) flow.settlePotential(u);
    stats.priced += touched.length;
    return touched.length > 0;
  }

  /** Mentee u's unit leaves wherever it went (through a hub: on any seat that hub fills). */
  function takeBack(u: number): void {
    for (const e of menteeEdges[u]!) {
      if (flow.flowOn(e) === 0) continue;
      const v = flow.to[e]!;
      if (isHub(v)) {
        const g = v - hubNode(0);
        let k = hubOutStart[g]!;
        while (flow.flowOn(hubOut[k]!) === 0) k++;
        flow.changeFlow(hubOut[k]!, -1);
        flow.load[mentorNode(hubMentors[k]!)]!--;
      } else flow.load[v]!--;
      flow.changeFlow(e, -1);
      flow.spare[u]!++;
      return;
    }
  }

  /**
   * Mentee u gives up hub `force` (if ≥ 0) and every hub holding a mentor it
   * met whose other mentors are few (≤ RETRY_DIRECT_LIMIT), for direct edges
   * at true cost to those hubs' mentors it has not met. If its unit went
   * through a hub it gives up, the unit comes back. Returns whether anything changed.
   */
  function leaveHubs(u: number, force: number): boolean {
    const i = pool[u]!;
    const edges = menteeEdges[u]!;
    const linked = new Set<number>();
    const met: number[] = [];
    for (let k = p.metStart[i]!; k < p.metStart[i + 1]!; k++) if (room[p.metList[k]!]! > 0) met.push(p.metList[k]!);
    const leave: number[] = [];
    for (const e of edges) {
      if (flow.cap[e] === 0) continue;
      const v = flow.to[e]!;
      if (!isHub(v)) {
        if (v !== BYE) linked.add(v - mentorNode(0));
        continue;
      }
      const g = v - hubNode(0);
      let bad = 0;
      for (const m of met) if (containsHub(m, g)) bad++;
      if (g !== force && (bad === 0 || hubOutStart[g + 1]! - hubOutStart[g]! - bad > RETRY_DIRECT_LIMIT)) continue;
      // Any seat the hub fills will do: pairing is redone after the next solve.
      if (flow.flowOn(e) > 0) takeBack(u);
      flow.disable(e);
      leave.push(g);
    }
    if (leave.length === 0) return false;
    stats.direct++;
    for (const g of leave) {
      for (let k = hubOutStart[g]!; k < hubOutStart[g + 1]!; k++) {
        const m = hubMentors[k]!;
        if (linked.has(m) || hasMet(p, i, m)) continue;
        linked.add(m);
        edges.push(flow.addEdge(u, mentorNode(m), 1, -shared(i, m)));
      }
    }
    return true;
  }
}
