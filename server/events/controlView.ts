// The organizer's view: public state plus the roster, the next plan and rating progress.
import type { ControlView, RosterEntry, TablePin } from '../../shared/domain';
import { roundAhead } from '../../shared/roundEngine';
import { publicTables, tableOf } from '../../shared/seats';
import type { EventService } from './eventService';

export async function controlView(service: EventService, eventId: string, isOnline: (participantId: string) => boolean): Promise<ControlView> {
  const [snapshot, ratings] = await Promise.all([service.load(eventId), service.listRatings(eventId)]);
  const current = service.currentPlan(snapshot);
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
        id: p.id,
        name: p.name,
        role: p.role,
        topics: p.topics,
        ...(p.goal ? { goal: p.goal } : {}),
        ...(p.email ? { email: p.email } : {}),
        ...(p.table !== undefined ? { table: p.table } : {}),
        present: !p.absent,
        online: isOnline(p.id),
        ...(p.pin && p.pin.round === ahead ? { pin: pinShown(p.id, p.pin) } : {}),
      }),
    );
  return {
    state: service.publicStateOf(snapshot),
    roster,
    nextTables: publicTables(service.nextPlan(snapshot), snapshot.people),
    ratingProgress: {
      round: snapshot.state.round,
      given: current ? ratings.filter((r) => r.round === current.round).length : 0,
      // Each exchange can be rated from both sides: the mentor and the mentee.
      possible: exchanges * 2,
    },
    retentionDays: service.retentionDays,
  };
}
