// What every seating plan must look like, whatever the planner's choices: shared by the
// matching property tests so both hold plans to the same rules.
import { expect } from 'vitest';
import type { SeatingPlan } from '../../shared/domain';
import type { MatchInput } from '../../shared/matching/types';

/** Seats that must be filled: every mentee while seats remain. */
export const seatsOf = (input: MatchInput): number => Math.min(input.mentees.length, input.mentors.length * input.seatsPerTable);

/** Structural checks; returns menteeId → mentorId. */
export function checkShape(input: MatchInput, plan: SeatingPlan): Map<string, string> {
  expect(plan.round).toBe(input.round);
  const tables = [...input.mentors].sort((a, b) => a.table - b.table).map((m) => m.table);
  expect(plan.tables.map((t) => t.table)).toEqual(tables);
  expect(plan.tables.map((t) => t.mentorId).sort()).toEqual(input.mentors.map((m) => m.id).sort());
  const mentorTable = new Map(input.mentors.map((m) => [m.id, m.table]));
  const seat = new Map<string, string>();
  for (const t of plan.tables) {
    expect(mentorTable.get(t.mentorId)).toBe(t.table);
    expect(t.menteeIds.length).toBeLessThanOrEqual(input.seatsPerTable);
    for (const id of t.menteeIds) {
      expect(seat.has(id)).toBe(false);
      seat.set(id, t.mentorId);
    }
  }
  expect(seat.size).toBe(seatsOf(input));
  const ids = new Set(input.mentees.map((m) => m.id));
  for (const id of seat.keys()) expect(ids.has(id)).toBe(true);
  expect(plan.byes).toEqual(input.mentees.map((m) => m.id).filter((id) => !seat.has(id)).sort());
  return seat;
}

/** Topics two people share, compared case-insensitively (independent of the planner's masks). */
export const sharedTopics = (a: readonly string[], b: readonly string[]): number => {
  const bs = new Set(b.map((t) => t.toLowerCase()));
  return new Set(a.map((t) => t.toLowerCase()).filter((t) => bs.has(t))).size;
};
