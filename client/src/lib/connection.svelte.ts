// One live socket and how it is doing, for the "Reconnecting…" note. Socket.IO
// reconnects by itself after network trouble; a refusal by the server (bad token,
// wrong key, unknown event) is final and is reported instead.
import { clock } from './clock.svelte';
import { createSocket, type SocketIdentity, type TablehopSocket } from './socket';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'refused';

export class LiveConnection {
  status = $state<ConnectionStatus>('connecting');
  /** The server's sentence when it refused this socket. */
  refusal = $state<string | null>(null);
  readonly socket: TablehopSocket;
  private detachClock: (() => void) | null = null;
  private everConnected = false;

  constructor(
    identity: SocketIdentity,
    private readonly onRefused: (message: string) => void = () => {},
  ) {
    this.socket = createSocket(identity);
    this.socket.on('connect', () => {
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
    this.socket.connect();
  }

  close(): void {
    this.detachClock?.();
    this.detachClock = null;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}

/** Accept a snapshot unless it is older than what we show (messages from two instances can cross). */
export function isCurrent(shown: { version: number } | null, incoming: { version: number }): boolean {
  return shown === null || incoming.version >= shown.version;
}
