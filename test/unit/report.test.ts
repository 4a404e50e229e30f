// The organizer's report from an export: the figures a sponsor asks about.
import { describe, expect, it } from 'vitest';
import type { EventExport } from '../../shared/domain';
import { buildReport } from '../../shared/report';

const person = (id: string, role: 'mentor' | 'mentee', topics: string[], extra: Partial<EventExport['people'][number]> = {}) => ({
  id,
  name: id.toUpperCase(),
  role,
  topics,
  present: true,
  removed: false,
  joinedAt: 1,
  joinedRound: 0,
  ...extra,
});
const rating = (score: number) => ({ score, tags: [], at: 1 });

const data: EventExport = {
  exportedAt: 1,
  event: { id: 'e', name: 'E', code: 'C', status: 'ended', phase: 'ended', round: 2, rounds: 2, roundSeconds: 60, changeoverSeconds: 10, seatsPerTable: 1, topics: [], createdAt: 1 },
  people: [
    person('m1', 'mentor', ['design', 'data'], { table: 1 }),
    person('m2', 'mentor', ['sales'], { table: 2 }),
    person('m3', 'mentor', ['legal'], { table: 3, removed: true }), // removed before sitting: not counted
    person('a', 'mentee', ['design', 'ml']),
    person('b', 'mentee', ['ml', 'design']),
    person('c', 'mentee', ['ml']),
  ],
  pairings: [
    { round: 1, table: 1, mentorId: 'm1', menteeId: 'a', mentorRating: rating(4), menteeRating: rating(5), mutualFollowUp: true },
    { round: 1, table: 2, mentorId: 'm2', menteeId: 'b', mentorRating: null, menteeRating: rating(3), mutualFollowUp: false },
    { round: 2, table: 1, mentorId: 'm1', menteeId: 'b', mentorRating: rating(4), menteeRating: null, mutualFollowUp: false },
    { round: 2, table: 2, mentorId: 'm2', menteeId: 'c', mentorRating: null, menteeRating: null, mutualFollowUp: false },
  ],
  byes: [
    { round: 1, menteeIds: ['c'] },
    { round: 2, menteeIds: ['a'] },
  ],
  followUps: [
    { fromId: 'a', toId: 'm1', mutual: true },
    { fromId: 'm1', toId: 'a', mutual: true },
    { fromId: 'b', toId: 'm2', mutual: false },
  ],
};

describe('buildReport', () => {
  it('counts ratings per score, per mentor and per mentee, and the share rated', () => {
    const report = buildReport(data);
    expect(report.roundsHeld).toBe(2);
    expect(report.exchanges).toBe(4);
    expect(report.distribution).toEqual({ fromMentees: [0, 0, 1, 0, 1], fromMentors: [0, 0, 0, 2, 0] });
    expect(report.mentors).toEqual([
      { id: 'm1', name: 'M1', table: 1, sessions: 2, ratings: 1, average: 5 },
      { id: 'm2', name: 'M2', table: 2, sessions: 2, ratings: 1, average: 3 },
    ]);
    expect(report.mentees).toEqual([
      { id: 'a', name: 'A', sessions: 1 },
      { id: 'b', name: 'B', sessions: 2 },
      { id: 'c', name: 'C', sessions: 1 },
    ]);
    expect(report.sessionsHistogram).toEqual([0, 2, 1]);
    expect(report.rated).toEqual({ byMentors: 2, byMentees: 2, byEither: 3, byBoth: 1 });
    expect(report.repeats).toBe(0);
    expect(report.followUps).toEqual({ ticks: 3, matches: 1 });
  });

  it('sets the topics asked for against those offered, and names the ones short of mentors', () => {
    const report = buildReport(data);
    expect(report.topics).toEqual([
      { topic: 'ml', requested: 3, offered: 0 },
      { topic: 'design', requested: 2, offered: 1 },
      { topic: 'data', requested: 0, offered: 1 },
      { topic: 'sales', requested: 0, offered: 1 },
    ]);
    // 3 mentees for 2 mentors overall (1.5 each): ml has none, design has 2 for its 1.
    expect(report.invite.map((t) => t.topic)).toEqual(['ml', 'design']);
  });

  it('counts a pair that met twice as a repeat', () => {
    const twice = { ...data, pairings: [...data.pairings, { ...data.pairings[0]!, round: 2 }] };
    expect(buildReport(twice).repeats).toBe(1);
  });
});
