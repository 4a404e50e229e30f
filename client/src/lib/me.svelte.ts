// One participant's phone: their seat, their event, the ratings they give. A rating
// made while the connection is away waits in an outbox (kept in local storage, so a
// reload does not lose it) and is sent as soon as the socket is back. The ratings made
// are remembered too, so a reload keeps a mentor's tags and note (sending again
// replaces the whole rating; a form that forgot them would erase them).
import type { MeView, Seat } from '../../../shared/domain';
import { ApiError, eventExists, fetchMe, setContactEmail, setFollowUp, setOwnPresence } from './api';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection, type GoneReason, type Refusal } from './connection.svelte';
import { submitRating, type RatingPayload } from './socket';
import { forgetToken, savedEventId, saveEventId } from './storage';

/** Where one rating stands: on its way, waiting for the connection, saved, or refused. */
export type Delivery = { status: 'sending' | 'waiting' | 'saved' } | { status: 'failed'; message: string };

const ratingKey = (round: number, targetId: string) => `${round}:${targetId}`;
const outboxKey = (code: string) => `tablehop:outbox:${code.toUpperCase()}`;
const madeKey = (code: string) => `tablehop:ratings:${code.toUpperCase()}`;
/** An answer that did not come while connected is tried again after this long. */
const RETRY_MS = 5_000;

type Ratings = Record<string, RatingPayload>;

function load(key: string): Ratings {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Ratings) : {};
  } catch {
    return {};
  }
}

function save(key: string, ratings: Ratings): void {
  try {
    if (Object.keys(ratings).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(ratings));
  } catch {
    // Private mode or full: kept for the life of the page only.
  }
}

export class MeStore {
  view = $state.raw<MeView | null>(null);
  /** Ratings made on this phone, by `round:targetId` (shown at once, before the server answers). */
  local = $state<Ratings>({});
  deliveries = $state<Record<string, Delivery>>({});
  /** "I have to leave" / "I'm back" on its way, and the server's sentence if it failed. */
  presencePending = $state(false);
  presenceError = $state<string | null>(null);
  /** The event's name, kept after it is gone so the message can say which event. */
  eventName = $state<string | null>(null);
  /** Follow-up ticks on their way, by person id. */
  followPending = $state<Record<string, boolean>>({});
  followError = $state<string | null>(null);
  emailPending = $state(false);
  emailError = $state<string | null>(null);
  readonly connection: LiveConnection;
  /** Ratings not yet acknowledged by the server. */
  private outbox: Ratings;
  private flushing = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  /** The event this token belongs to, as last seen (kept across reloads). */
  private eventId: string | null;

