// A person as the organizer sees them, wherever the organizer sees people: Control's
// roster and the export.
import type { Participant } from '../../shared/domain';

export type PersonView = Pick<Participant, 'id' | 'name' | 'role' | 'topics' | 'goal' | 'email' | 'table'>;

export function personOf(p: Participant): PersonView {
  return {
    id: p.id,
    name: p.name,
    role: p.role,
    topics: p.topics,
    ...(p.goal ? { goal: p.goal } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.table !== undefined ? { table: p.table } : {}),
  };
}
