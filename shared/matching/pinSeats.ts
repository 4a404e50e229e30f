// The organizer's "move this mentee to table 7 for the next round". A pin is honoured
// when the seat rules allow it: the table's mentor is present and the two have not met
// yet. If the table is full, the mentee there who has had the most sessions (then the
// last by id) makes room and is seated again by the re-planner, usually in the seat the
// moved mentee left. A mentee who was sitting out takes that seat only if the one making
// room has had at least as many sessions (fair byes: nobody sits out with fewer sessions
// than someone seated in their place). Every other seat stays exactly as it was.
import type { SeatingPlan } from '../domain';
import { replanRound } from './replanRound';
import { compareStrings } from './seatingProblem';
import type { MatchInput } from './types';

export interface Pin {
  menteeId: string;
  table: number;
}

export type PinProblem = 'no-table' | 'not-present' | 'repeat' | 'full-of-pins' | 'unfair';

/** Who would make room at a full table: not someone moved there too; the one seated most so far, then the last by id. */
export function whoMakesRoom(plan: SeatingPlan, pin: Pin, input: MatchInput, pinned: ReadonlySet<string>): string | undefined {
  const sessions = new Map(input.mentees.map((m) => [m.id, m.sessions]));
  const target = plan.tables.find((t) => t.table === pin.table);
  if (!target || target.menteeIds.includes(pin.menteeId) || target.menteeIds.length < input.seatsPerTable) return undefined;
  return target.menteeIds
    .filter((id) => !pinned.has(id) && id !== pin.menteeId)
    .sort((a, b) => (sessions.get(b) ?? 0) - (sessions.get(a) ?? 0) || compareStrings(b, a))[0];
}

/** Why a pin cannot be honoured in this plan, or null when it can. */
export function pinProblem(plan: SeatingPlan, pin: Pin, input: MatchInput, otherPins: readonly Pin[] = []): PinProblem | null {
  const target = plan.tables.find((t) => t.table === pin.table);
  if (!target) return 'no-table';
  const mentee = input.mentees.find((m) => m.id === pin.menteeId);
  if (!mentee) return 'not-present';
  if (input.met.has(target.mentorId, pin.menteeId)) return 'repeat';
  if (target.menteeIds.includes(pin.menteeId) || target.menteeIds.length < input.seatsPerTable) return null;
  const pinned = new Set(otherPins.filter((p) => p.menteeId !== pin.menteeId).map((p) => p.menteeId));
  const displaced = whoMakesRoom(plan, pin, input, pinned);
  if (displaced === undefined) return 'full-of-pins';
  const seated = plan.tables.some((t) => t.menteeIds.includes(pin.menteeId));
  const theirs = input.mentees.find((m) => m.id === displaced)?.sessions ?? 0;
  if (!seated && theirs < mentee.sessions) return 'unfair';
  return null;
}

/** `plan` with every pin that the rules allow honoured. Pure and deterministic; returns `plan` itself when nothing moves. */
export function seatPins(plan: SeatingPlan, pins: readonly Pin[], input: MatchInput): SeatingPlan {
  const tables = plan.tables.map((t) => ({ ...t, menteeIds: [...t.menteeIds] }));
  let byes = [...plan.byes];
  const pinned = new Set<string>();
  let moved = false;
  const ordered = [...pins].sort((a, b) => a.table - b.table || compareStrings(a.menteeId, b.menteeId));
  for (const pin of ordered) {
    const current = { round: plan.round, tables, byes };
    if (pinProblem(current, pin, input, ordered.filter((p) => pinned.has(p.menteeId))) !== null) continue;
    const target = tables.find((t) => t.table === pin.table)!;
    const displaced = whoMakesRoom(current, pin, input, pinned);
    pinned.add(pin.menteeId);
    if (target.menteeIds.includes(pin.menteeId)) continue;
    // Out of every seat and not sitting out either: the re-planner seats them afresh.
    if (displaced !== undefined) target.menteeIds = target.menteeIds.filter((id) => id !== displaced);
    for (const table of tables) table.menteeIds = table.menteeIds.filter((id) => id !== pin.menteeId);
    byes = byes.filter((id) => id !== pin.menteeId);
    target.menteeIds.push(pin.menteeId);
    moved = true;
  }
  if (!moved) return plan;
  return replanRound({ round: plan.round, tables, byes }, input);
}
