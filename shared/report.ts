// The organizer's report, computed from the export (so the page and export.json can never
// disagree): how exchanges were rated, how each mentor did, how many sessions each mentee
// had, which topics were asked for against those offered, and whether any pair met twice.
import type { EventExport } from './domain';

export interface MentorLine {
  id: string;
  name: string;
  table: number | null;
  /** Exchanges held at this mentor's table. */
  sessions: number;
  /** Ratings their mentees gave them. */
  ratings: number;
  /** Mean of those ratings, or null when nobody rated. */
  average: number | null;
}

export interface TopicLine {
  topic: string;
  /** Mentees who listed it. */
  requested: number;
  /** Mentors who listed it. */
  offered: number;
}

export interface EventReport {
  roundsHeld: number;
  exchanges: number;
  /** How many ratings gave each score: index 0 is score 1, index 4 is score 5. */
  distribution: { fromMentees: number[]; fromMentors: number[] };
  mentors: MentorLine[];
  /** How many mentees had 0, 1, 2, … sessions (index = sessions). */
  sessionsHistogram: number[];
  mentees: { id: string; name: string; sessions: number }[];
  topics: TopicLine[];
  /** Topics more mentees asked for, per mentor offering them, than the event as a whole: who to invite next time. */
  invite: TopicLine[];
  rated: { byMentors: number; byMentees: number; byEither: number; byBoth: number };
  /** Mentor–mentee pairs that met more than once (the planner keeps this at 0). */
  repeats: number;
  followUps: { ticks: number; matches: number };
}

const INVITE_LIST = 5;

function histogram(scores: number[]): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const score of scores) if (score >= 1 && score <= 5) counts[score - 1]!++;
  return counts;
}

export function buildReport(data: EventExport): EventReport {
  const { people, pairings } = data;
  const mentorSessions = new Map<string, number>();
  const mentorScores = new Map<string, number[]>();
  const menteeSessions = new Map<string, number>();
  const pairs = new Map<string, number>();
  const rated = { byMentors: 0, byMentees: 0, byEither: 0, byBoth: 0 };
  for (const p of pairings) {
    mentorSessions.set(p.mentorId, (mentorSessions.get(p.mentorId) ?? 0) + 1);
    menteeSessions.set(p.menteeId, (menteeSessions.get(p.menteeId) ?? 0) + 1);
    const pair = `${p.mentorId} ${p.menteeId}`;
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    if (p.menteeRating) mentorScores.set(p.mentorId, [...(mentorScores.get(p.mentorId) ?? []), p.menteeRating.score]);
    if (p.mentorRating) rated.byMentors++;
    if (p.menteeRating) rated.byMentees++;
    if (p.mentorRating || p.menteeRating) rated.byEither++;
    if (p.mentorRating && p.menteeRating) rated.byBoth++;
  }

  // People who took part: everyone still on the event, and anyone removed after sitting at a table.
  const tookPart = (p: EventExport['people'][number]) => !p.removed || (mentorSessions.get(p.id) ?? menteeSessions.get(p.id) ?? 0) > 0;
  const mentorsHere = people.filter((p) => p.role === 'mentor' && tookPart(p));
  const menteesHere = people.filter((p) => p.role === 'mentee' && tookPart(p));

  const mentors = mentorsHere
    .map((m) => {
      const scores = mentorScores.get(m.id) ?? [];
      return {
        id: m.id,
        name: m.name,
        table: m.table ?? null,
        sessions: mentorSessions.get(m.id) ?? 0,
        ratings: scores.length,
        average: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      };
    })
    .sort((a, b) => (a.table ?? Infinity) - (b.table ?? Infinity) || a.name.localeCompare(b.name));

  const mentees = menteesHere
    .map((m) => ({ id: m.id, name: m.name, sessions: menteeSessions.get(m.id) ?? 0 }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const sessionsHistogram = Array.from({ length: Math.max(0, ...mentees.map((m) => m.sessions)) + 1 }, () => 0);
  for (const m of mentees) sessionsHistogram[m.sessions]!++;

  const topics = new Map<string, TopicLine>();
  const line = (topic: string) => {
    let found = topics.get(topic);
    if (!found) topics.set(topic, (found = { topic, requested: 0, offered: 0 }));
    return found;
  };
  for (const m of menteesHere) for (const t of m.topics) line(t).requested++;
  for (const m of mentorsHere) for (const t of m.topics) line(t).offered++;
  const topicLines = [...topics.values()].sort((a, b) => b.requested - a.requested || a.offered - b.offered || a.topic.localeCompare(b.topic));
  // Mentees per mentor for the whole event; a topic above it is short of mentors.
  const overall = menteesHere.length / Math.max(1, mentorsHere.length);
  const demand = (t: TopicLine) => t.requested / Math.max(t.offered, 0.5);
  const invite = topicLines
    .filter((t) => t.requested > 0 && (t.offered === 0 || t.requested / t.offered > overall))
    .sort((a, b) => demand(b) - demand(a) || b.requested - a.requested || a.topic.localeCompare(b.topic))
    .slice(0, INVITE_LIST);

  const ticks = new Set(data.followUps.map((f) => `${f.fromId} ${f.toId}`));
  const matches = data.followUps.filter((f) => f.mutual && f.fromId < f.toId && ticks.has(`${f.toId} ${f.fromId}`)).length;

  return {
    // One entry per round held, even a round where nobody could be seated.
    roundsHeld: data.byes.length,
    exchanges: pairings.length,
    distribution: {
      fromMentees: histogram(pairings.flatMap((p) => (p.menteeRating ? [p.menteeRating.score] : []))),
      fromMentors: histogram(pairings.flatMap((p) => (p.mentorRating ? [p.mentorRating.score] : []))),
    },
    mentors,
    sessionsHistogram,
    mentees,
    topics: topicLines,
    invite,
    rated,
    repeats: [...pairs.values()].filter((n) => n > 1).length,
    followUps: { ticks: data.followUps.length, matches },
  };
}
