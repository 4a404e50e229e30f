// A phase change at a big event sends thousands of seat messages that share one part
// (the phase) and differ in another (the seat). Socket.IO's emit would JSON-encode each
// whole message (walking it for binary data first), build every packet afresh and frame
// it; here the shared part is encoded once per change, each seat once per plan, and each
// phone's websocket frame is spliced from those and written straight to its websocket
// (sendFrame, below). On the wire it is exactly what `socket.emit` sends (Socket.IO protocol v5:
// an EVENT on the main namespace, in an engine.io message), so phones decode it with the
// standard parser. Measured with bench:fanout.
import { PacketType } from 'socket.io-parser';
import type { ServerToClientEvents } from '../../shared/protocol';
import type { TablehopSocket } from './rooms';

/** One websocket frame, header and payload, ready to be written as it is. */
export type Frame = Buffer;

/** Where the text between a packet's head and tail lies, for each phone: `source[starts[i], ends[i])`. */
export interface Middles {
  source: Buffer;
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
}

/**
 * The websocket frames of EVENT packets `event` whose payloads are `${head}${middle}${tail}`,
 * one per middle (JSON, as UTF-8 bytes). Every frame goes into one buffer outside the JS heap,
 * each as one piece: thousands of packets waiting to be written then neither slow the garbage
 * collector nor need two writes each (measured by bench:fanout).
 */
export function eventFrames(event: keyof ServerToClientEvents, head: string, middles: Middles, tail: string): Frame[] {
  // "4": an engine.io message, the prefix engine.io writes before every Socket.IO packet.
  const before = Buffer.from(`4${PacketType.EVENT}[${JSON.stringify(event)},${head}`);
  const after = Buffer.from(`${tail}]`);
  const { source, starts, ends } = middles;
  let total = 0;
  for (let i = 0; i < starts.length; i++) {
    const length = before.length + ends[i]! - starts[i]! + after.length;
    total += headerLength(length) + length;
  }
  const all = Buffer.allocUnsafeSlow(total);
  const frames: Frame[] = [];
  let at = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = at;
    const length = before.length + ends[i]! - starts[i]! + after.length;
    at = writeHeader(all, at, length);
    all.set(before, at);
    at += before.length;
    at += source.copy(all, at, starts[i], ends[i]);
    all.set(after, at);
    at += after.length;
    frames.push(all.subarray(start, at));
  }
  return frames;
}

// A final, unmasked text frame (RFC 6455 §5.2), as a server writes it: 0x81, then the payload
// length in 7 bits, or 126 and 16 bits, or 127 and 64 bits.
function headerLength(payload: number): number {
  return payload < 126 ? 2 : payload < 65536 ? 4 : 10;
}

function writeHeader(target: Buffer, at: number, payload: number): number {
  target[at] = 0x81;
  if (payload < 126) {
    target[at + 1] = payload;
    return at + 2;
  }
  if (payload < 65536) {
    target[at + 1] = 126;
    target.writeUInt16BE(payload, at + 2);
    return at + 4;
  }
  target[at + 1] = 127;
  target.writeBigUInt64BE(BigInt(payload), at + 2);
  return at + 10;
}

/** What sendFrame reaches for in engine.io's connection (not in its types). */
interface Connection {
  readyState: string;
  /** Packets engine.io holds until the previous write has gone out. */
  writeBuffer: unknown[];
  transport?: { socket?: { readyState?: number; _sender?: { sendFrame?: (list: Buffer[], cb?: () => void) => void } } };
}

const OPEN = 1;

/**
 * Sends a frame made by `eventFrames` to one socket. engine.io writes a pre-encoded frame
 * as it is (the way Socket.IO's adapter sends broadcasts) on a websocket without
 * compression, which is the only transport Tablehop's sockets use, with ws's
 * `Sender#sendFrame`. When engine.io holds nothing back for this socket the frame goes to
 * that same call directly: engine.io's packet, events and write callback around it cost
 * about 20 ms of the server's CPU in a change to 5,000 phones (process.cpuUsage around the
 * fan-out in bench:fanout, steady state: 77–89 ms a change through engine.io, 61–68 ms without). When it
 * does hold packets, the frame queues behind them, so a phone reads its messages in the
 * order they were sent (test/integration/seatFrames.test.ts).
 */
export function sendFrame(socket: TablehopSocket, frame: Frame): void {
  const conn = socket.conn as unknown as Connection;
  const ws = conn.transport?.socket;
  const sender = ws?._sender;
  if (conn.readyState === 'open' && conn.writeBuffer.length === 0 && ws?.readyState === OPEN && typeof sender?.sendFrame === 'function') {
    sender.sendFrame([frame]);
    return;
  }
  socket.conn.send('', { wsPreEncodedFrame: [frame] } as never);
}
