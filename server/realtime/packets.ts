// A phase change at a big event sends thousands of seat messages that share one part
// (the phase) and differ in another (the seat). Socket.IO's emit would JSON-encode each
// whole message (walking it for binary data first) and build every packet afresh; here
// the shared part is encoded once per change, each seat once, and the packet text is
// written straight to the phone's engine.io connection. On the wire it is exactly the
// packet `socket.emit` writes (Socket.IO protocol v5: an EVENT on the main namespace),
// so phones decode it with the standard parser. Measured with bench:fanout.
import { PacketType } from 'socket.io-parser';
import type { ServerToClientEvents } from '../../shared/protocol';
import type { TablehopSocket } from './rooms';

/** The text of an EVENT packet on "/" for `event`, whose payload is the JSON text `json`. */
export function eventPacket(event: keyof ServerToClientEvents, json: string): string {
  return `${PacketType.EVENT}[${JSON.stringify(event)},${json}]`;
}

/** Sends a packet made by `eventPacket` to one socket, as `socket.emit` would. */
export function sendPacket(socket: TablehopSocket, packet: string): void {
  socket.conn.send(packet);
}
