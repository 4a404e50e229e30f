import { describe, expect, it } from 'vitest';
import type { Participant, SeatingPlan } from '../../shared/domain';
import { historyBefore } from '../../shared/matching/history';
import { coSeatKey, pairKey } from '../../shared/matching/types';
import { planRound } from '../../shared/matching/planRound';
import { peopleWhoseSeatChanged, publicTables, satTogether, seatJsonsOf, seatOf } from '../../shared/seats';

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

  it('writes every seat of a plan as exactly the JSON of seatOf, for every seated person', () => {
    const names = ['Ada', 'Bob <img src=x onerror=alert(1)>', 'Cleo "the quick" Park', 'Dé\u00e9 ☕', 'Eve\\n', 'Zoë 🎉'];
    const topicPool = ['design', 'data', 'ai', 'sales', 'éthique', 'a "quoted" topic'];
    for (let k = 0; k < 40; k++) {
      const seats = 1 + (k % 4);
      const mentors = Array.from({ length: 1 + (k % 5) }, (_, i) => ({ ...person(`m${k}-${i}`, 'mentor', topicPool.filter((_, t) => (t + i + k) % 3 === 0)), name: names[(i + k) % names.length]! }));
      const mentees = Array.from({ length: (k * 7) % 23 }, (_, i) => ({
        ...person(`e${k}-${i}`, 'mentee', topicPool.filter((_, t) => (t * i + k) % 4 === 1), i % 3 === 0 ? `goal ${names[i % names.length]}` : undefined),
        name: names[(i * 5 + k) % names.length]!,
      }));
      const everyone = new Map([...mentors, ...mentees].map((p) => [p.id, p]));
      const plan = planRound({
        round: 1 + (k % 3),
        seatsPerTable: seats,
        mentors: mentors.map((m, i) => ({ id: m.id, table: i + 1, topics: m.topics })),
        mentees: mentees.map((m) => ({ id: m.id, topics: m.topics, sessions: 0 })),
        met: new Set(),
        coSeated: new Set(),
        seed: k,
      });
      const jsons = seatJsonsOf(plan, everyone);
      for (const id of [...everyone.keys(), 'nobody']) {
        const seat = seatOf(plan, id, everyone);
        expect(jsons.get(id) ?? null, id).toBe(seat ? JSON.stringify(seat) : null);
      }
    }
    expect(seatJsonsOf(null, people).size).toBe(0);
  });
});
