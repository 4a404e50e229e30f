// The one place the client touches Socket.IO. Stores open a socket here and call the
// typed helpers below; components never emit.
import { io, type Socket } from 'socket.io-client';
import type { PublicEventState } from '../../../shared/domain';
import { PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type ServerToClientEvents } from '../../../shared/protocol';
import type { OrganizerActionInput } from '../../../shared/schemas';

export type TablehopSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Who this socket speaks for; the protocol version is added here. */
export type SocketIdentity = { token: string } | { eventId: string; organizerKey?: string };

/** How long to wait for an acknowledgement before telling the person to retry. */
const ACK_TIMEOUT_MS = 8_000;

/**
 * Reconnect backoff: first retry after ~0.3 s, never more than 2 s apart, so a phone is
 * back within 2 s of the server (or the Wi-Fi) returning. The ±50 % jitter spreads a
 * hundred phones reconnecting after a restart.
 */
const RECONNECT_DELAY_MS = 300;
export const RECONNECT_DELAY_MAX_MS = 2_000;
/** A handshake that hangs this long (a half-dead Wi-Fi) is abandoned and retried. */
const CONNECT_TIMEOUT_MS = 5_000;

const NO_ANSWER = 'No answer from the server — check your connection and try again.';

/**
 * A socket for one view. Websocket only (no long-polling, so no sticky sessions behind a
 * proxy); not connected until the store has attached its listeners.
 */
export function createSocket(identity: SocketIdentity): TablehopSocket {
  return io({
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    randomizationFactor: 0.5,
    timeout: CONNECT_TIMEOUT_MS,
    auth: { v: PROTOCOL_VERSION, ...identity },
  });
}

/** One NTP-style sample: the server's clock, read halfway through a round trip. */
export async function pingClock(
  socket: TablehopSocket,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<{ sentAt: number; serverNow: number; receivedAt: number } | null> {
  const sentAt = Date.now();
  try {
    const reply = await socket.timeout(timeoutMs).emitWithAck('clock:ping', { clientSentAt: sentAt });
    // Refused (pinging too often): no sample this time.
    if ('ok' in reply) return null;
    return { sentAt: reply.clientSentAt ?? sentAt, serverNow: reply.serverNow, receivedAt: Date.now() };
  } catch {
    return null;
  }
}

export interface RatingPayload {
  round: number;
  targetId: string;
  score: number;
  tags?: string[];
  note?: string;
}

export async function submitRating(socket: TablehopSocket, rating: RatingPayload): Promise<Ack<{ round: number; targetId: string }>> {
  try {
    return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('rating:submit', rating);
  } catch {
    return { ok: false, status: 0, message: NO_ANSWER };
  }
}

export async function sendOrganizerAction(socket: TablehopSocket, action: OrganizerActionInput): Promise<Ack<PublicEventState>> {
  try {
    return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('organizer:action', action);
  } catch {
    return { ok: false, status: 0, message: NO_ANSWER };
  }
}
