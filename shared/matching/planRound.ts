// Plans one round: every mentee present is a candidate for every seat. The
// exact work is in seatingSolver.ts (sparse min-cost transportation with
// pricing) and coSeating.ts (zero-cost moves that split former table mates).
// Inputs are sorted by id and ties follow a seeded order, so the plan depends
// only on the event and its seed, never on input order.
import type { SeatingPlan, TablePlan } from '../domain';
import { reduceCoSeating } from './coSeating';
import { buildProblem, compareStrings, type SeatingProblem } from './seatingProblem';
import { solveSeating } from './seatingSolver';
import type { MatchInput } from './types';

/** Plans one round's seating. Pure and deterministic for a given input (including `seed`). */
export function planRound(input: MatchInput): SeatingPlan {
  const problem = buildProblem(input);
  const N = problem.mentors.length;
  const room = new Int32Array(N).fill(problem.seats);
  const pool = Int32Array.from(problem.mentees.keys());
  const solution = solveSeating({ problem, pool, room });
  reduceCoSeating(problem, solution, room, []);
  return toPlan(input.round, problem, solution.mentorOf);
}

/** The plan for a seating: every mentor present at their table (even with no one), ids sorted. */
export function toPlan(round: number, problem: SeatingProblem, mentorOf: Int32Array): SeatingPlan {
  const members: string[][] = problem.mentors.map(() => []);
  const byes: string[] = [];
  problem.mentees.forEach((m, i) => {
    const j = mentorOf[i]!;
    if (j >= 0) members[j]!.push(m.id);
    else byes.push(m.id);
  });
  const tables: TablePlan[] = problem.mentors.map((mentor, j) => ({
    table: mentor.table,
    mentorId: mentor.id,
    menteeIds: members[j]!.sort(compareStrings),
  }));
  return { round, tables, byes: byes.sort(compareStrings) };
}
