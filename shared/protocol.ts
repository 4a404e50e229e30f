// The typed Socket.IO protocol. Event names are `domain:verb` constants; server and
// client build their typed Server<…>/Socket<…> from these maps. No socket.io import here.
import type {
  ControlView,
  MeView,
  OrganizerActionName,
  PhaseUpdate,
  PublicEventState,
  PublicTable,
  Headcount,
  Seat,
} from './domain';

/** Bumped when a message changes shape; the server refuses clients of another version. */
export const PROTOCOL_VERSION = 2;

export const ServerEvents = {
  /**
   * Full view for a phone: on every connect, when the person's own view changes (they
   * left or came back, follow-ups), and once at the end (who they met). Seats that move
   * go as `seat:changed`, never as a whole snapshot.
   */
  meSnapshot: 'me:snapshot',
  /** Full public state (with tables) for the projector and Control: on connect and on each phase change. */
  stateSnapshot: 'state:snapshot',
  /** Full organizer view: on connect and after any change Control shows. */
  controlSnapshot: 'control:snapshot',
  /** A phase change that moves nobody's seat (pause, resume, +1 min): one room broadcast, small, no tables. */
  phaseChanged: 'phase:changed',
  /** A phase change that may move seats: to each person, the phase with their own seat and next seat. */
  seatChanged: 'seat:changed',
  /** Who is here: mentors and mentees joined so far. */
  headcountChanged: 'headcount:changed',
  /** The event no longer exists (deleted, or removed after its retention period): sent just before the server hangs up. */
  eventGone: 'event:gone',
} as const;

/** Why an event stopped existing while pages had it open. */
export type EventGoneReason = 'deleted' | 'expired';

/**
 * Why the server refused a socket's handshake: the `code` in `connect_error`'s `data`
 * (the error's message is the sentence for people). Clients branch on the code, never
 * on the sentence.
 * - `event_not_found`: no event with that id (deleted, expired, or a server without its data)
 * - `token_unknown`: no participant with that token (never issued, replaced, removed, or its event is gone)
 * - `wrong_key`: the organizer key is missing or is not this event's
 * - `outdated`: the page speaks another protocol version: reload it
 * - `bad_handshake`: the handshake auth is not one Tablehop sends
 * - `too_many_connections`: over MAX_SOCKETS_PER_LINK or MAX_SOCKETS_PER_ADDRESS on this instance
 * - `unavailable`: the server could not check just now (its store is away): try again
 */
export type RefusalCode = 'event_not_found' | 'token_unknown' | 'wrong_key' | 'outdated' | 'bad_handshake' | 'too_many_connections' | 'unavailable';

export const REFUSAL_CODES: readonly RefusalCode[] = ['event_not_found', 'token_unknown', 'wrong_key', 'outdated', 'bad_handshake', 'too_many_connections', 'unavailable'];

/** The `data` of a refused handshake's `connect_error`. */
export interface HandshakeRefusal {
  code: RefusalCode;
}

export const ClientEvents = {
  clockPing: 'clock:ping',
  ratingSubmit: 'rating:submit',
  organizerAction: 'organizer:action',
} as const;

/**
 * A refusal: the status an HTTP call would get and a sentence saying what to do. A 429
 * carries `retryAfterSeconds`, so a client backs off without reading the sentence.
 */
export type Refusal = { ok: false; status: number; message: string; retryAfterSeconds?: number };

/** Every acknowledgement: ok with a value, or a refusal. */
export type Ack<T = undefined> = { ok: true; value: T } | Refusal;

/** A clock sample, or a refusal when the socket pings far more often than any client does. */
export type PingReply = { clientSentAt: number; serverNow: number } | Refusal;

export interface ServerToClientEvents {
  'me:snapshot': (view: MeView) => void;
  'state:snapshot': (state: PublicEventState) => void;
  'control:snapshot': (view: ControlView) => void;
  'phase:changed': (event: PhaseUpdate) => void;
  /**
   * The seats belong to `event` (its `version`): a phone ignores a message older than
   * what it shows. A seat left out is unchanged (a changeover starting brings only the
   * next seat; a round starting brings the seat, and `nextSeat: null`).
   */
  'seat:changed': (seats: { event: PhaseUpdate; seat?: Seat | null; nextSeat?: Seat | null }) => void;
  'headcount:changed': (headcount: Headcount) => void;
  'event:gone': (gone: { id: string; reason: EventGoneReason }) => void;
}

export interface ClientToServerEvents {
  'clock:ping': (payload: { clientSentAt: number }, ack: (reply: PingReply) => void) => void;
  'rating:submit': (payload: unknown, ack: (reply: Ack<{ round: number; targetId: string }>) => void) => void;
  'organizer:action': (payload: unknown, ack: (reply: Ack<PublicEventState>) => void) => void;
}

/**
 * What a socket sends in its handshake `auth`. A phone sends its token; the projector
 * sends only the event id (the screen is public); Control sends the event id and key.
 */
export type HandshakeAuth =
  | { v: number; token: string }
  | { v: number; eventId: string; organizerKey?: string };

export type { OrganizerActionName, PublicTable };
