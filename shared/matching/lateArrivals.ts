// Someone arrives after the next round's plan was shown. Re-planning would move people
// who are already walking to their table, so only the newcomer (and, for a new mentor,
// people who were sitting out) get a seat; everyone else keeps the seat they were shown.
import type { SeatingPlan } from '../domain';
import { sharedTopicCount } from './history';

interface Person {
  id: string;
  topics: string[];
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Puts a late mentee in the free seat whose mentor shares most topics; a bye if every seat is taken. */
export function seatLateMentee(plan: SeatingPlan, mentee: Person, mentors: ReadonlyMap<string, Person>, seatsPerTable: number): SeatingPlan {
  let best: { table: number; score: number } | null = null;
  for (const table of plan.tables) {
    if (table.menteeIds.length >= seatsPerTable) continue;
    const score = sharedTopicCount(mentors.get(table.mentorId)?.topics ?? [], mentee.topics);
    if (!best || score > best.score || (score === best.score && table.table < best.table)) best = { table: table.table, score };
  }
  if (!best) return { ...plan, byes: [...plan.byes, mentee.id].sort() };
  const chosen = best.table;
  return {
    ...plan,
    tables: plan.tables.map((t) => (t.table === chosen ? { ...t, menteeIds: [...t.menteeIds, mentee.id] } : t)),
  };
}

/**
 * Opens a late mentor's table and seats people who were sitting out there: fewest
 * sessions first (fair byes), then the best topic fit.
 */
export function seatLateMentor(
  plan: SeatingPlan,
  mentor: Person & { table: number },
  byes: readonly (Person & { sessions: number })[],
  seatsPerTable: number,
): SeatingPlan {
  const chosen = [...byes]
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
