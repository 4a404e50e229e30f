// The organizer's "move this mentee to table 7 for the next round". A pin is honoured
// when the seat rules allow it: the table's mentor is present and the two have not met
// yet. If the table is full, the mentee there who has had the most sessions (then the
// last by id) makes room and is seated again by the re-planner, usually in the seat the
// moved mentee left. Every other seat stays exactly as it was.
import type { SeatingPlan } from '../domain';
import { replanRound } from './replanRound';
import { compareStrings } from './seatingProblem';
import { pairKey, type MatchInput } from './types';

export interface Pin {
  menteeId: string;
  table: number;
}

/** Why a pin cannot be honoured in this plan, or null when it can. */
export function pinProblem(plan: SeatingPlan, pin: Pin, input: MatchInput, otherPins: readonly Pin[] = []): string | null {
  const target = plan.tables.find((t) => t.table === pin.table);
  if (!target) return 'no-table';
  if (!input.mentees.some((m) => m.id === pin.menteeId)) return 'not-present';
  if (input.met.has(pairKey(target.mentorId, pin.menteeId))) return 'repeat';
  if (target.menteeIds.includes(pin.menteeId)) return null;
  const pinnedHere = new Set(otherPins.filter((p) => p.table === pin.table && p.menteeId !== pin.menteeId).map((p) => p.menteeId));
  const movable = target.menteeIds.filter((id) => !pinnedHere.has(id));
  if (target.menteeIds.length >= input.seatsPerTable && movable.length === 0) return 'full-of-pins';
  return null;
}

/** `plan` with every pin that the rules allow honoured. Pure and deterministic; returns `plan` itself when nothing moves. */
export function seatPins(plan: SeatingPlan, pins: readonly Pin[], input: MatchInput): SeatingPlan {
  const sessions = new Map(input.mentees.map((m) => [m.id, m.sessions]));
  const tables = plan.tables.map((t) => ({ ...t, menteeIds: [...t.menteeIds] }));
  let byes = [...plan.byes];
  const pinned = new Set<string>();
  let moved = false;
  const ordered = [...pins].sort((a, b) => a.table - b.table || compareStrings(a.menteeId, b.menteeId));
  for (const pin of ordered) {
    const current = { round: plan.round, tables, byes };
    if (pinProblem(current, pin, input, ordered.filter((p) => pinned.has(p.menteeId))) !== null) continue;
    const target = tables.find((t) => t.table === pin.table)!;
    pinned.add(pin.menteeId);
    if (target.menteeIds.includes(pin.menteeId)) continue;
    if (target.menteeIds.length >= input.seatsPerTable) {
      // Who makes room: not someone moved here too; the one seated most so far, then the last by id.
      const [displaced] = target.menteeIds
        .filter((id) => !pinned.has(id))
        .sort((a, b) => (sessions.get(b) ?? 0) - (sessions.get(a) ?? 0) || compareStrings(b, a));
      // Out of every seat and not sitting out either: the re-planner seats them afresh.
      target.menteeIds = target.menteeIds.filter((id) => id !== displaced);
    }
    for (const table of tables) table.menteeIds = table.menteeIds.filter((id) => id !== pin.menteeId);
    byes = byes.filter((id) => id !== pin.menteeId);
    target.menteeIds.push(pin.menteeId);
    moved = true;
  }
  if (!moved) return plan;
  return replanRound({ round: plan.round, tables, byes }, input);
}
