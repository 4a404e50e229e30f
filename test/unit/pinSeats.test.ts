// The organizer's "move this mentee to table N": honoured when the rules allow, a full
// table makes room, nobody else moves.
import { describe, expect, it } from 'vitest';
import type { SeatingPlan } from '../../shared/domain';
import { pinProblem, seatPins } from '../../shared/matching/pinSeats';
import { planRound } from '../../shared/matching/planRound';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import type { MatchInput } from '../../shared/matching/types';
import { peopleWhoseSeatChanged, tableOf } from '../../shared/seats';

const mentors = [1, 2, 3].map((t) => ({ id: `M${t}`, table: t, topics: [] }));
const input = (over: Partial<MatchInput> = {}): MatchInput => ({
  round: 2,
  seatsPerTable: 1,
  mentors,
  mentees: ['a', 'b', 'c'].map((id) => ({ id, topics: [], sessions: 1 })),
  met: new Pairs(),
  coSeated: new UnorderedPairs(),
  seed: 3,
  ...over,
});
const shown: SeatingPlan = {
  round: 2,
  tables: [
    { table: 1, mentorId: 'M1', menteeIds: ['a'] },
    { table: 2, mentorId: 'M2', menteeIds: ['b'] },
    { table: 3, mentorId: 'M3', menteeIds: ['c'] },
  ],
  byes: [],
};

describe('seatPins', () => {
  it('swaps a moved mentee with the one at a full table; the third keeps their seat', () => {
    const plan = seatPins(shown, [{ menteeId: 'a', table: 2 }], input());
    expect(tableOf(plan, 'a')?.table).toBe(2);
    expect(tableOf(plan, 'b')?.table).toBe(1);
    expect(tableOf(plan, 'c')?.table).toBe(3);
    expect(peopleWhoseSeatChanged(shown, plan)).toEqual(['M1', 'M2', 'a', 'b']);
  });

  it('takes a free seat when the table has room, and leaves a plan that already honours it as it is', () => {
    const roomy = input({ seatsPerTable: 2 });
    const plan = seatPins(shown, [{ menteeId: 'a', table: 3 }], roomy);
    expect(plan.tables.find((t) => t.table === 3)!.menteeIds).toEqual(['a', 'c']);
    expect(plan.tables.find((t) => t.table === 2)!.menteeIds).toEqual(['b']);
    expect(seatPins(plan, [{ menteeId: 'a', table: 3 }], roomy)).toBe(plan);
  });

  it('seats a mentee who was sitting out, and the one who made room takes the bye', () => {
    const fourth = input({ mentees: [...input().mentees, { id: 'd', topics: [], sessions: 0 }] });
    const plan = seatPins({ ...shown, byes: ['d'] }, [{ menteeId: 'd', table: 1 }], fourth);
    expect(tableOf(plan, 'd')?.table).toBe(1);
    expect(plan.byes).toEqual(['a']);
  });

  it('does not seat someone sitting out at the cost of a mentee with fewer sessions', () => {
    const fourth = input({ mentees: [{ id: 'a', topics: [], sessions: 1 }, { id: 'b', topics: [], sessions: 1 }, { id: 'c', topics: [], sessions: 1 }, { id: 'd', topics: [], sessions: 2 }] });
    const plan = { ...shown, byes: ['d'] };
    expect(pinProblem(plan, { menteeId: 'd', table: 1 }, fourth)).toBe('unfair');
    expect(seatPins(plan, [{ menteeId: 'd', table: 1 }], fourth)).toBe(plan);
  });

  it('makes room with the mentee who has had the most sessions', () => {
    const group: SeatingPlan = { round: 2, tables: [{ table: 1, mentorId: 'M1', menteeIds: ['a', 'b'] }, { table: 2, mentorId: 'M2', menteeIds: ['c'] }], byes: [] };
    const sessions = input({ seatsPerTable: 2, mentors: mentors.slice(0, 2), mentees: [{ id: 'a', topics: [], sessions: 3 }, { id: 'b', topics: [], sessions: 1 }, { id: 'c', topics: [], sessions: 1 }] });
    // c moves to table 1 (full); a has had more sessions than b, so a makes room (and takes c's seat).
    const plan = seatPins(group, [{ menteeId: 'c', table: 1 }], sessions);
    expect(plan.tables.find((t) => t.table === 1)!.menteeIds).toEqual(['b', 'c']);
    expect(tableOf(plan, 'a')?.table).toBe(2);
  });

  it('does not honour a pin against the rules: a repeat, an absent mentor, a table full of pins', () => {
    const repeat = input({ met: new Pairs([['M2', 'a']]) });
    expect(pinProblem(shown, { menteeId: 'a', table: 2 }, repeat)).toBe('repeat');
    expect(seatPins(shown, [{ menteeId: 'a', table: 2 }], repeat)).toBe(shown);
    expect(pinProblem(shown, { menteeId: 'a', table: 9 }, input())).toBe('no-table');
    expect(pinProblem(shown, { menteeId: 'a', table: 2 }, input(), [{ menteeId: 'b', table: 2 }])).toBe('full-of-pins');
    // Two mentees moved to one single seat: the first (by id) gets it; the other keeps a seat elsewhere.
    const both = seatPins(shown, [{ menteeId: 'c', table: 2 }, { menteeId: 'a', table: 2 }], input());
    expect(both.tables.find((t) => t.table === 2)!.menteeIds).toEqual(['a']);
    expect(tableOf(both, 'c')).toBeDefined();
  });

  it('keeps a fresh plan valid: capacity held, every mentee seated once', () => {
    const big = input({
      seatsPerTable: 2,
      mentees: Array.from({ length: 7 }, (_, i) => ({ id: `m${i}`, topics: [], sessions: i % 2 })),
    });
    const fresh = planRound(big);
    const plan = seatPins(fresh, [{ menteeId: 'm0', table: 3 }, { menteeId: 'm6', table: 3 }, { menteeId: 'm3', table: 1 }], big);
    expect(plan.tables.find((t) => t.table === 3)!.menteeIds).toEqual(['m0', 'm6']);
    expect(tableOf(plan, 'm3')?.table).toBe(1);
    const seated = plan.tables.flatMap((t) => t.menteeIds);
    expect(plan.tables.every((t) => t.menteeIds.length <= 2)).toBe(true);
    expect(new Set([...seated, ...plan.byes]).size).toBe(7);
    expect(seated.length + plan.byes.length).toBe(7);
  });
});