  constructor(
    private readonly token: string,
    private readonly code: string,
    /** Called when the server no longer knows this token: the phone must join again. */
    private readonly onTokenRejected: () => void,
  ) {
    this.local = load(madeKey(code));
    this.outbox = load(outboxKey(code));
    for (const [key, rating] of Object.entries(this.outbox)) {
      this.local[key] = rating;
      this.deliveries[key] = { status: 'waiting' };
    }
    this.eventId = savedEventId(code);
    this.connection = new LiveConnection(
      { token },
      { refused: (refusal) => void this.checkRefusal(refusal), gone: (reason) => this.eventGone(reason) },
    );
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => {
      resync = true;
      void this.flush();
    });
    socket.on('me:snapshot', (view) => {
      if (!resync && !isCurrent(this.view?.event ?? null, view.event)) return;
      resync = false;
      clock.seed(view.event.serverNow);
      this.view = view;
      this.eventName = view.event.name;
      if (view.event.id !== this.eventId) {
        this.eventId = view.event.id;
        saveEventId(this.code, view.event.id);
      }
    });
    socket.on('phase:changed', (update) => {
      if (this.view && isCurrent(this.view.event, update)) this.view = { ...this.view, event: { ...this.view.event, ...update } };
    });
    socket.on('seat:changed', ({ event: update, ...seats }) => {
      // Seats older than the phase we show (two instances' messages crossing) are stale.
      // A seat the message leaves out stays as it is.
      if (this.view && isCurrent(this.view.event, update)) this.view = { ...this.view, ...seats, event: { ...this.view.event, ...update } };
    });
    socket.on('headcount:changed', (headcount) => {
      if (this.view) this.view = { ...this.view, event: { ...this.view.event, headcount } };
    });
  }

  open(): void {
    this.connection.open();
  }

  close(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.connection.close();
  }

  /** The score given to `targetId` for `round`, if any (from this phone or the server). */
  scoreGiven(round: number, targetId: string): number | null {
    const local = this.local[ratingKey(round, targetId)];
    if (local) return local.score;
    return this.view?.ratingsGiven.find((r) => r.round === round && r.targetId === targetId)?.score ?? null;
  }

  /** What this phone last sent for `targetId` in `round` (tags and note included). */
  ratingMade(round: number, targetId: string): RatingPayload | null {
    return this.local[ratingKey(round, targetId)] ?? null;
  }

  delivery(round: number, targetId: string): Delivery | null {
    return this.deliveries[ratingKey(round, targetId)] ?? null;
  }

  /** Gives (or updates) a rating. It is shown at once and sent now, or when the connection returns. */
  rate(rating: RatingPayload): void {
    const key = ratingKey(rating.round, rating.targetId);
    this.local[key] = rating;
    this.outbox[key] = rating;
    save(madeKey(this.code), $state.snapshot(this.local));
    save(outboxKey(this.code), this.outbox);
    this.deliveries[key] = { status: this.connection.socket.connected ? 'sending' : 'waiting' };
    void this.flush();
  }

  /** "I have to leave" (false) or "I'm back" (true). The server answers with a fresh view for this phone. */
  async setPresent(present: boolean): Promise<void> {
    this.presencePending = true;
    this.presenceError = null;
    try {
      await setOwnPresence(this.token, present);
      if (this.view) this.view = { ...this.view, participant: { ...this.view.participant, present } };
    } catch (error) {
      this.presenceError = message(error);
    } finally {
      this.presencePending = false;
    }
  }

  /** Ticks (or unticks) "I'd like to follow up" for someone met; shown at once, undone if the server refuses. */
  async follow(targetId: string, follow: boolean): Promise<void> {
    this.followError = null;
    this.followPending[targetId] = follow;
    this.patchFollowUp(targetId, follow);
    try {
      await setFollowUp(this.token, targetId, follow);
    } catch (error) {
      this.patchFollowUp(targetId, !follow);
      this.followError = message(error);
    } finally {
      delete this.followPending[targetId];
    }
  }

  /** The email shared with people who tick back; empty removes it. True when saved. */
  async saveEmail(email: string): Promise<boolean> {
    this.emailPending = true;
    this.emailError = null;
    try {
      const value = email.trim() || null;
      await setContactEmail(this.token, value);
      const followUp = this.view?.followUp;
      if (this.view && followUp) this.view = { ...this.view, followUp: { ...followUp, email: value } };
      return true;
    } catch (error) {
      this.emailError = message(error);
      return false;
    } finally {
      this.emailPending = false;
    }
  }

  private patchFollowUp(targetId: string, chosen: boolean): void {
    const followUp = this.view?.followUp;
    if (!this.view || !followUp) return;
    const people = followUp.people.map((p) => (p.id === targetId ? { ...p, chosen, ...(chosen ? {} : { mutual: false, email: undefined }) } : p));
    this.view = { ...this.view, followUp: { ...followUp, people } };
  }

  /** Sends everything in the outbox, one at a time, while the socket is connected. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const socket = this.connection.socket;
        const entry = Object.entries(this.outbox)[0];
        if (!entry || !socket.connected) break;
        const [key, rating] = entry;
        this.deliveries[key] = { status: 'sending' };
        const ack = await submitRating(socket, rating);
        if (this.outbox[key] !== rating) continue; // changed while in flight: send the newer one
        if (ack.ok) {
          delete this.outbox[key];
          this.deliveries[key] = { status: 'saved' };
        } else if (ack.status === 429) {
          // Over the limit: the rating stays in the outbox and goes again when the server says.
          this.deliveries[key] = { status: 'waiting' };
          this.retryIn((ack.retryAfterSeconds ?? RETRY_MS / 1000) * 1000);
          break;
        } else if (ack.status >= 400 && ack.status < 500) {
          // The server will never take this one (not your table, bad input): say why and drop it.
          delete this.outbox[key];
          this.deliveries[key] = { status: 'failed', message: ack.message };
        } else {
          // No answer (or the server hiccuped): try again on the next connect, or soon.
          this.deliveries[key] = { status: 'waiting' };
          this.retryIn(RETRY_MS);
          break;
        }
        save(outboxKey(this.code), this.outbox);
      }
    } finally {
      this.flushing = false;
      for (const key of Object.keys(this.outbox)) if (this.deliveries[key]?.status === 'sending') this.deliveries[key] = { status: 'waiting' };
    }
  }

  private retryIn(ms: number): void {
    if (this.retry === null) this.retry = setTimeout(() => ((this.retry = null), void this.flush()), ms);
  }

  /**
   * An unknown token means "join again" — unless the whole event is gone (after a server
   * restart without its data, say): then joining again would fail or duplicate people,
   * and the page says the event no longer exists instead.
   */
  private async checkRefusal(refusal: Refusal): Promise<void> {
    if (refusal.code === 'token_unknown') {
      if (this.eventId && (await eventExists(this.eventId)) === false) return this.connection.markGone('not_found');
      return this.onTokenRejected();
    }
    if (refusal.code !== 'unknown') return;
    // A server that gives no reason: ask over HTTP whether it knows this token.
    try {
      await fetchMe(this.token);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) this.onTokenRejected();
    }
  }

  /**
   * The event no longer exists: the seat and countdown go. Deleted or expired by the
   * server's word: ratings waiting here can never be delivered and the token is
   * worthless, so they are forgotten (a reload then offers the join form, which works
   * if the code has been given to a new event). Not found on a reconnect: kept, as the
   * server may get its data back.
   */
  private eventGone(reason: GoneReason): void {
    this.view = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    if (reason === 'not_found') return;
    this.outbox = {};
    this.local = {};
    save(outboxKey(this.code), {});
    save(madeKey(this.code), {});
    forgetToken(this.code);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Where this person sits in `round`, from whatever the server has told us so far. */
export function seatInRound(view: MeView, round: number): Seat | null {
  for (const seat of [view.seat, view.nextSeat, ...view.met]) if (seat && seat.round === round) return seat;
  return null;
}
