import { describe, expect, it } from 'vitest';
import type { SeatingPlan } from '../../shared/domain';
import { historyBefore } from '../../shared/matching/history';
import { planRound } from '../../shared/matching/planRound';
import { person } from '../support/people';
import { peopleWhoseSeatChanged, publicTables, satTogether, seatOf } from '../../shared/seats';

const people = new Map(
  [person('M1', 'mentor', ['design']), person('M2', 'mentor'), person('a', 'mentee', ['design'], 'Get hired'), person('b', 'mentee'), person('c', 'mentee')].map(
    (p) => [p.id, p],
  ),
);
const plan: SeatingPlan = {
  round: 2,
  tables: [
    { table: 1, mentorId: 'M1', menteeIds: ['a', 'b'] },
    { table: 2, mentorId: 'M2', menteeIds: [] },
  ],
  byes: ['c'],
};

describe('seats', () => {
  it('shows a mentee their mentor first, then table mates', () => {
    expect(seatOf(plan, 'a', people)).toEqual({
      round: 2,
      table: 1,
      with: [
        { id: 'M1', name: 'Name M1', role: 'mentor', topics: ['design'], sharedTopics: ['design'] },
        // A table mate's goal is theirs and their mentor's business only.
        { id: 'b', name: 'Name b', role: 'mentee', topics: [], sharedTopics: [] },
      ],
    });
  });

  it('shows a mentor their mentees with their goals', () => {
    expect(seatOf(plan, 'M1', people)?.with.map((p) => [p.id, p.goal])).toEqual([
      ['a', 'Get hired'],
      ['b', undefined],
    ]);
  });

  it('gives no seat to someone sitting out or to a mentor with an empty table', () => {
    expect(seatOf(plan, 'c', people)).toBeNull();
    expect(seatOf(plan, 'M2', people)).toBeNull();
    expect(seatOf(null, 'a', people)).toBeNull();
  });

  it('lists tables with display names only', () => {
    expect(publicTables(plan, people)[0]).toEqual({ table: 1, mentor: { id: 'M1', name: 'Name M1' }, mentees: [{ id: 'a', name: 'Name a' }, { id: 'b', name: 'Name b' }] });
  });

  it('knows who sat together as mentor and mentee (not mentee with mentee)', () => {
    expect(satTogether(plan, 'M1', 'a')).toBe(true);
    expect(satTogether(plan, 'a', 'M1')).toBe(true);
    expect(satTogether(plan, 'a', 'b')).toBe(false);
    expect(satTogether(plan, 'c', 'M1')).toBe(false);
  });

  it('builds history from earlier rounds only', () => {
    const earlier: SeatingPlan = { round: 1, tables: [{ table: 1, mentorId: 'M1', menteeIds: ['a', 'c'] }], byes: ['b'] };
    const history = historyBefore([earlier, plan], 2);
    expect([...history.met].sort()).toEqual([['M1', 'a'], ['M1', 'c']]);
    expect([...history.coSeated]).toEqual([['a', 'c']]);
    expect(history.sessions.get('a')).toBe(1);
    expect(history.sessions.get('b')).toBeUndefined();
  });
});
