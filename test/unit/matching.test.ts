// Property checks for planRound over seeded random events. Every optimality
// claim is checked against an independent oracle written here (capacity-aware
// augmenting-path matching, exhaustive enumeration), never against the solver.
import { describe, it, expect } from 'vitest';
import type { SeatingPlan } from '../../shared/domain';
import { planRound } from '../../shared/matching/planRound';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import type { MatchInput, MatchMentee, MatchMentor } from '../../shared/matching/types';
import { int, mulberry32, pick, shuffled, type Rng } from '../support/random';
import { checkShape, seatsOf, sharedTopics } from '../support/planChecks';

// ---------- helpers ----------


/** Same event, different array / set order (and topic order within each person). */
function reordered(input: MatchInput, r: Rng): MatchInput {
  return {
    ...input,
    mentors: shuffled(r, input.mentors).map((m) => ({ ...m, topics: shuffled(r, m.topics) })),
    mentees: shuffled(r, input.mentees).map((m) => ({ ...m, topics: shuffled(r, m.topics) })),
    met: new Pairs(shuffled(r, [...input.met])),
    coSeated: new UnorderedPairs(shuffled(r, [...input.coSeated])),
  };
}




interface Objective {
  repeats: number;
  /** Seated count per distinct sessions value, lowest value first. */
  tiers: number[];
  topics: number;
}

function objectiveOf(input: MatchInput, seat: ReadonlyMap<string, string>): Objective {
  const mentor = new Map(input.mentors.map((m) => [m.id, m]));
  const values = [...new Set(input.mentees.map((m) => m.sessions))].sort((a, b) => a - b);
  const tiers = values.map(() => 0);
  let repeats = 0;
  let topics = 0;
  for (const m of input.mentees) {
    const mid = seat.get(m.id);
    if (mid === undefined) continue;
    tiers[values.indexOf(m.sessions)]!++;
    if (input.met.has(mid, m.id)) repeats++;
    topics += sharedTopics(m.topics, mentor.get(mid)!.topics);
  }
  return { repeats, tiers, topics };
}

/** < 0 when a is better than b. */
function compareObjective(a: Objective, b: Objective): number {
  if (a.repeats !== b.repeats) return a.repeats - b.repeats;
  for (let i = 0; i < a.tiers.length; i++) if (a.tiers[i] !== b.tiers[i]) return b.tiers[i]! - a.tiers[i]!;
  return b.topics - a.topics;
}

/**
 * Repeat-free seating by capacity-aware augmenting paths (Kuhn), taking
 * mentees in the given order and stopping at `limit` seated. A matched mentee
 * stays matched, so with tier order this yields, per tier prefix, the most
 * mentees a repeat-free seating can hold (transversal-matroid greedy).
 */
function greedyRepeatFree(input: MatchInput, order: readonly MatchMentee[], limit: number): Map<string, string> {
  const load = new Map<string, string[]>(input.mentors.map((m) => [m.id, []]));
  const tryAssign = (e: string, visited: Set<string>): boolean => {
    for (const m of input.mentors) {
      if (visited.has(m.id) || input.met.has(m.id, e)) continue;
      visited.add(m.id);
      const at = load.get(m.id)!;
      if (at.length < input.seatsPerTable) {
        at.push(e);
        return true;
      }
      for (let k = 0; k < at.length; k++) {
        if (tryAssign(at[k]!, visited)) {
          at[k] = e;
          return true;
        }
      }
    }
    return false;
  };
  let seated = 0;
  for (const m of order) {
    if (seated >= limit) break;
    if (tryAssign(m.id, new Set())) seated++;
  }
  const seat = new Map<string, string>();
  for (const [mid, es] of load) for (const e of es) seat.set(e, mid);
  return seat;
}

/** Exhaustive lexicographic optimum of (repeats, tiers, topics) over all seatings of K mentees. */
function bruteForce(input: MatchInput): Objective {
  const K = seatsOf(input);
  const ms = input.mentees;
  const load = input.mentors.map(() => 0);
  const seat = new Map<string, string>();
  const found: { best: Objective | null } = { best: null };
  const go = (i: number, byes: number): void => {
    if (i === ms.length) {
      const o = objectiveOf(input, seat);
      if (found.best === null || compareObjective(o, found.best) < 0) found.best = o;
      return;
    }
    if (byes < ms.length - K) go(i + 1, byes + 1);
    input.mentors.forEach((m, j) => {
      if (load[j]! >= input.seatsPerTable) return;
      load[j]!++;
      seat.set(ms[i]!.id, m.id);
      go(i + 1, byes);
      seat.delete(ms[i]!.id);
      load[j]!--;
    });
  };
  go(0, 0);
  return found.best!;
}

