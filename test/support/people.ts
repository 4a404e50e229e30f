// A participant for unit tests of seating: named after their id, joined at the start.
import type { Participant } from '../../shared/domain';

export const person = (id: string, role: Participant['role'], topics: string[] = [], goal?: string): Participant => ({
  id,
  name: `Name ${id}`,
  role,
  topics,
  ...(goal ? { goal } : {}),
  joinedAt: 0,
  joinedRound: 0,
});
