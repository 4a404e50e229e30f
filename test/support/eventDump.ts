// Everything stored about one event as one string, so a test can show that a storm of bad
// input changed nothing: people, plans, ratings, follow-ups, and whose links still work.
import { sha256 } from '../../server/secrets';
import type { Store } from '../../server/store/Store';

export async function everythingStored(store: Store, eventId: string, tokens: string[]): Promise<string> {
  const [event, state, participants, plans, ratings, followUps] = await Promise.all([
    store.getEvent(eventId),
    store.getState(eventId),
    store.listParticipants(eventId),
    store.listPlans(eventId),
    store.listRatings(eventId),
    store.listFollowUps(eventId),
  ]);
  // Whose links still work: a fresh link issued by mistake would change this.
  const links = await Promise.all(tokens.map((token) => store.ownerOfToken(sha256(token))));
  return JSON.stringify({ event, state, participants: [...participants].sort((a, b) => a.id.localeCompare(b.id)), plans, ratings, followUps, links });
}
