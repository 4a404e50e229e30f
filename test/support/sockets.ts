// A socket.io-client socket that records everything it is told: a phone, a projector or a
// Control page as a test sees them. Each one closes itself when the test that opened it
// finishes, so tests keep no list of sockets to close. No reconnection unless asked: a test
// sees every refusal.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { onTestFinished } from 'vitest';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/protocol';
import { waitFor } from './http';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
export type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

export interface TapOptions extends Partial<ManagerOptions & SocketOptions> {
  /** Send `auth` exactly as given, without this client's protocol version (to test old clients' refusal). */
  authAsIs?: boolean;
}

/** A socket and everything it has received, in order. */
export interface Tap {
  socket: Client;
  /** The same socket without the protocol's types, to send what a broken client might. */
  raw: Socket;
  inbox: { event: string; payload: any; at: number }[];
  /** Every message of one kind received so far. */
  all<E extends ServerEvent>(event: E): Payload<E>[];
  /** The latest message of one kind, if any. */
  last<E extends ServerEvent>(event: E): Payload<E> | undefined;
  /** Waits for a message of one kind (received at any time) that satisfies `where`. */
  find<E extends ServerEvent>(event: E, where?: (payload: Payload<E>) => boolean, what?: string): Promise<Payload<E>>;
  /** Waits until `n` messages of one kind have arrived; returns the n-th. */
  nth<E extends ServerEvent>(event: E, n: number): Promise<Payload<E>>;
  /**
   * A clock:ping round trip. Messages on one socket arrive in order, so anything the server
   * emitted to this socket before it answered the ping has arrived once this resolves.
   */
  sync(): Promise<void>;
  /** Resolves with the reason once the socket is disconnected (by either side). */
  disconnected: Promise<string>;
}

/** Opens a socket (it starts connecting at once); it is closed when the current test finishes. */
export function openTap(url: string, auth: Record<string, unknown>, { authAsIs = false, ...options }: TapOptions = {}): Tap {
  const socket: Client = io(url, {
    transports: ['websocket'],
    auth: authAsIs ? auth : { v: PROTOCOL_VERSION, ...auth },
    forceNew: true,
    reconnection: false,
    ...options,
    autoConnect: false,
  });
  onTestFinished(() => {
    socket.io.opts.reconnection = false;
    socket.disconnect();
  });
  const inbox: Tap['inbox'] = [];
  // Listening before connecting: the snapshot sent on connect must not slip past.
  socket.onAny((event: string, payload: unknown) => inbox.push({ event, payload, at: Date.now() }));
  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  socket.connect();
  const all = <E extends ServerEvent>(event: E) => inbox.filter((m) => m.event === event).map((m) => m.payload as Payload<E>);
  return {
    socket,
    raw: socket as unknown as Socket,
    inbox,
    all,
    last: (event) => all(event).at(-1),
    find: (event, where = () => true, what = event) => waitFor(() => all(event).find(where), 5000, what),
    nth: (event, n) => waitFor(() => all(event)[n - 1], 5000, `message ${n} of ${event}`),
    async sync() {
      await socket.timeout(5000).emitWithAck('clock:ping', { clientSentAt: Date.now() });
    },
    disconnected,
  };
}

export interface Handshake {
  tap: Tap;
  /** The refusal's message, when the server refused the socket. */
  refusal?: string;
  /** The refusal's machine-readable code, if it carried one. */
  code?: unknown;
}

/** Opens a socket and resolves once the server has let it in or refused it. */
export function handshake(url: string, auth: Record<string, unknown>, options: TapOptions = {}): Promise<Handshake> {
  const tap = openTap(url, auth, options);
  return new Promise((resolve) => {
    tap.socket.once('connect', () => resolve({ tap }));
    tap.socket.once('connect_error', (error) => resolve({ tap, refusal: error.message, code: (error as { data?: { code?: unknown } }).data?.code }));
  });
}

/** Opens a socket and waits until the server has let it in; rejects with the refusal's message. */
export async function connectTap(url: string, auth: Record<string, unknown>, options: TapOptions = {}): Promise<Tap> {
  const { tap, refusal } = await handshake(url, auth, options);
  if (refusal !== undefined) throw new Error(`refused: ${refusal}`);
  return tap;
}

/** Opens a socket the server should refuse; resolves with the refusal's message (rejects if it connects). */
export async function refusedTap(url: string, auth: Record<string, unknown>, options: TapOptions = {}): Promise<string> {
  const { refusal } = await handshake(url, auth, options);
  if (refusal === undefined) throw new Error(`connected with ${JSON.stringify(auth)}`);
  return refusal;
}

/** A phone signed in with its token, once its first me:snapshot has arrived. */
export async function phoneTap(url: string, token: string, options: TapOptions = {}): Promise<Tap> {
  const tap = await connectTap(url, { token }, options);
  await tap.find('me:snapshot', () => true, 'the first me:snapshot');
  return tap;
}
