// What the planner needs to seat one round, and what it returns.
import type { SeatingPlan } from '../domain';

export interface MatchMentor {
  id: string;
  /** The mentor's fixed table number. */
  table: number;
  topics: string[];
}

export interface MatchMentee {
  id: string;
  topics: string[];
  /** Rounds this mentee has sat at a table so far. */
  sessions: number;
}

export interface MatchInput {
  /** The round being planned (1-based). */
  round: number;
  seatsPerTable: number;
  /** Mentors present for this round. */
  mentors: MatchMentor[];
  /** Mentees present for this round. */
  mentees: MatchMentee[];
  /** Every mentor–mentee pair that has already met: keys from `pairKey(mentorId, menteeId)`. */
  met: ReadonlySet<string>;
  /** Mentee pairs that already shared a table: keys from `coSeatKey(a, b)`. */
  coSeated: ReadonlySet<string>;
  /** Seeds the deterministic tie-breaks. */
  seed: number;
}

export type { SeatingPlan };

export const pairKey = (mentorId: string, menteeId: string): string => `${mentorId}|${menteeId}`;
export const coSeatKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
