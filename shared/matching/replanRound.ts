// Re-plans a round whose plan people have already seen (as nextSeat) after
// someone left, was marked absent, or arrived. Every seat that is still valid
// — its mentor and mentee both present, within the table's capacity — stays
// exactly as shown. Only the people who must move are seated again: mentees
// whose mentor is gone, late joiners, and people shown as sitting out, who
// fill seats that became free. Those are seated by the same exact solver as a
// fresh plan, over the free seats only, with the same rules in the same order:
// no avoidable repeat, fair byes (fewest sessions first), and then, before
// topics, people shown as sitting out stay so unless a seat would otherwise be
// left empty or fairness needs them; then shared topics, then former table
// mates apart.
import type { SeatingPlan } from '../domain';
import { reduceCoSeating } from './coSeating';
import { toPlan } from './planRound';
import { buildProblem, compareStrings } from './seatingProblem';
import { solveSeating } from './seatingSolver';
import type { MatchInput } from './types';

/** Re-plans `input` (the people present now) keeping every still-valid seat of `shown`. Pure and deterministic. */
export function replanRound(shown: SeatingPlan, input: MatchInput): SeatingPlan {
  const problem = buildProblem(input);
  const N = problem.mentors.length;
  const M = problem.mentees.length;
  const mentorIndex = new Map(problem.mentors.map((m, j) => [m.id, j]));
  const menteeIndex = new Map(problem.mentees.map((m, i) => [m.id, i]));

  const mentorOf = new Int32Array(M).fill(-2);
  const kept: number[][] = problem.mentors.map(() => []);
  for (const table of shown.tables) {
    const j = mentorIndex.get(table.mentorId);
    if (j === undefined) continue;
    // If capacity shrank, the first ids (sorted) keep their seats.
    for (const id of [...table.menteeIds].sort(compareStrings)) {
      const i = menteeIndex.get(id);
      if (i === undefined || mentorOf[i] !== -2 || kept[j]!.length >= problem.seats) continue;
      mentorOf[i] = j;
      kept[j]!.push(i);
    }
  }

  const room = Int32Array.from(kept, (list) => problem.seats - list.length);
  const shownOut = new Set(shown.byes);
  const preferBye = new Uint8Array(M);
  const pool: number[] = [];
  problem.mentees.forEach((m, i) => {
    if (mentorOf[i] !== -2) return;
    pool.push(i);
    if (shownOut.has(m.id)) preferBye[i] = 1;
  });

  const solution = solveSeating({ problem, pool, room, preferBye });
  reduceCoSeating(problem, solution, room, kept);
  for (const i of pool) mentorOf[i] = solution.mentorOf[i]!;
  return toPlan(input.round, problem, mentorOf);
}
