// Exactness of the planner against an independent exact solver from npm:
// linear-sum-assignment (Jonker–Volgenant) on the seat-expanded matrix, one
// column per seat and one per bye. Its weights are written here from the
// rules alone (a weight per tier that outweighs everything below it), so the
// check does not lean on the planner's own scalarisation or its hub network.
import { describe, it, expect } from 'vitest';
import { linearSumAssignment } from 'linear-sum-assignment';
import type { SeatingPlan } from '../../shared/domain';
import { planRound } from '../../shared/matching/planRound';
import { replanRound } from '../../shared/matching/replanRound';
import { buildProblem } from '../../shared/matching/seatingProblem';
import { solveSeating } from '../../shared/matching/seatingSolver';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import type { MatchInput, MatchMentee, MatchMentor } from '../../shared/matching/types';
import { int, mulberry32, pick, shuffled, type Rng } from '../support/random';
import { checkShape, seatsOf, sharedTopics } from '../support/planChecks';

// ---------- helpers ----------


const TOPICS24 = Array.from({ length: 24 }, (_, i) => `topic-${i}`);
/** Popular topics first, as in a real event. */
function topicsFrom(r: Rng, pool: readonly string[], lo: number, hi: number): string[] {
  const n = Math.min(pool.length, int(r, lo, hi));
  const out = new Set<string>();
  while (out.size < n) out.add(pool[Math.min(pool.length - 1, Math.floor(pool.length * r() * r()))]!);
  return [...out];
}



interface Score {
  repeats: number;
  /** Seated per distinct sessions value, fewest sessions first. */
  tiers: number[];
  /** Seated mentees who were shown as sitting out (re-planning only). */
  movedFromBye: number;
  topics: number;
}

function scoreOf(input: MatchInput, seat: ReadonlyMap<string, string>, shownOut: ReadonlySet<string> = new Set()): Score {
  const mentor = new Map(input.mentors.map((m) => [m.id, m]));
  const values = [...new Set(input.mentees.map((m) => m.sessions))].sort((a, b) => a - b);
  const score: Score = { repeats: 0, tiers: values.map(() => 0), movedFromBye: 0, topics: 0 };
  for (const m of input.mentees) {
    const mid = seat.get(m.id);
    if (mid === undefined) continue;
    score.tiers[values.indexOf(m.sessions)]!++;
    if (input.met.has(mid, m.id)) score.repeats++;
    if (shownOut.has(m.id)) score.movedFromBye++;
    score.topics += sharedTopics(m.topics, mentor.get(mid)!.topics);
  }
  return score;
}

/**
 * The lexicographic optimum of (repeats, seated per tier, moved from bye, topics)
 * over seating `mentees` in `freeSeats` (mentor id → free seats), by
 * linear-sum-assignment on the seat-expanded matrix. Weights: each level is
 * worth more than the largest total of every level below it.
 */
function exactByAssignment(input: MatchInput, mentees: readonly MatchMentee[], freeSeats: ReadonlyMap<string, number>, shownOut: ReadonlySet<string> = new Set()): Score {
  const seatMentor: MatchMentor[] = [];
  for (const m of input.mentors) for (let k = 0; k < (freeSeats.get(m.id) ?? 0); k++) seatMentor.push(m);
  const K = Math.min(mentees.length, seatMentor.length);
  const restricted: MatchInput = { ...input, mentees: [...mentees] };
  if (K === 0) return scoreOf(restricted, new Map(), shownOut);
  const values = [...new Set(mentees.map((m) => m.sessions))].sort((a, b) => a - b);
  const topicLevel = 24 * K + 1;
  const stayLevel = topicLevel * (K + 1);
  const tierLevel = values.map((_, t) => stayLevel * (K + 1) ** (values.length - t));
  const repeatLevel = stayLevel * (K + 1) ** (values.length + 1);
  const byeColumns = mentees.length - K;
  const matrix = mentees.map((e) => [
    ...seatMentor.map(
      (m) =>
        tierLevel[values.indexOf(e.sessions)]! +
        (shownOut.has(e.id) ? 0 : stayLevel) +
        sharedTopics(e.topics, m.topics) -
        (input.met.has(m.id, e.id) ? repeatLevel : 0),
    ),
    ...Array<number>(byeColumns).fill(0),
  ]);
  expect(repeatLevel * K).toBeLessThan(2 ** 50); // exact in float64
  const { rowAssignments } = linearSumAssignment(matrix, { maximaze: true });
  const seat = new Map<string, string>();
  mentees.forEach((e, r) => {
    const c = rowAssignments[r]!;
    if (c >= 0 && c < seatMentor.length) seat.set(e.id, seatMentor[c]!.id);
  });
  return scoreOf(restricted, seat, shownOut);
}