function coSeatCount(plan: SeatingPlan, coSeated: UnorderedPairs): number {
  let c = 0;
  for (const t of plan.tables)
    for (let i = 0; i < t.menteeIds.length; i++)
      for (let j = i + 1; j < t.menteeIds.length; j++) if (coSeated.has(t.menteeIds[i]!, t.menteeIds[j]!)) c++;
  return c;
}

const TOPICS = ['ai', 'design', 'rust', 'go', 'sales', 'career', 'ux', 'data'];
const randomTopics = (r: Rng, pool: readonly string[], max: number): string[] =>
  shuffled(r, pool).slice(0, int(r, 0, Math.min(max, pool.length)));

// ---------- tests ----------

describe('planRound: simulated events', () => {
  it('keeps capacity, avoids avoidable repeats, seats fairly and is order-independent', () => {
    const shapes: Array<[mentors: number, mentees: number, seats: number]> = [
      [1, 1, 1], [1, 5, 1], [1, 5, 3], [1, 3, 8], [4, 2, 1], [7, 3, 2], [3, 7, 1], [5, 11, 2],
      [2, 9, 4], [6, 13, 3], [3, 30, 8], [9, 40, 4], [12, 17, 1], [4, 4, 8], [10, 25, 2],
    ];
    const stats = { rounds: 0, repeatFreeRounds: 0, forcedRepeatRounds: 0, spreadChecks: 0, lateJoiners: 0 };

    for (let ev = 0; ev < 70; ev++) {
      const r = mulberry32(1000 + ev);
      const [nMentors, nMentees, seats] =
        ev < shapes.length ? shapes[ev]! : [int(r, 1, 12), int(r, 1, 36), pick(r, [1, 1, 2, 2, 3, 4, 5, 8])];
      const topicMode = pick(r, ['random', 'random', 'disjoint', 'none', 'mixedCase'] as const);
      const mentorPool = topicMode === 'disjoint' ? TOPICS.slice(0, 4) : TOPICS;
      const menteePool = topicMode === 'disjoint' ? TOPICS.slice(4) : TOPICS;
      const caseOf = (ts: string[]): string[] =>
        topicMode === 'mixedCase' ? ts.map((t) => (r() < 0.5 ? t.toUpperCase() : t)) : ts;
      const topicsFor = (pool: readonly string[]): string[] => (topicMode === 'none' ? [] : caseOf(randomTopics(r, pool, 4)));

      const mentors: MatchMentor[] = Array.from({ length: nMentors }, (_, i) => ({
        id: `mentor-${ev}-${i}`,
        table: i + 1,
        topics: topicsFor(mentorPool),
      }));
      const mentees: MatchMentee[] = Array.from({ length: nMentees }, (_, i) => ({
        id: `mentee-${ev}-${i}`,
        topics: topicsFor(menteePool),
        sessions: 0,
      }));
      const originals = new Set(mentees.map((m) => m.id));
      const met = new Pairs();
      const coSeated = new UnorderedPairs();
      const rounds = int(r, 2, 9);
      const seed = int(r, 0, 2 ** 31);
      let fairSoFar = true;

      for (let round = 1; round <= rounds; round++) {
        if (round > 1 && r() < 0.25) {
          const n = int(r, 1, 2);
          for (let k = 0; k < n; k++) {
            mentees.push({ id: `late-${ev}-${round}-${k}`, topics: topicsFor(menteePool), sessions: 0 });
            stats.lateJoiners++;
          }
        }
        const absent = mentors.length > 1 && r() < 0.2 ? pick(r, mentors).id : null;
        const input: MatchInput = {
          round,
          seatsPerTable: seats,
          mentors: mentors.filter((m) => m.id !== absent),
          mentees: mentees.map((m) => ({ ...m })),
          met: new Pairs(met),
          coSeated: new UnorderedPairs(coSeated),
          seed,
        };
        const plan = planRound(input);
        const seat = checkShape(input, plan);
        const got = objectiveOf(input, seat);
        const K = seatsOf(input);
        stats.rounds++;

        // Determinism, including under reordered input.
        expect(planRound(input)).toEqual(plan);
        expect(planRound(reordered(input, r))).toEqual(plan);

        // Repeats and fairness against the independent greedy oracle.
        const byTier = [...input.mentees].sort((a, b) => a.sessions - b.sessions);
        const oracle = greedyRepeatFree(input, byTier, K);
        if (oracle.size === K) {
          stats.repeatFreeRounds++;
          expect(got.repeats).toBe(0);
          expect(got.tiers).toEqual(objectiveOf(input, oracle).tiers);
          // Fill lowest sessions first, as if there were no history at all.
          const ideal = byTier.slice(0, K);
          const idealTiers = objectiveOf(input, new Map(ideal.map((m) => [m.id, input.mentors[0]!.id]))).tiers;
          if (JSON.stringify(got.tiers) !== JSON.stringify(idealTiers)) fairSoFar = false;
        } else {
          stats.forcedRepeatRounds++;
          expect(got.repeats).toBeGreaterThan(0);
          fairSoFar = false;
        }

        // Feed the plan back.
        for (const t of plan.tables) {
          for (const id of t.menteeIds) met.add(t.mentorId, id);
          for (const a of t.menteeIds) for (const b of t.menteeIds) if (a < b) coSeated.add(a, b);
        }
        for (const m of mentees) if (seat.has(m.id)) m.sessions++;

        if (fairSoFar) {
          const s = mentees.filter((m) => originals.has(m.id)).map((m) => m.sessions);
          expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
          stats.spreadChecks++;
        }
      }
    }
    // The oracles were actually exercised in both regimes.
    expect(stats.repeatFreeRounds).toBeGreaterThan(150);
    expect(stats.forcedRepeatRounds).toBeGreaterThan(10);
    expect(stats.spreadChecks).toBeGreaterThan(100);
    expect(stats.lateJoiners).toBeGreaterThan(5);
  });
});

