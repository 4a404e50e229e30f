// Reading a seating plan from one person's point of view, and as the projector shows it.
import type { Participant, PublicTable, Seat, SeatPerson, SeatingPlan, TablePlan } from './domain';

/** `p` as a viewer with topics `mine` sees them: a goal only reaches the mentor at that mentee's table. */
function asSeatPerson(p: Participant, mine: readonly string[], viewerIsMentor: boolean): SeatPerson {
  // Plain loops: the end of a big event (everyone's whole view) and a reconnect storm build thousands of these at once.
  const sharedTopics: string[] = [];
  for (const t of p.topics) if (mine.includes(t)) sharedTopics.push(t);
  const person: SeatPerson = { id: p.id, name: p.name, role: p.role, topics: p.topics, sharedTopics };
  if (p.goal && viewerIsMentor) person.goal = p.goal;
  return person;
}

/** The table a person sits at in this plan, or undefined for a bye / not seated. */
export function tableOf(plan: SeatingPlan, personId: string): TablePlan | undefined {
  return tablesByPerson(plan).get(personId);
}

// One lookup per plan, not one scan of every table per person: a phase change at a big
// event reads thousands of seats from the same plan.
const indexes = new WeakMap<SeatingPlan, Map<string, TablePlan>>();

function tablesByPerson(plan: SeatingPlan): Map<string, TablePlan> {
  let index = indexes.get(plan);
  if (!index) {
    index = new Map();
    for (const table of plan.tables) {
      index.set(table.mentorId, table);
      for (const id of table.menteeIds) index.set(id, table);
    }
    indexes.set(plan, index);
  }
  return index;
}

/**
 * Where `personId` sits in `plan` and whom they meet: a mentor meets their mentees;
 * a mentee meets their mentor first, then the others at a group table.
 */
export function seatOf(plan: SeatingPlan | null | undefined, personId: string, people: ReadonlyMap<string, Participant>): Seat | null {
  if (!plan) return null;
  const table = tableOf(plan, personId);
  if (!table) return null;
  const viewerIsMentor = table.mentorId === personId;
  // A mentor with nobody at the table this round has no exchange to show.
  if (viewerIsMentor && table.menteeIds.length === 0) return null;
  const mine = people.get(personId)?.topics ?? [];
  const withPeople: SeatPerson[] = [];
  for (let k = -1; k < table.menteeIds.length; k++) {
    const id = k < 0 ? table.mentorId : table.menteeIds[k]!;
    const p = id === personId ? undefined : people.get(id);
    if (p) withPeople.push(asSeatPerson(p, mine, viewerIsMentor));
  }
  return { round: plan.round, table: table.table, with: withPeople };
}

/** The projector's table list: display names only. */
export function publicTables(plan: SeatingPlan | null | undefined, people: ReadonlyMap<string, Participant>): PublicTable[] {
  if (!plan) return [];
  const ref = (id: string) => ({ id, name: people.get(id)?.name ?? '' });
  return plan.tables.map((t) => ({ table: t.table, mentor: ref(t.mentorId), mentees: t.menteeIds.map(ref) }));
}

/** Whether `raterId` and `targetId` sat together as mentor and mentee in this plan. */
export function satTogether(plan: SeatingPlan, raterId: string, targetId: string): boolean {
  return plan.tables.some(
    (t) =>
      (t.mentorId === raterId && t.menteeIds.includes(targetId)) || (t.mentorId === targetId && t.menteeIds.includes(raterId)),
  );
}

/** Everyone whose seat differs between two versions of one round's plan: their table, or whom a mentor meets. */
export function peopleWhoseSeatChanged(before: SeatingPlan, after: SeatingPlan): string[] {
  const seats = (plan: SeatingPlan) => {
    const seat = new Map<string, string>();
    for (const t of plan.tables) {
      seat.set(t.mentorId, `${t.table}:${[...t.menteeIds].sort().join(',')}`);
      for (const id of t.menteeIds) seat.set(id, String(t.table));
    }
    return seat;
  };
  const a = seats(before);
  const b = seats(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id)).sort();
}