/** Topics of the best repeat-free seating of exactly these seated mentees, by linear-sum-assignment. */
function bestTopicsFor(input: MatchInput, seated: readonly MatchMentee[]): number {
  const seatMentor = input.mentors.flatMap((m) => Array<MatchMentor>(input.seatsPerTable).fill(m));
  if (seated.length === 0) return 0;
  const matrix = seated.map((e) => seatMentor.map((m) => sharedTopics(e.topics, m.topics) - (input.met.has(m.id, e.id) ? 1000 : 0)));
  const { rowAssignments } = linearSumAssignment(matrix, { maximaze: true });
  return seated.reduce((sum, e, r) => sum + sharedTopics(e.topics, seatMentor[rowAssignments[r]!]!.topics), 0);
}

interface EventShape {
  mentors: number;
  mentees: number;
  seats: number;
  topics: 'popular' | 'disjoint' | 'none' | 'many' | 'wide';
}

function makeEvent(r: Rng, shape: EventShape, tag: string): { mentors: MatchMentor[]; mentees: MatchMentee[] } {
  // 'wide': 40 distinct topics (more than one 32-bit word); 'many': people with up to 14 topics.
  const pool = shape.topics === 'wide' ? Array.from({ length: 40 }, (_, i) => `Wide-${i}`) : TOPICS24;
  const mentorPool = shape.topics === 'disjoint' ? pool.slice(0, 12) : pool;
  const menteePool = shape.topics === 'disjoint' ? pool.slice(12) : pool;
  const [mlo, mhi, elo, ehi] = shape.topics === 'many' ? [4, 14, 3, 12] : shape.topics === 'none' ? [0, 0, 0, 0] : [1, 5, 1, 4];
  return {
    mentors: Array.from({ length: shape.mentors }, (_, i) => ({
      id: `${tag}-mentor-${i}`,
      table: 2 * i + 1,
      topics: topicsFrom(r, mentorPool, mlo, mhi).map((t) => (r() < 0.2 ? t.toUpperCase() : t)),
    })),
    mentees: Array.from({ length: shape.mentees }, (_, i) => ({
      id: `${tag}-mentee-${i}`,
      topics: topicsFrom(r, menteePool, elo, ehi),
      sessions: 0,
    })),
  };
}

function recordRound(plan: SeatingPlan, met: Pairs, coSeated: UnorderedPairs, mentees: MatchMentee[]): void {
  const seated = new Set<string>();
  for (const t of plan.tables) {
    for (const id of t.menteeIds) {
      met.add(t.mentorId, id);
      seated.add(id);
    }
    for (const a of t.menteeIds) for (const b of t.menteeIds) if (a < b) coSeated.add(a, b);
  }
  for (const m of mentees) if (seated.has(m.id)) m.sessions++;
}

// ---------- tests ----------

