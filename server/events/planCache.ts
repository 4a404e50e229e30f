// Seating a round made once, asked for twice: ahead of a round (while people talk, see
// server/realtime/seatsAhead.ts) and again when the round needs it. Seating is
// deterministic, so the same event, round and lists give the same plan; the lists are
// named by the store's version counters (Store.listPeopleAndPlans), never by which
// objects a store happens to hand out.
import type { EventRecord, SeatingPlan } from '../../shared/domain';
import { deepFreeze } from '../deepFreeze';
import type { PeopleAndPlans } from '../store/Store';
import { planInThread } from './plannerThread';

/** Plans kept: a round ahead for each of a few events running at once. */
const KEPT_PLANS = 8;

export class PlanCache {
  private readonly kept = new Map<string, Promise<SeatingPlan>>();

  /**
   * Round `round` seated from `lists` (on the planner thread), stamped with the versions it
   * was made from. Asked again with the same versions it answers with the plan it made, or
   * is making: frozen, since every caller shares it.
   */
  plan(event: Pick<EventRecord, 'id' | 'seatsPerTable' | 'seed'>, round: number, lists: PeopleAndPlans): Promise<SeatingPlan> {
    const { participants, plans } = lists.versions;
    const key = `${event.id} ${round} ${participants} ${plans}`;
    let plan = this.kept.get(key);
    if (plan) {
      // Used lately: to the back of the queue.
      this.kept.delete(key);
      this.kept.set(key, plan);
      return plan;
    }
    const made = planInThread(event, round, lists.participants, lists.plans).then((p) => deepFreeze({ ...p, madeFrom: { participants, plans } }));
    plan = made;
    this.kept.set(key, made);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_PLANS) break;
      this.kept.delete(oldest);
    }
    // A plan that could not be made is tried again next time.
    made.catch(() => {
      if (this.kept.get(key) === made) this.kept.delete(key);
    });
    return made;
  }

  /** The event is gone: nothing made from it is asked for again. */
  forget(eventId: string): void {
    for (const key of this.kept.keys()) if (key.startsWith(`${eventId} `)) this.kept.delete(key);
  }
}
