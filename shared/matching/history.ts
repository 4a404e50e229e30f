// What earlier rounds tell the planner: who met whom, who shared a table, and how
// many times each mentee has been seated.
import type { SeatingPlan } from '../domain';
import { Pairs, UnorderedPairs } from './pairs';

export interface History {
  /** Mentor → mentees they met. */
  met: Pairs;
  /** Mentees who shared a table. */
  coSeated: UnorderedPairs;
  sessions: Map<string, number>;
}

/** History from the plans of rounds before `round` (the plans of rounds that took place). */
export function historyBefore(plans: readonly SeatingPlan[], round: number): History {
  const history: History = { met: new Pairs(), coSeated: new UnorderedPairs(), sessions: new Map() };
  for (const plan of plans) {
    if (plan.round >= round) continue;
    for (const table of plan.tables) {
      table.menteeIds.forEach((menteeId, i) => {
        history.met.add(table.mentorId, menteeId);
        history.sessions.set(menteeId, (history.sessions.get(menteeId) ?? 0) + 1);
        for (const other of table.menteeIds.slice(i + 1)) history.coSeated.add(menteeId, other);
      });
    }
  }
  return history;
}

/** Topics two people share (topics are stored lower-cased). */
export function sharedTopicCount(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  return b.reduce((n, t) => n + (set.has(t) ? 1 : 0), 0);
}
