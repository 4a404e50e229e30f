// Someone arrives, leaves or is marked absent after the next round's plan was shown.
// Re-planning from scratch would move people who are already walking to their table,
// so only those who must move get a new seat: the mentees of a mentor who left, people
// arriving, and people sitting out who can take a freed seat. Everyone else keeps the
// seat they were shown.
import type { SeatingPlan, TablePlan } from '../domain';
import { sharedTopicCount } from './history';
import { pairKey } from './types';

interface Person {
  id: string;
  topics: string[];
}

export interface PresentMentor extends Person {
  table: number;
}

export interface PresentMentee extends Person {
  sessions: number;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Puts a late mentee in the free seat whose mentor shares most topics; a bye if every seat is taken. */
export function seatLateMentee(
  plan: SeatingPlan,
  mentee: Person,
  mentors: ReadonlyMap<string, Person>,
  seatsPerTable: number,
  met: ReadonlySet<string> = new Set(),
): SeatingPlan {
  let best: { table: number; score: number } | null = null;
  for (const table of plan.tables) {
    // A repeated pair is worse than sitting out this round (rule 1 outranks filling seats).
    if (table.menteeIds.length >= seatsPerTable || met.has(pairKey(table.mentorId, mentee.id))) continue;
    const score = sharedTopicCount(mentors.get(table.mentorId)?.topics ?? [], mentee.topics);
    if (!best || score > best.score || (score === best.score && table.table < best.table)) best = { table: table.table, score };
  }
  if (!best) return { ...plan, byes: [...new Set([...plan.byes, mentee.id])].sort() };
  const chosen = best.table;
  return {
    ...plan,
    tables: plan.tables.map((t) => (t.table === chosen ? { ...t, menteeIds: [...t.menteeIds, mentee.id] } : t)),
    byes: plan.byes.filter((id) => id !== mentee.id),
  };
}

/**
 * Opens a late mentor's table and seats people who were sitting out there: fewest
 * sessions first (fair byes), then the best topic fit.
 */
export function seatLateMentor(
  plan: SeatingPlan,
  mentor: PresentMentor,
  byes: readonly PresentMentee[],
  seatsPerTable: number,
  met: ReadonlySet<string> = new Set(),
): SeatingPlan {
  const chosen = byes
    .filter((m) => !met.has(pairKey(mentor.id, m.id)))
    .sort(
      (a, b) =>
        a.sessions - b.sessions ||
        sharedTopicCount(mentor.topics, b.topics) - sharedTopicCount(mentor.topics, a.topics) ||
        byId(a, b),
    )
    .slice(0, seatsPerTable)
    .map((m) => m.id);
  const tables = [...plan.tables, { table: mentor.table, mentorId: mentor.id, menteeIds: chosen }].sort((a, b) => a.table - b.table);
  return { ...plan, tables, byes: plan.byes.filter((id) => !chosen.includes(id)) };
}

/**
 * The shown plan, revised for who is present now. Kept: every seat whose mentor and
 * mentee are both still here. Moved: mentees of a mentor who left, new or returning
 * people, and — to keep every seat filled — people sitting out, fewest sessions first.
 */
export function reviseShownPlan(
  shown: SeatingPlan,
  mentors: readonly PresentMentor[],
  mentees: readonly PresentMentee[],
  seatsPerTable: number,
  met: ReadonlySet<string>,
): SeatingPlan {
  const mentorById = new Map(mentors.map((m) => [m.id, m]));
  const menteeById = new Map(mentees.map((m) => [m.id, m]));
  const tables: TablePlan[] = shown.tables
    .filter((t) => mentorById.has(t.mentorId))
    .map((t) => ({ ...t, menteeIds: t.menteeIds.filter((id) => menteeById.has(id)) }));
  const placed = new Set(tables.flatMap((t) => t.menteeIds));
  // Everyone present without a seat competes for the free ones, fewest sessions first.
  const waiting = mentees.filter((m) => !placed.has(m.id)).sort((a, b) => a.sessions - b.sessions || byId(a, b));
  let plan: SeatingPlan = { round: shown.round, tables, byes: waiting.map((m) => m.id).sort() };
  const seatedMentors = new Set(tables.map((t) => t.mentorId));
  for (const mentor of [...mentors].sort(byId)) {
    if (seatedMentors.has(mentor.id)) continue;
    const byes = plan.byes.flatMap((id) => {
      const m = menteeById.get(id);
      return m ? [m] : [];
    });
    plan = seatLateMentor(plan, mentor, byes, seatsPerTable, met);
  }
  for (const mentee of waiting) {
    if (!plan.byes.includes(mentee.id)) continue;
    plan = seatLateMentee(plan, mentee, mentorById, seatsPerTable, met);
  }
  return plan;
}