describe('planRound against linear-sum-assignment', () => {
  it('reaches the exact optimum of (repeats, fair byes, shared topics) on random small events', () => {
    const counts = { forcedRepeats: 0, severalTiers: 0, moreSeatsThanMentees: 0 };
    for (let k = 0; k < 400; k++) {
      const r = mulberry32(9000 + k);
      const shape: EventShape = {
        mentors: pick(r, [1, 1, 2, 3, 4, 5, 7, 9]),
        mentees: int(r, 1, 30),
        seats: pick(r, [1, 2, 3, 4, 8]),
        topics: pick(r, ['popular', 'popular', 'disjoint', 'none', 'many', 'wide'] as const),
      };
      if (shape.mentors * shape.seats > 40) shape.seats = Math.max(1, Math.floor(40 / shape.mentors));
      const { mentors, mentees } = makeEvent(r, shape, `x${k}`);
      for (const m of mentees) m.sessions = int(r, 0, pick(r, [0, 1, 3]));
      const metP = pick(r, [0, 0.2, 0.5, 0.9]);
      const met = new Pairs();
      for (const m of mentors) for (const e of mentees) if (r() < metP) met.add(m.id, e.id);
      const input: MatchInput = { round: 4, seatsPerTable: shape.seats, mentors, mentees, met, coSeated: new UnorderedPairs(), seed: k };

      const plan = planRound(input);
      const got = scoreOf(input, checkShape(input, plan));
      const best = exactByAssignment(input, mentees, new Map(mentors.map((m) => [m.id, shape.seats])));
      expect(got).toEqual(best);

      if (best.repeats > 0) counts.forcedRepeats++;
      if (best.tiers.length > 1 && mentees.length > mentors.length * shape.seats) counts.severalTiers++;
      if (mentees.length < mentors.length * shape.seats) counts.moreSeatsThanMentees++;
    }
    expect(counts.forcedRepeats).toBeGreaterThan(40);
    expect(counts.severalTiers).toBeGreaterThan(40);
    expect(counts.moreSeatsThanMentees).toBeGreaterThan(40);
  });

  it('over whole simulated events: no repeats, sessions within 1, optimal topics, same plan for the same event', () => {
    const shapes: EventShape[] = [
      { mentors: 10, mentees: 40, seats: 1, topics: 'popular' },
      { mentors: 40, mentees: 200, seats: 2, topics: 'popular' },
      { mentors: 13, mentees: 61, seats: 3, topics: 'popular' },
      { mentors: 60, mentees: 31, seats: 1, topics: 'popular' }, // more mentors than mentees
      { mentors: 1, mentees: 9, seats: 4, topics: 'popular' }, // one mentor
      { mentors: 11, mentees: 47, seats: 4, topics: 'disjoint' }, // nobody shares a topic
      { mentors: 7, mentees: 5, seats: 8, topics: 'popular' }, // seats > mentees
      { mentors: 25, mentees: 140, seats: 5, topics: 'many' },
      { mentors: 30, mentees: 97, seats: 3, topics: 'wide' },
      { mentors: 80, mentees: 400, seats: 4, topics: 'popular' },
    ];
    for (const [e, shape] of shapes.entries()) {
      const r = mulberry32(700 + e);
      const { mentors, mentees } = makeEvent(r, shape, `ev${e}`);
      const met = new Pairs();
      const coSeated = new UnorderedPairs();
      const rounds = Math.min(6, mentors.length);
      for (let round = 1; round <= rounds; round++) {
        const input: MatchInput = { round, seatsPerTable: shape.seats, mentors, mentees: mentees.map((m) => ({ ...m })), met: new Pairs(met), coSeated: new UnorderedPairs(coSeated), seed: 31 * e };
        const plan = planRound(input);
        const seat = checkShape(input, plan);
        const got = scoreOf(input, seat);
        expect(got.repeats).toBe(0);
        const seated = input.mentees.filter((m) => seat.has(m.id));
        expect(got.topics).toBe(bestTopicsFor(input, seated));
        // Same event in another order → same plan.
        const again: MatchInput = { ...input, mentors: shuffled(r, mentors), mentees: shuffled(r, input.mentees), met: new Pairs(shuffled(r, [...met])) };
        expect(planRound(again)).toEqual(plan);
        recordRound(plan, met, coSeated, mentees);
        const sessions = mentees.map((m) => m.sessions);
        expect(Math.max(...sessions) - Math.min(...sessions)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('stays exact late in an event, when topic hubs would lead people back to mentors they met', () => {
    let hubConflicts = 0;
    for (let k = 0; k < 24; k++) {
      const r = mulberry32(3100 + k);
      const seats = pick(r, [1, 2, 3]);
      const shape: EventShape = { mentors: int(r, 25, Math.floor(150 / seats)), mentees: 0, seats, topics: 'popular' };
      shape.mentees = Math.floor(shape.mentors * seats * (1 + r() * 0.5));
      const { mentors, mentees } = makeEvent(r, shape, `late${k}`);
      const met = new Pairs();
      const coSeated = new UnorderedPairs();
      const rounds = int(r, 4, 10);
      for (let round = 1; round <= rounds; round++) {
        const input: MatchInput = { round, seatsPerTable: seats, mentors, mentees: mentees.map((m) => ({ ...m })), met: new Pairs(met), coSeated: new UnorderedPairs(coSeated), seed: k };
        const plan = planRound(input);
        if (round === rounds) {
          const best = exactByAssignment(input, input.mentees, new Map(mentors.map((m) => [m.id, seats])));
          expect(scoreOf(input, checkShape(input, plan))).toEqual(best);
          expect(best.repeats).toBe(0);
        }
        const problem = buildProblem(input);
        hubConflicts += solveSeating({ problem, pool: [...problem.mentees.keys()], room: new Int32Array(mentors.length).fill(seats) }).stats.direct;
        recordRound(plan, met, coSeated, mentees);
      }
    }
    // The path that gives people direct edges instead of hubs was exercised.
    expect(hubConflicts).toBeGreaterThan(100);
  });

  it('keeps former table mates apart when that costs nothing', () => {
    let before = 0;
    let after = 0;
    for (let k = 0; k < 30; k++) {
      const r = mulberry32(4400 + k);
      const { mentors, mentees } = makeEvent(r, { mentors: 12, mentees: 60, seats: 4, topics: 'popular' }, `co${k}`);
      const met = new Pairs();
      const coSeated = new UnorderedPairs();
      for (let round = 1; round <= 4; round++) {
        const input: MatchInput = { round, seatsPerTable: 4, mentors, mentees: mentees.map((m) => ({ ...m })), met: new Pairs(met), coSeated: new UnorderedPairs(coSeated), seed: k };
        const plan = planRound(input);
        const pairs = plan.tables.flatMap((t) => t.menteeIds.flatMap((a) => t.menteeIds.filter((b) => a < b && coSeated.has(a, b))));
        after += pairs.length;
        // Same rules without the co-seating history: how many pairs would meet again.
        const blind = planRound({ ...input, coSeated: new UnorderedPairs() });
        before += blind.tables.flatMap((t) => t.menteeIds.flatMap((a) => t.menteeIds.filter((b) => a < b && coSeated.has(a, b)))).length;
        expect(scoreOf(input, checkShape(input, plan))).toEqual(scoreOf(input, checkShape(input, blind)));
        recordRound(plan, met, coSeated, mentees);
      }
    }
    expect(before).toBeGreaterThan(20);
    expect(after).toBeLessThan(before / 2);
  });
});

describe('replanRound', () => {
  it('keeps every still-valid seat and re-seats only who must move, optimally', () => {
    const counts = { mentorsLeft: 0, lateMentees: 0, lateMentors: 0, menteesLeft: 0, byesSeated: 0 };
    for (let k = 0; k < 150; k++) {
      const r = mulberry32(12000 + k);
      const shape: EventShape = {
        mentors: int(r, 1, 8),
        mentees: int(r, 1, 34),
        seats: pick(r, [1, 2, 3, 4]),
        topics: pick(r, ['popular', 'popular', 'disjoint', 'many'] as const),
      };
      const { mentors, mentees } = makeEvent(r, shape, `re${k}`);
      const met = new Pairs();
      const coSeated = new UnorderedPairs();
      const rounds = int(r, 1, 3);
      for (let round = 1; round < rounds; round++) {
        recordRound(planRound({ round, seatsPerTable: shape.seats, mentors, mentees: mentees.map((m) => ({ ...m })), met, coSeated, seed: k }), met, coSeated, mentees);
      }
      const before: MatchInput = { round: rounds, seatsPerTable: shape.seats, mentors, mentees: mentees.map((m) => ({ ...m })), met: new Pairs(met), coSeated: new UnorderedPairs(coSeated), seed: k };
      const shown = planRound(before);

      // What changed since the plan was shown.
      const goneMentors = new Set(mentors.filter(() => r() < 0.25).map((m) => m.id));
      const goneMentees = new Set(mentees.filter(() => r() < 0.15).map((m) => m.id));
      const lateMentees = Array.from({ length: pick(r, [0, 0, 1, 3]) }, (_, i) => ({ id: `re${k}-late-${i}`, topics: topicsFrom(r, TOPICS24, 1, 4), sessions: 0 }));
      const lateMentors = Array.from({ length: pick(r, [0, 0, 0, 1]) }, (_, i) => ({ id: `re${k}-lateM-${i}`, table: 1000 + i, topics: topicsFrom(r, TOPICS24, 1, 4) }));
      if (goneMentors.size) counts.mentorsLeft++;
      if (goneMentees.size) counts.menteesLeft++;
      if (lateMentees.length) counts.lateMentees++;
      if (lateMentors.length) counts.lateMentors++;
      const now: MatchInput = {
        ...before,
        mentors: [...mentors.filter((m) => !goneMentors.has(m.id)), ...lateMentors],
        mentees: [...before.mentees.filter((m) => !goneMentees.has(m.id)), ...lateMentees],
      };

      const plan = replanRound(shown, now);
      const seat = checkShape(now, plan);
      expect(replanRound(shown, { ...now, mentees: shuffled(r, now.mentees), mentors: shuffled(r, now.mentors) })).toEqual(plan);

      // Every seat still valid is kept exactly.
      const kept = new Map<string, string>();
      const freeSeats = new Map(now.mentors.map((m) => [m.id, shape.seats]));
      for (const t of shown.tables) {
        if (goneMentors.has(t.mentorId)) continue;
        for (const id of t.menteeIds) {
          if (goneMentees.has(id)) continue;
          kept.set(id, t.mentorId);
          freeSeats.set(t.mentorId, freeSeats.get(t.mentorId)! - 1);
          expect(seat.get(id)).toBe(t.mentorId);
        }
      }
      // The others were seated exactly as well as possible in the seats left.
      const shownOut = new Set(shown.byes);
      const movers = now.mentees.filter((m) => !kept.has(m.id));
      const moved = new Map([...seat].filter(([id]) => !kept.has(id)));
      const got = scoreOf({ ...now, mentees: movers }, moved, shownOut);
      const best = exactByAssignment(now, movers, freeSeats, shownOut);
      expect(got).toEqual(best);
      if (got.movedFromBye > 0) counts.byesSeated++;
    }
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(10);
  });

  it('when a mentor leaves, moves only their mentees; a late mentee takes a free seat; a freed seat goes to who sat out most recently', () => {
    const mentors = [1, 2, 3].map((t) => ({ id: `M${t}`, table: t, topics: ['ai'] }));
    const mentees = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, topics: ['ai'], sessions: id === 'g' ? 0 : 1 }));
    const input: MatchInput = { round: 2, seatsPerTable: 2, mentors, mentees, met: new Pairs(), coSeated: new UnorderedPairs(), seed: 5 };
    const shown = planRound(input);
    expect(shown.byes).toHaveLength(1);
    expect(shown.byes).not.toContain('g'); // fewest sessions is seated

    // M2 leaves: its two mentees are displaced; no free seat elsewhere, so they sit out now.
    const m2 = shown.tables.find((t) => t.mentorId === 'M2')!;
    const afterLeave = replanRound(shown, { ...input, mentors: mentors.filter((m) => m.id !== 'M2') });
    for (const t of afterLeave.tables) expect(t.menteeIds).toEqual(shown.tables.find((s) => s.mentorId === t.mentorId)!.menteeIds);
    expect(afterLeave.byes).toEqual([...shown.byes, ...m2.menteeIds].sort());

    // One seated mentee leaves: the one sitting out takes the freed seat; nobody else moves.
    const leaver = shown.tables[0]!.menteeIds[0]!;
    const afterOut = replanRound(shown, { ...input, mentees: mentees.filter((m) => m.id !== leaver) });
    expect(afterOut.byes).toEqual([]);
    expect(afterOut.tables[0]!.menteeIds).toEqual([...shown.tables[0]!.menteeIds.filter((id) => id !== leaver), shown.byes[0]!].sort());
    expect(afterOut.tables.slice(1)).toEqual(shown.tables.slice(1));

    // A late joiner when a seat is free takes it; the others keep theirs.
    const late = { id: 'late', topics: ['ai'], sessions: 0 };
    const fewer = mentees.filter((m) => m.id !== leaver);
    const withLate = replanRound(afterOut, { ...input, mentees: [...fewer, late], mentors: [...mentors, { id: 'M9', table: 9, topics: [] }] });
    expect(withLate.tables.find((t) => t.mentorId === 'M9')!.menteeIds).toEqual(['late']);
    expect(withLate.tables.filter((t) => t.mentorId !== 'M9')).toEqual(afterOut.tables);
  });
});