describe('planRound: optimality', () => {
  it('matches an exhaustive search on (repeats, fair byes, shared topics) for small events', () => {
    let forced = 0;
    for (let k = 0; k < 160; k++) {
      const r = mulberry32(5000 + k);
      const nMentors = int(r, 1, 4);
      const nMentees = int(r, 1, 7);
      const seats = int(r, 1, 2);
      const mentors = Array.from({ length: nMentors }, (_, i) => ({
        id: `m${i}`,
        table: 10 + i,
        topics: randomTopics(r, TOPICS.slice(0, 5), 3).map((t) => (r() < 0.3 ? t.toUpperCase() : t)),
      }));
      const mentees = Array.from({ length: nMentees }, (_, i) => ({
        id: `e${i}`,
        topics: randomTopics(r, TOPICS.slice(0, 5), 3),
        sessions: int(r, 0, 2),
      }));
      const metP = pick(r, [0, 0.3, 0.6, 0.9]);
      const met = new Pairs();
      for (const m of mentors) for (const e of mentees) if (r() < metP) met.add(m.id, e.id);
      const input: MatchInput = { round: 3, seatsPerTable: seats, mentors, mentees, met, coSeated: new UnorderedPairs(), seed: k };
      const plan = planRound(input);
      const best = bruteForce(input);
      if (best.repeats > 0) forced++;
      expect(objectiveOf(input, checkShape(input, plan))).toEqual(best);
    }
    expect(forced).toBeGreaterThan(20);
  });

  it('compares topics case-insensitively', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plan = planRound({
        round: 1,
        seatsPerTable: 1,
        mentors: [{ id: 'M', table: 1, topics: ['Rust'] }],
        mentees: [
          { id: 'a', topics: ['go'], sessions: 0 },
          { id: 'b', topics: ['RUST'], sessions: 0 },
          { id: 'c', topics: [], sessions: 0 },
        ],
        met: new Pairs(),
        coSeated: new UnorderedPairs(),
        seed,
      });
      expect(plan.tables[0]!.menteeIds).toEqual(['b']);
      expect(plan.byes).toEqual(['a', 'c']);
    }
  });

  it('seats a late joiner before people who already sat twice', () => {
    const mentors = Array.from({ length: 6 }, (_, i) => ({ id: `M${i}`, table: i + 1, topics: ['ai'] }));
    const veterans = Array.from({ length: 8 }, (_, i) => ({ id: `v${i}`, topics: ['ai', 'ux'], sessions: 2 }));
    const met = new Pairs(veterans.flatMap((v, i) => [[`M${i % 6}`, v.id] as const, [`M${(i + 1) % 6}`, v.id] as const]));
    for (let seed = 0; seed < 40; seed++) {
      const input: MatchInput = {
        round: 3,
        seatsPerTable: 1,
        mentors,
        mentees: [...veterans, { id: 'late', topics: [], sessions: 0 }],
        met,
        coSeated: new UnorderedPairs(),
        seed,
      };
      const plan = planRound(input);
      const seat = checkShape(input, plan);
      expect(seat.has('late')).toBe(true);
      expect(objectiveOf(input, seat).repeats).toBe(0);
    }
  });

  it('lists every mentor present, even at an empty table, and seats everyone when mentors outnumber mentees', () => {
    const input: MatchInput = {
      round: 1,
      seatsPerTable: 3,
      mentors: [3, 1, 2, 5].map((t) => ({ id: `M${t}`, table: t, topics: [] })),
      mentees: [{ id: 'x', topics: [], sessions: 0 }],
      met: new Pairs(),
      coSeated: new UnorderedPairs(),
      seed: 9,
    };
    const plan = planRound(input);
    checkShape(input, plan);
    expect(plan.tables.map((t) => t.table)).toEqual([1, 2, 3, 5]);
    expect(plan.byes).toEqual([]);
    expect(planRound({ ...input, mentees: [] })).toEqual({
      round: 1,
      tables: plan.tables.map((t) => ({ ...t, menteeIds: [] })),
      byes: [],
    });
  });
});

