// One participant's phone: their seat, their event, the ratings they give.
import type { MeView, Seat } from '../../../shared/domain';
import { ApiError, fetchMe } from './api';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';
import { submitRating, type RatingPayload } from './socket';

/** The server's words for a token it does not know; anything else is double-checked. */
const isTokenRefusal = (message: string) =>
  /join again/i.test(message) || (/token/i.test(message) && /unknown|invalid|expired|not found|not valid|no longer|recogni/i.test(message));

export class MeStore {
  view = $state.raw<MeView | null>(null);
  /** Scores sent from this phone, by `round:targetId`, on top of `view.ratingsGiven`. */
  sentScores = $state<Record<string, number>>({});
  readonly connection: LiveConnection;

  constructor(
    private readonly token: string,
    /** Called when the server no longer knows this token: the phone must join again. */
    private readonly onTokenRejected: () => void,
  ) {
    this.connection = new LiveConnection({ token }, (message) => void this.checkRefusal(message));
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('me:snapshot', (view) => {
      if (!resync && !isCurrent(this.view?.event ?? null, view.event)) return;
      resync = false;
      clock.seed(view.event.serverNow);
      this.view = view;
    });
    socket.on('phase:changed', (event) => {
      if (this.view && isCurrent(this.view.event, event)) this.view = { ...this.view, event };
    });
    socket.on('seat:changed', ({ seat, nextSeat }) => {
      if (this.view) this.view = { ...this.view, seat, nextSeat };
    });
    socket.on('headcount:changed', (headcount) => {
      if (this.view) this.view = { ...this.view, event: { ...this.view.event, headcount } };
    });
  }

  open(): void {
    this.connection.open();
  }

  close(): void {
    this.connection.close();
  }

  /** The score already given to `targetId` for `round`, if any. */
  scoreGiven(round: number, targetId: string): number | null {
    const local = this.sentScores[`${round}:${targetId}`];
    if (local !== undefined) return local;
    return this.view?.ratingsGiven.find((r) => r.round === round && r.targetId === targetId)?.score ?? null;
  }

  /** Sends (or updates) a rating; resolves to an error sentence, or null when saved. */
  async rate(rating: RatingPayload): Promise<string | null> {
    const ack = await submitRating(this.connection.socket, rating);
    if (!ack.ok) return ack.message;
    this.sentScores[`${rating.round}:${rating.targetId}`] = rating.score;
    return null;
  }

  /** A refusal that is not obviously about the token is double-checked over HTTP. */
  private async checkRefusal(message: string): Promise<void> {
    if (isTokenRefusal(message)) return this.onTokenRejected();
    try {
      await fetchMe(this.token);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) this.onTokenRejected();
    }
  }
}

/** Where this person sits in `round`, from whatever the server has told us so far. */
export function seatInRound(view: MeView, round: number): Seat | null {
  for (const seat of [view.seat, view.nextSeat, ...view.met]) if (seat && seat.round === round) return seat;
  return null;
}
