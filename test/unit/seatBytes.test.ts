// The seats of a phase change are written as bytes by hand (server/realtime/seatBytes.ts):
// every phone must get exactly the seat seatOf describes, as JSON.stringify would write it.
import { describe, expect, it } from 'vitest';
import { planRound } from '../../shared/matching/planRound';
import { Pairs, UnorderedPairs } from '../../shared/matching/pairs';
import { person } from '../support/people';
import { seatOf } from '../../shared/seats';
import { seatBytesFor, seatBytesOf } from '../../server/realtime/seatBytes';

describe('seatBytesOf', () => {
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
        met: new Pairs(),
        coSeated: new UnorderedPairs(),
        seed: k,
      });
      const written = seatBytesOf(plan, everyone);
      for (const id of [...everyone.keys(), 'nobody']) {
        // Someone without a seat gets the JSON null.
        expect(seatBytesFor(written, id).toString('utf8'), id).toBe(JSON.stringify(seatOf(plan, id, everyone)));
      }
    }
    expect(seatBytesFor(seatBytesOf(null, new Map()), 'anyone').toString()).toBe('null');
  });

  it('writes the seats again once someone at the table changed, and not before', () => {
    const mentor = person('M', 'mentor', ['ai']);
    const mentee = person('a', 'mentee', ['ai'], 'Find a mentor');
    const plan = { round: 1, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a'] }], byes: [] };
    const before = new Map([mentor, mentee].map((p) => [p.id, p]));
    expect(seatBytesOf(plan, before)).toBe(seatBytesOf(plan, before));
    const renamed = new Map(before).set('a', { ...mentee, name: 'Ada' });
    expect(seatBytesFor(seatBytesOf(plan, renamed), 'M').toString()).toBe(JSON.stringify(seatOf(plan, 'M', renamed)));
    expect(seatBytesFor(seatBytesOf(plan, renamed), 'M').toString()).toContain('"name":"Ada"');
  });

  it('knows a plan read back as a new object with the same seating, and no other', () => {
    const people = new Map(['M', 'N'].map((id) => [id, person(id, 'mentor', ['ai'])]));
    for (const id of ['a', 'b', 'c']) people.set(id, person(id, 'mentee', ['ai']));
    const ahead = { round: 2, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a', 'b'] }, { table: 2, mentorId: 'N', menteeIds: ['c'] }], byes: [] };
    const written = seatBytesOf(ahead, people);
    // What the store hands out after the commit: the same seating, parsed again.
    expect(seatBytesOf(structuredClone(ahead), people)).toBe(written);
    // One mentee at another table, another round, or other people: written afresh, and right.
    const moved = { ...ahead, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a'] }, { table: 2, mentorId: 'N', menteeIds: ['c', 'b'] }] };
    const later = { ...structuredClone(ahead), round: 3 };
    const renamed = new Map(people).set('b', { ...people.get('b')!, name: 'Bea' });
    for (const [plan, everyone] of [[moved, people], [later, people], [structuredClone(ahead), renamed]] as const) {
      const seats = seatBytesOf(plan, everyone);
      expect(seats).not.toBe(written);
      for (const id of everyone.keys()) expect(seatBytesFor(seats, id).toString()).toBe(JSON.stringify(seatOf(plan, id, everyone)));
    }
  });

  it('writes seats far longer than it first makes room for', () => {
    const long = 'Ünïcode name '.repeat(400);
    const mentor = { ...person('M', 'mentor', ['ai']), name: long };
    const mentees = Array.from({ length: 6 }, (_, i) => ({ ...person(`m${i}`, 'mentee', ['ai']), name: long, goal: long }));
    const everyone = new Map([mentor, ...mentees].map((p) => [p.id, p]));
    const plan = { round: 2, tables: [{ table: 1, mentorId: 'M', menteeIds: mentees.map((m) => m.id) }], byes: [] };
    const seats = seatBytesOf(plan, everyone);
    for (const id of everyone.keys()) expect(seatBytesFor(seats, id).toString()).toBe(JSON.stringify(seatOf(plan, id, everyone)));
  });
});
