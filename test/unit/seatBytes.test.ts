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

  it('keeps the seats of a plan by the versions that name them, and writes them again once those move', () => {
    const mentor = person('M', 'mentor', ['ai']);
    const mentee = person('a', 'mentee', ['ai'], 'Find a mentor');
    const plan = { round: 1, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a'] }], byes: [] };
    const before = new Map([mentor, mentee].map((p) => [p.id, p]));
    const at = (participants: number, plans: number) => ({ eventId: 'e1', versions: { participants, plans } });
    const first = seatBytesOf(plan, before, at(1, 1));
    // Other objects read at the same versions are the same seating and people.
    expect(seatBytesOf(structuredClone(plan), new Map(before), at(1, 1))).toBe(first);
    // Without a name nothing is kept.
    expect(seatBytesOf(plan, before)).not.toBe(first);
    const renamed = new Map(before).set('a', { ...mentee, name: 'Ada' });
    const again = seatBytesOf(plan, renamed, at(2, 1));
    expect(again).not.toBe(first);
    expect(seatBytesFor(again, 'M').toString()).toBe(JSON.stringify(seatOf(plan, 'M', renamed)));
    expect(seatBytesFor(again, 'M').toString()).toContain('"name":"Ada"');
    expect(seatBytesOf(plan, before, { ...at(1, 1), eventId: 'e2' })).not.toBe(first);
  });

  it('finds the seats written for a round seated ahead once that plan is committed and read back', () => {
    const people = new Map(['M', 'N'].map((id) => [id, person(id, 'mentor', ['ai'])]));
    for (const id of ['a', 'b', 'c']) people.set(id, person(id, 'mentee', ['ai']));
    const madeFrom = { participants: 5, plans: 1 };
    const ahead = { round: 2, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a', 'b'] }, { table: 2, mentorId: 'N', menteeIds: ['c'] }], byes: [], madeFrom };
    const written = seatBytesOf(ahead, people, { eventId: 'e1', versions: madeFrom });
    // After the commit the plans' version has moved on; the plan read back says what it was made from.
    expect(seatBytesOf(structuredClone(ahead), people, { eventId: 'e1', versions: { participants: 5, plans: 2 } })).toBe(written);
    // Another seating of that round (revised, or made from other lists), or other people: written afresh, and right.
    const moved = { ...ahead, tables: [{ table: 1, mentorId: 'M', menteeIds: ['a'] }, { table: 2, mentorId: 'N', menteeIds: ['c', 'b'] }], madeFrom: { participants: 6, plans: 2 } };
    const renamed = new Map(people).set('b', { ...people.get('b')!, name: 'Bea' });
    for (const [plan, everyone, versions] of [
      [moved, people, { participants: 6, plans: 3 }],
      [structuredClone(ahead), renamed, { participants: 6, plans: 2 }],
    ] as const) {
      const seats = seatBytesOf(plan, everyone, { eventId: 'e1', versions });
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
