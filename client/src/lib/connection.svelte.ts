// One live socket and how it is doing, for the "Reconnecting…" note. Socket.IO
// reconnects by itself after network trouble; a refusal by the server (bad token,
// wrong key, unknown event) is final and is reported instead. When the page comes back
// into view (a phone that slept) or the network returns, it checks at once instead of
// waiting for the next backoff step.
import { clock } from './clock.svelte';
import { createSocket, pingClock, type SocketIdentity, type TablehopSocket } from './socket';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'refused';

/** A socket that cannot answer a ping this fast after a wake-up is treated as dead. */
const WAKE_CHECK_TIMEOUT_MS = 2_000;

export class LiveConnection {
  status = $state<ConnectionStatus>('connecting');
  /** The server's sentence when it refused this socket. */
  refusal = $state<string | null>(null);
  readonly socket: TablehopSocket;
  private detachClock: (() => void) | null = null;
  private everConnected = false;
  /** A handshake is under way: no point starting another. */
  private attempting = false;

  constructor(
    identity: SocketIdentity,
    private readonly onRefused: (message: string) => void = () => {},
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
    this.socket.on('disconnect', (reason) => {
      if (this.status === 'refused') return;
      this.status = 'reconnecting';
      // The server hung up on purpose (a restart, say); Socket.IO will not retry on its own.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (error) => {
      this.attempting = false;
      if (this.socket.active) {
        // Network trouble: Socket.IO keeps retrying with backoff.
        this.status = this.everConnected ? 'reconnecting' : 'connecting';
        return;
      }
      this.status = 'refused';
      this.refusal = error.message || 'The server refused the connection.';
      this.onRefused(this.refusal);
    });
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
    if (this.status === 'refused' || this.socket.connected || this.attempting) return;
    this.socket.disconnect();
    this.attempting = true;
    this.socket.connect();
  }

  /** Back from sleep or offline: a socket that looks connected may be long dead. */
  private readonly onWake = () => {
    if (document.visibilityState !== 'visible' || this.status === 'refused') return;
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
