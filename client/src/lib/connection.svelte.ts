// One live socket and how it is doing, for the "Reconnecting…" note. Socket.IO
// reconnects by itself after network trouble; a refusal by the server (bad token,
// wrong key) is final and is reported instead. An event that no longer exists —
// the server said so (`event:gone`), or refused the handshake with `event_not_found` —
// is `gone`: no more retries, and the page says so instead of counting down stale
// tables. When the page comes back into view (a phone that slept) or the network
// returns, it checks at once instead of waiting for the next backoff step.
import { REFUSAL_CODES, type EventGoneReason, type RefusalCode } from '../../../shared/protocol';
import { clock } from './clock.svelte';
import { createSocket, pingClock, RECONNECT_DELAY_MAX_MS, type SocketIdentity, type TablehopSocket } from './socket';

/** How long a page refused for too many connections waits before it asks again. */
const CAPPED_RETRY_MS = 30_000;

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'refused' | 'gone';

/** How a page learned its event is gone: the server's word (deleted, expired), or a handshake that found no such event. */
export type GoneReason = EventGoneReason | 'not_found';

/** A refused handshake: the server's sentence and its reason (`unknown` from a server that gave none). */
export interface Refusal {
  code: RefusalCode | 'unknown';
  message: string;
}

export interface ConnectionHandlers {
  /** The server refused this socket for good (not for a gone event: see `gone`). */
  refused?: (refusal: Refusal) => void;
  /** The event no longer exists. */
  gone?: (reason: GoneReason) => void;
}

/** A socket that cannot answer a ping this fast after a wake-up is treated as dead. */
const WAKE_CHECK_TIMEOUT_MS = 2_000;

/** The reason in a `connect_error`'s data, when the server gave one we know. */
export function refusalOf(error: Error): Refusal {
  const data = (error as Error & { data?: unknown }).data;
  const code = data && typeof data === 'object' && 'code' in data ? data.code : undefined;
  const known = REFUSAL_CODES.find((c) => c === code);
  return { code: known ?? 'unknown', message: error.message || 'The server refused the connection.' };
}

export class LiveConnection {
  status = $state<ConnectionStatus>('connecting');
  /** The server's sentence when it refused this socket. */
  refusal = $state<string | null>(null);
  /** Set once the event is gone, with how the page learned it. */
  gone = $state<GoneReason | null>(null);
  readonly socket: TablehopSocket;
  private detachClock: (() => void) | null = null;
  private everConnected = false;
  /** A handshake is under way: no point starting another. */
  private attempting = false;
  /** A retry after the server said it could not check just now. */
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    identity: SocketIdentity,
    private readonly handlers: ConnectionHandlers = {},
  ) {
    this.socket = createSocket(identity);
    this.socket.io.on('reconnect_attempt', () => (this.attempting = true));
    this.socket.io.on('reconnect_error', () => (this.attempting = false));
    this.socket.on('connect', () => {
      this.attempting = false;
      this.everConnected = true;
      this.status = 'online';
      this.refusal = null;
    });
    this.socket.on('event:gone', ({ reason }) => this.markGone(reason));
    this.socket.on('disconnect', (reason) => {
      if (this.isFinal) return;
      this.status = 'reconnecting';
      // The server hung up on purpose (a restart, say); Socket.IO will not retry on its own.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (error) => {
      this.attempting = false;
      if (this.isFinal) return;
      if (this.socket.active) {
        // Network trouble: Socket.IO keeps retrying with backoff.
        this.status = this.everConnected ? 'reconnecting' : 'connecting';
        return;
      }
      const refusal = refusalOf(error);
      if (refusal.code === 'event_not_found') return this.markGone('not_found');
      if (refusal.code === 'unavailable') {
        // The server answered but could not look us up (its store is away): not a verdict,
        // and Socket.IO does not retry a refused handshake by itself.
        this.status = this.everConnected ? 'reconnecting' : 'connecting';
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          this.retryNow();
        }, RECONNECT_DELAY_MAX_MS * (0.5 + Math.random()));
        return;
      }
      this.status = 'refused';
      this.refusal = refusal.message;
      this.handlers.refused?.(refusal);
      // Over a connection cap: the sentence stays up (close a page), and a place may free up.
      if (refusal.code === 'too_many_connections') {
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          if (this.status !== 'refused') return;
          this.status = this.everConnected ? 'reconnecting' : 'connecting';
          this.retryNow();
        }, CAPPED_RETRY_MS);
      }
    });
  }

  /** Refused or gone: nothing more to try. */
  get isFinal(): boolean {
    return this.status === 'refused' || this.status === 'gone';
  }

  /** The event no longer exists: stop retrying and let the page say so. */
  markGone(reason: GoneReason): void {
    if (this.status === 'gone') return;
    this.status = 'gone';
    this.gone = reason;
    this.refusal = null;
    this.clearRetry();
    this.socket.disconnect();
    this.handlers.gone?.(reason);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  open(): void {
    this.detachClock ??= clock.attach(this.socket);
    document.addEventListener('visibilitychange', this.onWake);
    window.addEventListener('online', this.onWake);
    window.addEventListener('pageshow', this.onPageShow);
    this.attempting = true;
    this.socket.connect();
  }

  close(): void {
    this.clearRetry();
    document.removeEventListener('visibilitychange', this.onWake);
    window.removeEventListener('online', this.onWake);
    window.removeEventListener('pageshow', this.onPageShow);
    this.detachClock?.();
    this.detachClock = null;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  /** Skips the backoff wait: try to connect right now. */
  retryNow(): void {
    if (this.isFinal || this.socket.connected || this.attempting) return;
    this.socket.disconnect();
    this.attempting = true;
    this.socket.connect();
  }

  /** Back from sleep or offline: a socket that looks connected may be long dead. */
  private readonly onWake = () => {
    if (document.visibilityState !== 'visible' || this.isFinal) return;
    if (!this.socket.connected) return this.retryNow();
    void pingClock(this.socket, WAKE_CHECK_TIMEOUT_MS).then((reply) => {
      if (reply) return void clock.burst(this.socket);
      // No answer: drop the dead socket and connect afresh.
      if (!this.socket.connected) return;
      this.socket.disconnect();
      this.status = 'reconnecting';
      this.attempting = true;
      this.socket.connect();
    });
  };

  /** A page restored from the back-forward cache has a socket frozen in the past. */
  private readonly onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.onWake();
  };
}

/** Accept a snapshot unless it is older than what we show (messages from two instances can cross). */
export function isCurrent(shown: { version: number } | null, incoming: { version: number }): boolean {
  return shown === null || incoming.version >= shown.version;
}
