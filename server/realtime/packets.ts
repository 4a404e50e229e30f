// A phase change at a big event sends thousands of seat messages that share one part
// (the phase) and differ in another (the seat). Socket.IO's emit would JSON-encode each
// whole message (walking it for binary data first) and build every packet afresh; here
// the shared part is encoded once per change, each seat once per plan, and each phone's
// packet is spliced from those and handed to engine.io's public `send`, as Socket.IO's own
// broadcasts hand it packets they encoded once. On the wire it is exactly what
// `socket.emit` sends (Socket.IO protocol v5: an EVENT on the main namespace, in an
// engine.io message), so phones decode it with the standard parser, and engine.io queues
// it with the socket's other messages, so a phone reads them in the order they were sent.
import { PacketType } from 'socket.io-parser';
import type { ServerToClientEvents } from '../../shared/protocol';
import type { TablehopSocket } from './rooms';

/** A Socket.IO packet, encoded: what engine.io sends as the payload of one message. */
export type Packet = string;

/** Where the text between a packet's head and tail lies, for each phone: `source[starts[i], ends[i])`. */
export interface Middles {
  source: Buffer;
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
}

/**
 * The EVENT packets `event` whose payloads are `${head}${middle}${tail}`, one per middle
 * (JSON, as UTF-8 bytes).
 */
export function eventPackets(event: keyof ServerToClientEvents, head: string, middles: Middles, tail: string): Packet[] {
  const before = `${PacketType.EVENT}[${JSON.stringify(event)},${head}`;
  const after = `${tail}]`;
  const { source, starts, ends } = middles;
  const packets: Packet[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) packets[i] = before + source.toString('utf8', starts[i], ends[i]) + after;
  return packets;
}

/** Sends a packet made by `eventPackets` to one socket, behind whatever engine.io holds for it. */
export function sendPacket(socket: TablehopSocket, packet: Packet): void {
  socket.conn.send(packet);
}
