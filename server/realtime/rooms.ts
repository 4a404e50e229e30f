// Room names and the typed Socket.IO server, shared by the connection handlers and the fan-out.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, EventGoneReason, ServerToClientEvents } from '../../shared/protocol';

export type Audience = 'participant' | 'screen' | 'control';

export interface SocketData {
  eventId: string;
  audience: Audience;
  participantId?: string;
  /** SHA-256 of the token a phone connected with: compared with the store's before each message. */
  tokenHash?: string;
  /** The client's address by the TRUST_PROXY rule (what per-address limits count). */
  address: string;
}

/** A committed change one instance tells every instance about (each then updates its own sockets). */
export type Change =
  /** `seats`: whether anyone's seat or next seat may have moved (not for pause, resume, +1 min). */
  | { kind: 'phase'; eventId: string; seats: boolean }
  | { kind: 'roster'; eventId: string }
  | { kind: 'ratings'; eventId: string }
  | { kind: 'presence'; eventId: string }
  | { kind: 'seats'; eventId: string; participantIds: string[] }
  | { kind: 'people'; eventId: string; participantIds: string[] }
  | { kind: 'revoked'; eventId: string; participantId: string }
  | { kind: 'deleted'; eventId: string; reason: EventGoneReason };

export interface InterServerEvents {
  change: (change: Change) => void;
  /** Which of these people have a phone on your instance? (for Control's "online" column) */
  online: (eventId: string, reply: (participantIds: string[]) => void) => void;
}

export type TablehopServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TablehopSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const eventRoom = (eventId: string) => `e:${eventId}`;
export const screenRoom = (eventId: string) => `screen:${eventId}`;
export const controlRoom = (eventId: string) => `control:${eventId}`;
export const personRoom = (participantId: string) => `p:${participantId}`;
