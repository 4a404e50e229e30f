// Socket-level fuzzing, beside the HTTP fuzz in fuzz.test.ts: malformed handshakes, raw
// engine.io and Socket.IO packets over a bare WebSocket, wrong payloads for every client
// event from every kind of socket, and floods. Afterwards the server is up, every ack was a
// status with a sentence, and the event is exactly what it was. Counts what it tried.
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientEvents, PROTOCOL_VERSION } from '../../shared/protocol';
import { everythingStored } from '../support/eventDump';
import { api } from '../support/http';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { connectTap } from '../support/sockets';


const FAST_CHECK = { seed: 20261123, endOnFailure: true } as const;
/** Anything JSON can carry, some of it nasty; small enough to stay under the 64 KB message limit. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false }),
  fc.constantFrom('\u0000', '\ud800', '__proto__', -1, 1e308, Number.MAX_SAFE_INTEGER, [], {}, null, true),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'round', 'score', 'targetId', 'action', 'seconds', 'clientSentAt'), fc.anything({ maxDepth: 1 })),
);

const everything = (server: TestServer, eventId: string, tokens: string[]) => everythingStored(server.store, eventId, tokens);

/** A bare WebSocket speaking engine.io by hand: what it was sent, and whether it closed. */
function rawSocket(url: string, query = 'EIO=4&transport=websocket'): Promise<{ ws: WebSocket; frames: string[]; closed: Promise<void> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?${query}`);
  const frames: string[] = [];
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('message', (data) => frames.push(String(data)));
  ws.on('error', () => {});
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', () => resolve({ ws, frames, closed: Promise.resolve() }));
    ws.once('close', () => resolve({ ws, frames, closed: Promise.resolve() }));
  });
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(STORE_KINDS)('socket fuzzing on the %s store', (kind) => {
  it('survives malformed handshakes, raw packets, wrong payloads for every event and floods', async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Socket fuzz', rounds: 3, roundSeconds: 3600, seatsPerTable: 2 })).body;
    const people = [];
    for (const [name, role] of [['M', 'mentor'], ['a', 'mentee'], ['b', 'mentee']] as const) people.push((await http.post('/api/join', { code: event.code, name, role })).body);
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    await http.post(`/api/events/${event.id}/actions`, { action: 'pause' }, event.organizerKey);
    const [mentor, menteeA] = people;
    const tokens = people.map((p) => p.token as string);
    const before = await everything(server, event.id, tokens);
    const tried: Record<string, number> = {};
    const count = (what: string, n = 1) => void (tried[what] = (tried[what] ?? 0) + n);
    const problems: string[] = [];

    const connect = async (auth: Record<string, unknown>) => (await connectTap(server.url, auth)).raw;
    const phone = await connect({ token: mentor.token });
    const screen = await connect({ eventId: event.id });
    const control = await connect({ eventId: event.id, organizerKey: event.organizerKey });

    // 1. Handshakes: junk auth, through socket.io-client. Each is refused with a sentence.
    await fc.assert(
      fc.asyncProperty(fc.oneof(junk, fc.dictionary(fc.constantFrom('v', 'token', 'eventId', 'organizerKey'), junk)), async (auth) => {
        count('handshakes');
        const outcome = await new Promise<string>((resolve) => {
          const socket = io(server.url, { transports: ['websocket'], auth: auth as Record<string, unknown>, forceNew: true, reconnection: false, timeout: 3000 });
          socket.once('connect', () => (socket.disconnect(), resolve('connected')));
          socket.once('connect_error', (error) => (socket.disconnect(), resolve(error.message || 'no message')));
          // auth that is not an object never leaves the client as a CONNECT (socket.io-client drops it)
          socket.once('disconnect', (reason) => resolve(`disconnected: ${reason}`));
          setTimeout(() => (socket.disconnect(), resolve('no answer in 3 s')), 3000);
        });
        // Auth that is not an object breaks the protocol itself: Socket.IO's parser drops the
        // connection before Tablehop sees it. An object always gets Tablehop's sentence.
        const isObject = typeof auth === 'object' && auth !== null && !Array.isArray(auth);
        if (outcome === 'connected' || outcome === 'no message' || /timeout|no answer/.test(outcome) || (isObject && outcome.startsWith('disconnected'))) problems.push(`handshake ${JSON.stringify(auth)?.slice(0, 120)} → ${outcome}`);
      }),
      { ...FAST_CHECK, numRuns: 150 },
    );

    // 2. Raw engine.io: bad query strings, then bad packets on one bare WebSocket each.
    for (const query of ['EIO=3&transport=websocket', 'EIO=x&transport=websocket', 'EIO=4&transport=polling', 'EIO=4&transport=websocket&sid=nosuchsid', 'transport=websocket', '']) {
      count('raw engine.io queries');
      const { ws, closed } = await rawSocket(server.url, query);
      ws.terminate();
      await closed;
    }
    const rawPackets = [
      '', '0', '1', '2', '3', '4', '5', '6', '9', 'x', '2probe', '40', '40{', '40[]', '40"token"', '40{"v":2}', '40{"v":2,"token":1}',
      `40{"v":2,"token":"${'t'.repeat(5000)}"}`, '41', '42', '42[', '42[]', '42{}', '42["nope"]', '42["rating:submit"]', '421["clock:ping"]',
      '4299999999999999999999["clock:ping",{}]', '43', '431[]', '44{"message":"x"}', '45', '451-["rating:submit",{"_placeholder":true,"num":0}]',
      '46', '4/other,["x"]', '4/admin,', '40/nsp,{}', '\u0000', '4\ud800', '42["__proto__",{}]', '42["constructor"]',
    ];
    const binaryPackets = [Buffer.from([0]), Buffer.from([4, 2, 255]), Buffer.alloc(1000, 0xff)];
    for (const packet of [...rawPackets, ...binaryPackets]) {
      count('raw packets');
      const { ws, closed } = await rawSocket(server.url);
      ws.send(packet);
      await Promise.race([closed, settle(30)]);
      ws.terminate();
    }
    // Raw Socket.IO packets on a connected, authenticated bare socket: acks come back as 43<id>[reply].
    const bare = await rawSocket(server.url);
    bare.ws.send(`40${JSON.stringify({ v: PROTOCOL_VERSION, token: mentor.token })}`);
    await settle(200);
    const rawEvents = await fc.sample(
      fc.tuple(fc.constantFrom(...Object.values(ClientEvents)), junk).map(([name, payload]) => JSON.stringify([name, payload])),
      { seed: FAST_CHECK.seed, numRuns: 300 },
    );
    rawEvents.forEach((frame, i) => {
      count('raw events with acks');
      bare.ws.send(`42${i + 1}${frame}`);
    });
    await settle(500);
    const acks = bare.frames.filter((f) => f.startsWith('43'));
    expect(acks.length, 'every raw event was answered').toBe(rawEvents.length);
    for (const ack of acks) {
      const reply = JSON.parse(ack.replace(/^43\d+/, ''))[0];
      if (!(typeof reply?.serverNow === 'number' || (reply?.ok === false && reply.status >= 400 && reply.status < 500 && reply.message))) problems.push(`raw ack ${ack.slice(0, 200)}`);
    }
    bare.ws.terminate();

    // 3. Wrong payloads for every client event, from every kind of socket, with and without acks.
    for (const [who, socket] of [['phone', phone], ['screen', screen], ['control', control]] as const) {
      for (const name of Object.values(ClientEvents)) {
        await fc.assert(
          fc.asyncProperty(junk, async (payload) => {
            count('wrong payloads');
            const reply = await socket.timeout(5000).emitWithAck(name as 'rating:submit', payload).catch((error: Error) => ({ ok: 'no answer', error: error.message }));
            const fine = name === ClientEvents.clockPing ? typeof (reply as { serverNow?: unknown }).serverNow === 'number' : reply.ok === false && reply.status >= 400 && reply.status < 500 && Boolean(reply.message);
            if (!fine) problems.push(`${who} ${name} ${JSON.stringify(payload)?.slice(0, 80)} → ${JSON.stringify(reply).slice(0, 160)}`);
          }),
          { ...FAST_CHECK, numRuns: 100 },
        ).catch((error: unknown) => problems.push(`${who} ${name}: ${String(error).slice(0, 500)}`));
        // Fire and forget, and extra arguments: nothing to answer, nothing may break.
        socket.emit(name as 'rating:submit', { round: 'x' }, 'extra', 3);
        socket.emit(name as 'rating:submit', undefined as unknown as object);
        count('wrong payloads', 2);
      }
    }

    // 4. Floods: every message answered, the limits bite, the socket stays.
    const flood = async (socket: Socket, name: string, payload: unknown, n: number) => {
      count('flood messages', n);
      const replies = await Promise.all(Array.from({ length: n }, () => socket.timeout(10_000).emitWithAck(name, payload).catch(() => ({ ok: 'no answer' }))));
      const tally: Record<string, number> = {};
      for (const reply of replies as { ok?: unknown; status?: number; message?: string; serverNow?: number }[]) {
        const key = typeof reply.serverNow === 'number' ? 'answered' : reply.ok === false && reply.message ? String(reply.status) : `bad ${JSON.stringify(reply).slice(0, 60)}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      return tally;
    };
    // A round not held yet: refused (409) until the person's budget (60 a minute) runs out, then 429.
    expect(await flood(phone, 'rating:submit', { round: 3, targetId: menteeA.participantId, score: 5 }, 1000)).toEqual({ 409: 60, 429: 940 });
    // The event is paused already: "pause" is refused until the event's budget (120, two used) runs out.
    expect(await flood(control, 'organizer:action', { action: 'pause' }, 1000)).toEqual({ 409: 118, 429: 882 });
    // Pings: 120 a minute per socket (a fresh one: the others pinged above).
    expect(await flood(await connect({ eventId: event.id }), 'clock:ping', { clientSentAt: 1 }, 1000)).toEqual({ answered: 120, 429: 880 });

    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(`socket fuzz (${kind}): ${total} inputs`, tried);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(4000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(phone.connected && screen.connected && control.connected).toBe(true);
    expect(await phone.timeout(5000).emitWithAck('rating:submit', { round: 1 })).toMatchObject({ ok: false, status: 400 });
    expect(await everything(server, event.id, tokens)).toBe(before);
  }, 60_000);
});
