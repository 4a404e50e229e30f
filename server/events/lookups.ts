// The people by id and the plans by round of the events read lately, built once per
// version of those lists.
import type { Participant, SeatingPlan } from '../../shared/domain';
import type { PeopleAndPlans } from '../store/Store';

/** Lookups kept: the people and plans of the events read lately. */
const KEPT_LOOKUPS = 16;

/**
 * The people by id and the plans by round, built once per version of the lists: every
 * phase change of a big event would otherwise rebuild a map of thousands of people.
 */
export class Lookups {
  private readonly kept = new Map<string, { versions: string; people: Map<string, Participant>; plans: Map<number, SeatingPlan> }>();

  of(eventId: string, lists: PeopleAndPlans): { people: Map<string, Participant>; plans: Map<number, SeatingPlan> } {
    const versions = `${lists.versions.participants} ${lists.versions.plans}`;
    let lookup = this.kept.get(eventId);
    if (lookup?.versions !== versions) {
      lookup = { versions, people: new Map(lists.participants.map((p) => [p.id, p])), plans: new Map(lists.plans.map((p) => [p.round, p])) };
    }
    this.kept.delete(eventId);
    this.kept.set(eventId, lookup);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_LOOKUPS) break;
      this.kept.delete(oldest);
    }
    return lookup;
  }

  forget(eventId: string): void {
    this.kept.delete(eventId);
  }
}
