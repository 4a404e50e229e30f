// A phone's own view: its seat, its next seat, everyone met, and at the end its follow-ups.
import type { FollowUpView, MeView, Participant, Rating } from '../../shared/domain';
import { seatOf } from '../../shared/seats';
import { type EventSnapshot, type ViewContext, currentPlan, nextPlan, peopleMet } from './snapshot';
import { summaryOf } from './summary';

/** The end screen's follow-up list: emails only where both ticked. */
export function followUpViewOf(snapshot: EventSnapshot, participant: Participant): FollowUpView {
  const ticks = new Set(snapshot.followUps.map((f) => `${f.fromId} ${f.toId}`));
  const people = peopleMet(snapshot, participant.id).flatMap((id) => {
    const other = snapshot.people.get(id);
    // Someone the organizer removed has no end screen to tick back from.
    if (!other || other.removed) return [];
    const chosen = ticks.has(`${participant.id} ${id}`);
    const mutual = chosen && ticks.has(`${id} ${participant.id}`);
    return [{ id, name: other.name, role: other.role, chosen, mutual, ...(mutual && other.email ? { email: other.email } : {}) }];
  });
  people.sort((a, b) => a.name.localeCompare(b.name));
  return { email: participant.email ?? null, people };
}

export function meViewOf(snapshot: EventSnapshot, participant: Participant, ratings: readonly Pick<Rating, 'round' | 'raterId' | 'targetId' | 'score'>[], context: ViewContext): MeView {
  const { state, plans, people } = snapshot;
  const met = [...plans.values()]
    .filter((plan) => state.phase !== 'lobby' && plan.round <= state.round)
    .sort((a, b) => a.round - b.round)
    .flatMap((plan) => {
      const seat = seatOf(plan, participant.id, people);
      return seat ? [seat] : [];
    });
  return {
    participant: { id: participant.id, name: participant.name, role: participant.role, present: !participant.absent },
    event: summaryOf(snapshot, context),
    seat: seatOf(currentPlan(snapshot), participant.id, people),
    nextSeat: seatOf(nextPlan(snapshot), participant.id, people),
    met,
    ratingsGiven: ratings.filter((r) => r.raterId === participant.id).map((r) => ({ round: r.round, targetId: r.targetId, score: r.score })),
    followUp: state.status === 'ended' ? followUpViewOf(snapshot, participant) : null,
  };
}
