// What seating a round is made from: who is present, what earlier rounds tell, and the
// organizer's moves. Pure, so the planner thread (plannerThread.ts) and the re-planning of
// a round already shown (EventService) read an event the same way.
import type { EventRecord, Participant, SeatingPlan } from '../../shared/domain';
import { historyBefore } from '../../shared/matching/history';
import { seatPins, type Pin } from '../../shared/matching/pinSeats';
import { planRound } from '../../shared/matching/planRound';
import type { MatchInput } from '../../shared/matching/types';

/** The moves the organizer made for `round`, of mentees still here. */
export function pinsFor(round: number, participants: readonly Participant[]): Pin[] {
  return participants.flatMap((p) => (p.role === 'mentee' && !p.absent && !p.removed && p.pin?.round === round ? [{ menteeId: p.id, table: p.pin.table }] : []));
}

/** What the planner needs for round `round`: who is present (not absent or removed) and what the rounds before it tell. */
export function matchInputFor(event: Pick<EventRecord, 'seatsPerTable' | 'seed'>, round: number, participants: readonly Participant[], plans: readonly SeatingPlan[]): MatchInput {
  const history = historyBefore(plans, round);
  const here = participants.filter((p) => !p.absent && !p.removed);
  return {
    round,
    seatsPerTable: event.seatsPerTable,
    mentors: here.flatMap((p) => (p.role === 'mentor' && p.table !== undefined ? [{ id: p.id, table: p.table, topics: p.topics }] : [])),
    mentees: here.filter((p) => p.role === 'mentee').map((p) => ({ id: p.id, topics: p.topics, sessions: history.sessions.get(p.id) ?? 0 })),
    met: history.met,
    coSeated: history.coSeated,
    seed: event.seed,
  };
}

/** Seats round `round` from everyone present and what earlier rounds tell, honouring the organizer's moves. */
export function planFor(event: Pick<EventRecord, 'seatsPerTable' | 'seed'>, round: number, participants: readonly Participant[], plans: readonly SeatingPlan[]): SeatingPlan {
  const input = matchInputFor(event, round, participants, plans);
  return seatPins(planRound(input), pinsFor(round, participants), input);
}
