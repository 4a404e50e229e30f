// What the planner needs to seat one round, and what it returns.
import type { SeatingPlan } from '../domain';
import type { Pairs, UnorderedPairs } from './pairs';

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
  /** Every mentor–mentee pair that has already met: (mentorId, menteeId). */
  met: Pairs;
  /** Mentee pairs that already shared a table. */
  coSeated: UnorderedPairs;
  /** Seeds the deterministic tie-breaks. */
  seed: number;
}

export type { SeatingPlan };
