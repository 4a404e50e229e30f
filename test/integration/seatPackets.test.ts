// Seat packets are encoded by hand and handed to engine.io (server/realtime/packets.ts),
// not emitted. Over a real socket a phone must read every message, hand-encoded or
// emitted, once and in the order the server sent them, also when engine.io is still
// holding packets from a write that has not gone out yet.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { eventPackets, sendPacket } from '../../server/realtime/packets';
import type { TablehopSocket } from '../../server/realtime/rooms';
import { SOCKET_OPTIONS } from '../../server/realtime/socketOptions';
import { waitFor } from '../support/http';

let http: HttpServer | undefined;
let server: Server | undefined;
let phone: Socket | undefined;

afterEach(async () => {
  phone?.disconnect();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  http = server = phone = undefined;
});

/** The packets of `seat:changed` messages {"n": k}, one per k. */
function packetsOf(ns: number[]) {
  const texts = ns.map((n) => Buffer.from(String(n)));
  const source = Buffer.concat(texts);
  const starts = texts.map((_, i) => texts.slice(0, i).reduce((sum, t) => sum + t.length, 0));
  const ends = starts.map((start, i) => start + texts[i]!.length);
  return eventPackets('seat:changed', '{"n":', { source, starts, ends }, '}');
}

/** A server that, once the phone is connected, runs `burst` on its socket; the phone's inbox. */
async function connectWith(burst: (socket: ServerSocket) => void): Promise<number[]> {
  http = createServer();
  server = new Server(http, SOCKET_OPTIONS);
  server.on('connection', (socket) => socket.on('ready', () => burst(socket)));
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const inbox: number[] = [];
  phone = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  phone.on('seat:changed', (message: { n: number }) => inbox.push(message.n));
  await new Promise<void>((resolve, reject) => {
    phone!.once('connect', resolve);
    phone!.once('connect_error', reject);
  });
  phone.emit('ready');
  return inbox;
}

describe('seat packets among a socket’s other messages', () => {
  it('reach the phone once each and in order, written while engine.io holds packets back and while it holds none', async () => {
    const count = 600;
    const packets = packetsOf(Array.from({ length: count }, (_, n) => n));
    const inbox = await connectWith((socket) => {
      // All in one tick: after the first emit engine.io waits for its write to go out and
      // holds every emit after it; a packet sent then must wait behind them.
      for (let n = 0; n < count; n++) {
        if (n % 3 === 0 || n % 7 === 0) socket.emit('seat:changed', { n });
        else sendPacket(socket as unknown as TablehopSocket, packets[n]!);
      }
    });
    await waitFor(() => inbox.length >= count, 5000);
    expect(inbox).toEqual(Array.from({ length: count }, (_, n) => n));
  });

  it('reach the phone in order when each change comes after the last has gone out', async () => {
    const packets = packetsOf([0, 2, 3, 5]);
    const inbox = await connectWith((socket) => {
      sendPacket(socket as unknown as TablehopSocket, packets[0]!);
      setTimeout(() => {
        socket.emit('seat:changed', { n: 1 });
        sendPacket(socket as unknown as TablehopSocket, packets[1]!);
        setImmediate(() => {
          sendPacket(socket as unknown as TablehopSocket, packets[2]!);
          socket.emit('seat:changed', { n: 4 });
          sendPacket(socket as unknown as TablehopSocket, packets[3]!);
        });
      }, 50);
    });
    await waitFor(() => inbox.length >= 6, 5000);
    expect(inbox).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
