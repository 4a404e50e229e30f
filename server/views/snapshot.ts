// What every view of an event is built from: the event as loaded at one moment
// (EventService.load), and the few facts views read off it.
import type { EventRecord, ListVersions, Participant, RoundState, SeatingPlan } from '../../shared/domain';
import { seatOf } from '../../shared/seats';
import type { FollowUp } from '../store/Store';

/** A loaded event. Shared by every reader that asked at the same time: never modified. */
export interface EventSnapshot {
  event: EventRecord;
  state: RoundState;
  people: ReadonlyMap<string, Participant>;
  plans: ReadonlyMap<number, SeatingPlan>;
  /** The versions of `people` and `plans`: what is made from them (seats as bytes) is keyed on these. */
  versions: ListVersions;
  ratingsGiven: number;
  /** Only loaded once the event has ended (the end screen is where follow-ups live). */
  followUps: FollowUp[];
}

/** What a view needs besides the snapshot: the moment it is made for, and the event's join link. */
export interface ViewContext {
  now: number;
  joinUrl(code: string): string;
}

/** The seating people are in now: the current round's plan during its talk and changeover. */
export function currentPlan({ state, plans }: EventSnapshot): SeatingPlan | null {
  return state.phase === 'talk' || state.phase === 'changeover' ? (plans.get(state.round) ?? null) : null;
}

/** The plan people walk to during a changeover. */
export function nextPlan({ state, plans }: EventSnapshot): SeatingPlan | null {
  return state.phase === 'changeover' ? (plans.get(state.round + 1) ?? null) : null;
}

/** The people `participantId` sat with in rounds that took place: the ones they may follow up with. */
export function peopleMet({ state, plans, people }: EventSnapshot, participantId: string): string[] {
  const met = new Set<string>();
  if (state.phase === 'lobby') return [];
  for (const plan of plans.values()) {
    if (plan.round > state.round) continue;
    const seat = seatOf(plan, participantId, people);
    for (const other of seat?.with ?? []) met.add(other.id);
  }
  return [...met];
}
