// How a page learns that its event no longer exists, with real socket.io-client sockets
// against a real server: a deleted event tells every open socket `event:gone` before
// hanging up, and a handshake refused for an unknown event, token or key carries a
// machine-readable reason beside its sentence (so pages never parse English).
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ClientToServerEvents, type HandshakeRefusal, type ServerToClientEvents } from '../../shared/protocol';
import { api } from '../support/http';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe.each(STORE_KINDS)('an event that is gone, on the %s store', (kind) => {
  let server: TestServer | undefined;
  const sockets: Client[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server?.close();
    server = undefined;
  });

  function socket(auth: Record<string, unknown>): Client {
    const client: Client = io(server!.url, { transports: ['websocket'], reconnection: false, auth });
    sockets.push(client);
    return client;
  }

  const connected = (client: Client) =>
    new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', (error) => reject(new Error(`refused: ${error.message}`)));
    });

  /** The refusal of a handshake the server should refuse: its sentence and its data. */
  const refusal = (auth: Record<string, unknown>) =>
    new Promise<{ message: string; data: HandshakeRefusal }>((resolve, reject) => {
      const client = socket(auth);
      client.once('connect', () => reject(new Error('the server let it in')));
      client.once('connect_error', (error) => resolve({ message: error.message, data: (error as Error & { data: HandshakeRefusal }).data }));
    });

  async function openEvent() {
    server = await startServer(kind);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Gone night', rounds: 2, roundSeconds: 600 })).body;
    const mentor = (await http.post('/api/join', { code: event.code, name: 'Grace', role: 'mentor' })).body;
    const mentee = (await http.post('/api/join', { code: event.code, name: 'Ada', role: 'mentee' })).body;
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    return { http, event, mentor, mentee };
  }

  it('tells the projector, Control and the phones that it was deleted, then hangs up', async () => {
    const { http, event, mentee } = await openEvent();
    const v = PROTOCOL_VERSION;
    const pages = [socket({ v, eventId: event.id }), socket({ v, eventId: event.id, organizerKey: event.organizerKey }), socket({ v, token: mentee.token })];
    await Promise.all(pages.map(connected));

    const told = pages.map(
      (page) =>
        new Promise<{ gone: unknown; reason: string }>((resolve) => {
          let gone: unknown;
          page.on('event:gone', (message) => (gone = message));
          // The message must come before the hang-up: a page told nothing would only retry.
          page.on('disconnect', (reason) => resolve({ gone, reason }));
        }),
    );
    expect((await http.del(`/api/events/${event.id}`, event.organizerKey)).status).toBe(200);
    for (const { gone, reason } of await Promise.all(told)) {
      expect(gone).toEqual({ id: event.id, reason: 'deleted' });
      expect(reason).toBe('io server disconnect');
    }

    // Coming back is refused, with the reason as data.
    expect(await refusal({ v, eventId: event.id })).toEqual({ message: expect.stringMatching(/no event with that id/), data: { code: 'event_not_found' } });
    expect((await refusal({ v, eventId: event.id, organizerKey: event.organizerKey })).data).toEqual({ code: 'event_not_found' });
    expect((await refusal({ v, token: mentee.token })).data).toEqual({ code: 'token_unknown' });
  });

  it('tells the pages of an event left untouched in the lobby that it expired, when the sweep deletes it', async () => {
    server = await startServer(kind);
    const http = api(server.url);
    const idle = (await http.post('/api/events', { name: 'Never started' })).body;
    const kept = (await http.post('/api/events', { name: 'Started', rounds: 2, roundSeconds: 600 })).body;
    await http.post('/api/join', { code: kept.code, name: 'Grace', role: 'mentor' });
    await http.post('/api/join', { code: kept.code, name: 'Ada', role: 'mentee' });
    await http.post(`/api/events/${kept.id}/actions`, { action: 'start' }, kept.organizerKey);
    const v = PROTOCOL_VERSION;
    const projector = socket({ v, eventId: idle.id });
    const other = socket({ v, eventId: kept.id });
    await Promise.all([connected(projector), connected(other)]);
    const told = new Promise<unknown>((resolve) => projector.on('event:gone', resolve));
    let otherTold = false;
    other.on('event:gone', () => (otherTold = true));

    // What the phase ticker does once a minute, seen a day after the test store's hour in the lobby.
    expect(await server.app.events.sweep(Date.now() + 86_400_000)).toEqual([idle.id]);
    expect(await told).toEqual({ id: idle.id, reason: 'expired' });
    expect((await http.get(`/api/events/${idle.id}/state`)).status).toBe(404);
    expect((await http.get(`/api/events/${kept.id}/state`)).status).toBe(200);
    expect(otherTold).toBe(false);
  });

  it('gives every refused handshake a reason a page can branch on', async () => {
    const { event, mentor } = await openEvent();
    const v = PROTOCOL_VERSION;
    const code = async (auth: Record<string, unknown>) => (await refusal(auth)).data.code;
    expect(await code({ v, eventId: 'no-such-event' })).toBe('event_not_found');
    expect(await code({ v, eventId: 'no-such-event', organizerKey: event.organizerKey })).toBe('event_not_found');
    expect(await code({ v, eventId: event.id, organizerKey: 'wrong-key' })).toBe('wrong_key');
    expect(await code({ v, token: 'not-a-real-token' })).toBe('token_unknown');
    expect(await code({ v: v + 1, token: mentor.token })).toBe('outdated');
    expect(await code({ v })).toBe('bad_handshake');
    expect(await code({})).toBe('bad_handshake');
  });
});