describe('planRound: group tables', () => {
  it('does not seat an already co-seated pair together when an equally good plan avoids it', () => {
    for (let seed = 0; seed < 60; seed++) {
      const r = mulberry32(seed);
      const nTables = pick(r, [2, 3, 4]);
      const mentors = Array.from({ length: nTables }, (_, i) => ({ id: `M${i}`, table: i + 1, topics: ['ai'] }));
      const ids = shuffled(r, Array.from({ length: nTables * 2 }, (_, i) => `e${i}`));
      const mentees = ids.map((id) => ({ id, topics: ['ai'], sessions: 1 }));
      // Last round's tables: consecutive pairs of a random order.
      const coSeated = new UnorderedPairs();
      for (let i = 0; i < ids.length; i += 2) coSeated.add(ids[i]!, ids[i + 1]!);
      const input: MatchInput = { round: 2, seatsPerTable: 2, mentors, mentees, met: new Pairs(), coSeated, seed };
      const plan = planRound(input);
      checkShape(input, plan);
      expect(coSeatCount(plan, coSeated)).toBe(0);
    }
  });

  it('still prefers shared topics over avoiding a co-seated pair', () => {
    const input: MatchInput = {
      round: 2,
      seatsPerTable: 2,
      mentors: [
        { id: 'X', table: 1, topics: ['x'] },
        { id: 'Y', table: 2, topics: ['y'] },
      ],
      mentees: [
        { id: 'a', topics: ['x'], sessions: 1 },
        { id: 'b', topics: ['y'], sessions: 1 },
        { id: 'c', topics: ['x'], sessions: 1 },
        { id: 'd', topics: ['y'], sessions: 1 },
      ],
      met: new Pairs(),
      coSeated: new UnorderedPairs([['a', 'c']]),
      seed: 1,
    };
    expect(planRound(input).tables.map((t) => t.menteeIds)).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });
});

describe('planRound: determinism and scale', () => {
  it('is reproducible per seed and varies across seeds', () => {
    const r = mulberry32(77);
    const mentors = Array.from({ length: 6 }, (_, i) => ({ id: `M${i}`, table: i + 1, topics: [] }));
    const mentees = Array.from({ length: 15 }, (_, i) => ({ id: `e${i}`, topics: [], sessions: 0 }));
    const plans = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const input: MatchInput = { round: 1, seatsPerTable: 2, mentors, mentees, met: new Pairs(), coSeated: new UnorderedPairs(), seed };
      const plan = planRound(input);
      expect(planRound(reordered(input, r))).toEqual(plan);
      plans.add(JSON.stringify(plan));
    }
    expect(plans.size).toBeGreaterThan(1);
  });

  it('plans 200 mentees × 40 mentors × 2 seats', () => {
    const r = mulberry32(200);
    const mentors = Array.from({ length: 40 }, (_, i) => ({ id: `M${i}`, table: i + 1, topics: randomTopics(r, TOPICS, 3) }));
    const mentees = Array.from({ length: 200 }, (_, i) => ({ id: `e${i}`, topics: randomTopics(r, TOPICS, 3), sessions: i % 2 }));
    const met = new Pairs();
    for (const e of mentees) for (let k = 0; k < 3; k++) met.add(pick(r, mentors).id, e.id);
    const input: MatchInput = { round: 4, seatsPerTable: 2, mentors, mentees, met, coSeated: new UnorderedPairs(), seed: 3 };
    const plan = planRound(input);
    const seat = checkShape(input, plan);
    expect(objectiveOf(input, seat).repeats).toBe(0);
    expect(seat.size).toBe(80);
  });
});
