// The views as of now, for one reader (a route, a socket that just connected): the event
// loaded through the service (shared with readers asking at the same time), then projected.
import type { MeView, PublicEventState } from '../../shared/domain';
import { HttpError } from '../errors';
import type { EventSnapshot, ViewContext } from './snapshot';
import type { Rating } from '../../shared/domain';
import { meViewOf } from './meView';
import { publicStateOf } from './summary';

/** What the views read from the service. */
export interface ViewSource {
  load(eventId: string): Promise<EventSnapshot>;
  listRatings(eventId: string): Promise<Rating[]>;
  viewContext(): ViewContext;
}

export async function currentPublicState(events: ViewSource, eventId: string): Promise<PublicEventState> {
  const snapshot = await events.load(eventId);
  return publicStateOf(snapshot, events.viewContext());
}

export async function currentMeView(events: ViewSource, eventId: string, participantId: string): Promise<MeView> {
  const [snapshot, ratings] = await Promise.all([events.load(eventId), events.listRatings(eventId)]);
  const participant = snapshot.people.get(participantId);
  if (!participant) throw new HttpError(401, 'That sign-in is not known here — join again.');
  return meViewOf(snapshot, participant, ratings, events.viewContext());
}
