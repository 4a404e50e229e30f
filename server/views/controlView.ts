// The organizer's view: public state plus the roster, the next plan and rating progress.
import type { ControlView, Rating, RosterEntry, TablePin } from '../../shared/domain';
import { roundAhead } from '../../shared/roundEngine';
import { publicTables, tableOf } from '../../shared/seats';
import { personOf } from './person';
import { type EventSnapshot, type ViewContext, currentPlan, nextPlan } from './snapshot';
import { publicStateOf } from './summary';

export interface ControlFacts {
  /** Whether this person has a phone connected (on any instance). */
  isOnline(participantId: string): boolean;
  retentionDays: number;
}

export function controlViewOf(snapshot: EventSnapshot, ratings: readonly Rating[], facts: ControlFacts, context: ViewContext): ControlView {
  const current = currentPlan(snapshot);
  const exchanges = current ? current.tables.reduce((n, t) => n + t.menteeIds.length, 0) : 0;
  const ahead = roundAhead(snapshot.state, snapshot.event.rounds);
  // Once that round is planned, whether the move could be made (the seat rules come first).
  const pinShown = (id: string, pin: TablePin) => {
    const plan = ahead === null ? undefined : snapshot.plans.get(ahead);
    return plan ? { ...pin, honoured: tableOf(plan, id)?.table === pin.table } : pin;
  };
  const roster = [...snapshot.people.values()]
    // Removed people are gone from the roster; their past rounds stay in the exports.
    .filter((p) => !p.removed)
    .sort((a, b) => (a.role === b.role ? (a.table ?? 0) - (b.table ?? 0) || a.joinedAt - b.joinedAt : a.role === 'mentor' ? -1 : 1))
    .map(
      (p): RosterEntry => ({
        ...personOf(p),
        present: !p.absent,
        online: facts.isOnline(p.id),
        ...(p.pin && p.pin.round === ahead ? { pin: pinShown(p.id, p.pin) } : {}),
      }),
    );
  return {
    state: publicStateOf(snapshot, context),
    roster,
    nextTables: publicTables(nextPlan(snapshot), snapshot.people),
    ratingProgress: {
      round: snapshot.state.round,
      given: current ? ratings.filter((r) => r.round === current.round).length : 0,
      // Each exchange can be rated from both sides: the mentor and the mentee.
      possible: exchanges * 2,
    },
    retentionDays: facts.retentionDays,
  };
}
