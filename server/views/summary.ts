// The event at a glance (every view starts with it) and the projector's view.
import type { EventRecord, EventSummary, PublicEventState, RoundState, SeatingPlan } from '../../shared/domain';
import { remainingMsAt } from '../../shared/roundEngine';
import { publicTables } from '../../shared/seats';
import { type EventSnapshot, type ViewContext, currentPlan, nextPlan } from './snapshot';

/** Who the event is and where it stands: the part every view of it shares (summary, export). */
export function eventHeadOf(event: EventRecord, state: RoundState) {
  return {
    id: event.id,
    name: event.name,
    code: event.code,
    status: state.status,
    phase: state.phase,
    round: state.round,
    rounds: event.rounds,
    roundSeconds: event.roundSeconds,
    changeoverSeconds: event.changeoverSeconds,
    seatsPerTable: event.seatsPerTable,
    topics: event.topics,
  };
}

/** Mentor–mentee exchanges in the rounds that have started. */
function exchangesHeld(state: RoundState, plans: ReadonlyMap<number, SeatingPlan>): number {
  if (state.phase === 'lobby') return 0;
  let exchanges = 0;
  for (const plan of plans.values()) {
    if (plan.round <= state.round) for (const table of plan.tables) exchanges += table.menteeIds.length;
  }
  return exchanges;
}

export function summaryOf({ event, state, people, plans, ratingsGiven }: EventSnapshot, { now, joinUrl }: ViewContext): EventSummary {
  let mentors = 0;
  let mentees = 0;
  for (const p of people.values()) {
    if (p.removed) continue;
    if (p.role === 'mentor') mentors++;
    else mentees++;
  }
  return {
    ...eventHeadOf(event, state),
    joinUrl: joinUrl(event.code),
    phaseEndsAt: state.status === 'running' ? state.phaseEndsAt : null,
    remainingMs: remainingMsAt(state, now),
    serverNow: now,
    headcount: { mentors, mentees },
    version: state.version,
    changedAt: state.changedAt ?? null,
    stats: { exchanges: exchangesHeld(state, plans), ratings: ratingsGiven },
  };
}

/** What anyone may see: the projector's view. */
export function publicStateOf(snapshot: EventSnapshot, context: ViewContext): PublicEventState {
  return {
    ...summaryOf(snapshot, context),
    tables: publicTables(currentPlan(snapshot), snapshot.people),
    nextTables: publicTables(nextPlan(snapshot), snapshot.people),
  };
}
