import { describe, expect, it } from 'vitest';
import type { Participant, SeatingPlan } from '../../shared/domain';
import { historyBefore } from '../../shared/matching/history';
import { reviseShownPlan, seatLateMentee, seatLateMentor } from '../../shared/matching/lateArrivals';
import { coSeatKey, pairKey } from '../../shared/matching/types';
import { peopleWhoseSeatChanged, publicTables, satTogether, seatOf } from '../../shared/seats';

const person = (id: string, role: Participant['role'], topics: string[] = [], goal?: string): Participant => ({
  id,
  name: `Name ${id}`,
  role,
  topics,
  ...(goal ? { goal } : {}),
  joinedAt: 0,
  joinedRound: 0,
});
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
    expect([...history.met].sort()).toEqual([pairKey('M1', 'a'), pairKey('M1', 'c')].sort());
    expect([...history.coSeated]).toEqual([coSeatKey('a', 'c')]);
    expect(history.sessions.get('a')).toBe(1);
    expect(history.sessions.get('b')).toBeUndefined();
  });

  it('seats a late mentee in the free seat that fits best and moves nobody else', () => {
    const mentors = new Map([...people].filter(([, p]) => p.role === 'mentor'));
    const roomy: SeatingPlan = { ...plan, tables: [{ table: 1, mentorId: 'M1', menteeIds: ['a'] }, { table: 2, mentorId: 'M2', menteeIds: [] }] };
    const after = seatLateMentee(roomy, { id: 'z', topics: ['design'] }, mentors, 2);
    expect(after.tables).toEqual([
      { table: 1, mentorId: 'M1', menteeIds: ['a', 'z'] },
      { table: 2, mentorId: 'M2', menteeIds: [] },
    ]);
    const everySeatTaken = { ...after, tables: after.tables.map((t) => (t.table === 2 ? { ...t, menteeIds: ['x'] } : t)) };
    const full = seatLateMentee(everySeatTaken, { id: 'y', topics: [] }, mentors, 1);
    expect(full.byes).toEqual(['c', 'y']);
    expect(full.tables).toEqual(everySeatTaken.tables);
  });

  it('fills a late mentor table from those sitting out, fewest sessions first', () => {
    const after = seatLateMentor(plan, { id: 'M3', table: 3, topics: [] }, [
      { id: 'c', topics: [], sessions: 1 },
      { id: 'd', topics: [], sessions: 0 },
    ], 1);
    expect(after.tables.at(-1)).toEqual({ table: 3, mentorId: 'M3', menteeIds: ['d'] });
    expect(after.byes).toEqual(['c']);
  });

  it('revises a shown plan: a departed mentor frees their mentees, who avoid repeats; others stay', () => {
    const shown: SeatingPlan = {
      round: 3,
      tables: [
        { table: 1, mentorId: 'M1', menteeIds: ['a', 'b'] },
        { table: 2, mentorId: 'M2', menteeIds: ['c'] },
        { table: 3, mentorId: 'M3', menteeIds: ['d'] },
      ],
      byes: ['e'],
    };
    const mentors = [
      { id: 'M2', table: 2, topics: [] },
      { id: 'M3', table: 3, topics: ['x'] },
    ];
    const mentees = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, topics: id === 'a' ? ['x'] : [], sessions: id === 'e' ? 1 : 2 }));
    // 'a' already met M3, so a seat there would be a repeat.
    const revised = reviseShownPlan(shown, mentors, mentees, 2, new Set([pairKey('M3', 'a')]));
    expect(revised.tables).toEqual([
      { table: 2, mentorId: 'M2', menteeIds: ['c', 'e'] },
      { table: 3, mentorId: 'M3', menteeIds: ['d', 'b'] },
    ]);
    expect(revised.byes).toEqual(['a']);
    expect(peopleWhoseSeatChanged(shown, revised)).toEqual(['M1', 'M2', 'M3', 'a', 'b', 'e']);
  });

  it('fills a free seat from those sitting out and moves nobody who is seated', () => {
    const mentors = [{ id: 'M1', table: 1, topics: [] }, { id: 'M2', table: 2, topics: [] }];
    const mentees = ['a', 'b', 'c'].map((id) => ({ id, topics: [], sessions: 1 }));
    expect(reviseShownPlan(plan, mentors, mentees, 2, new Set())).toEqual({ ...plan, tables: [plan.tables[0], { table: 2, mentorId: 'M2', menteeIds: ['c'] }], byes: [] });
  });
});
