// A worker process of bench:fanout: holds a share of the phones (socket.io-client) and
// reports, per phone, when each seat message arrived. Talks to the parent over IPC.
import { io, type Socket } from 'socket.io-client';

type Command =
  | { type: 'connect'; phones: { url: string; auth: Record<string, unknown> }[] }
  | { type: 'report' }
  | { type: 'count'; version: number }
  | { type: 'close' };

const sockets: Socket[] = [];
/** For each phone: version → local receive time of its seat:changed. */
const seatsAt: Map<number, number>[] = [];
/** For each phone: receive time and sentAt of the baseline broadcast. */
const baselineLatency: number[] = [];
/** Seat messages a sample of phones got, as JSON text: the floor broadcasts one like them. */
const seatSamples: string[] = [];

function send(message: unknown): void {
  process.send?.(message);
}

async function connectAll(phones: { url: string; auth: Record<string, unknown> }[]): Promise<void> {
  let ready = 0;
  let failed = 0;
  const batch = 200;
  for (let start = 0; start < phones.length; start += batch) {
    await Promise.all(
      phones.slice(start, start + batch).map(
        (phone) =>
          new Promise<void>((resolve) => {
            const index = sockets.length;
            const socket = io(phone.url, { transports: ['websocket'], auth: phone.auth, forceNew: true, reconnection: false, timeout: 20_000 });
            sockets.push(socket);
            seatsAt.push(new Map());
            const done = (ok: boolean) => {
              if (ok) ready++;
              else failed++;
              resolve();
            };
            // A Tablehop phone is ready once its snapshot arrived; a bare-server phone once connected.
            socket.once('me:snapshot', () => done(true));
            socket.once('connect', () => {
              if (phone.auth.bare) done(true);
            });
            socket.once('connect_error', () => done(false));
            socket.on('seat:changed', (message: { event: { version: number } }) => {
              seatsAt[index]!.set(message.event.version, Date.now());
              if (index % 100 === 0) seatSamples.push(JSON.stringify(message));
            });
            socket.on('bare:seat', (message: { sentAt: number }) => baselineLatency.push(Date.now() - message.sentAt));
          }),
      ),
    );
  }
  send({ type: 'connected', ready, failed });
}

process.on('message', (command: Command) => {
  if (command.type === 'connect') void connectAll(command.phones);
  if (command.type === 'count') {
    let have = 0;
    for (const seats of seatsAt) if (seats.has(command.version)) have++;
    send({ type: 'count', have, of: seatsAt.length });
  }
  if (command.type === 'report') {
    send({ type: 'report', seats: seatsAt.map((m) => Object.fromEntries(m)), baseline: baselineLatency.splice(0), seatSamples: [...seatSamples] });
  }
  if (command.type === 'close') {
    for (const socket of sockets) socket.disconnect();
    sockets.length = 0;
    seatsAt.length = 0;
    send({ type: 'closed' });
  }
});
send({ type: 'up' });
