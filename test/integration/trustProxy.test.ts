// TRUST_PROXY: whose X-Forwarded-For the server believes. By default nobody's, so a client
// that writes a new address into the header each time is still one address to every limit;
// behind a trusted proxy each real client (as the proxy reports it) counts on its own.
// HTTP and sockets follow the same rule.
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrustProxy } from '../../server/http/clientAddress';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { api } from '../support/http';
import { startServer, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

async function boot(trustProxy: TrustProxy) {
  const server = await startServer('sqlite', { config: { trustProxy, wrongCodesLimit: 3, maxSocketsPerAddress: 2 } });
  servers.push(server);
  const http = api(server.url);
  const event = (await http.post('/api/events', { name: 'Proxied' })).body as { id: string; code: string };
  return { server, event };
}

/** A join with a chosen X-Forwarded-For. */
async function join(url: string, code: string, forwardedFor: string) {
  const response = await fetch(`${url}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ code, name: 'Guest', role: 'mentee' }),
  });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

/** A projector socket with a chosen X-Forwarded-For: resolves to "connected" or the refusal. */
function screen(url: string, eventId: string, forwardedFor: string): Promise<string> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: { v: PROTOCOL_VERSION, eventId },
    extraHeaders: { 'x-forwarded-for': forwardedFor },
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

describe('client addresses', () => {
  it('ignores X-Forwarded-For from an untrusted peer: a new forged address each time still hits the limits', async () => {
    const { server, event } = await boot(false);
    for (let i = 1; i <= 3; i++) expect((await join(server.url, 'AAAAAA', `203.0.113.${i}`)).status).toBe(404);
    const paused = await join(server.url, event.code, '203.0.113.99');
    expect(paused.status).toBe(429);
    expect(paused.body.message).toMatch(/Too many wrong event codes/);
    // Sockets: the same one address, however the header changes.
    expect(await screen(server.url, event.id, '198.51.100.1')).toBe('connected');
    expect(await screen(server.url, event.id, '198.51.100.2')).toBe('connected');
    expect(await screen(server.url, event.id, '198.51.100.3')).toMatch(/Too many connections from this network \(at most 2\)/);
  });

  it.each<[string, TrustProxy]>([
    ['an address list (127.0.0.1)', ['127.0.0.1']],
    ['a hop count (1)', 1],
  ])('behind a trusted proxy given as %s, counts each forwarded client on its own', async (_name, trustProxy) => {
    const { server, event } = await boot(trustProxy);
    // What nginx sends: whatever the client wrote, then the address nginx saw it come from.
    for (let i = 1; i <= 3; i++) expect((await join(server.url, 'AAAAAA', `6.6.6.${i}, 203.0.113.7`)).status).toBe(404);
    expect((await join(server.url, event.code, '6.6.6.9, 203.0.113.7')).status).toBe(429);
    expect((await join(server.url, event.code, '203.0.113.8')).status).toBe(201);
    expect(await screen(server.url, event.id, '203.0.113.7')).toBe('connected');
    expect(await screen(server.url, event.id, '6.6.6.1, 203.0.113.7')).toBe('connected');
    expect(await screen(server.url, event.id, '203.0.113.7')).toMatch(/Too many connections from this network/);
    expect(await screen(server.url, event.id, '203.0.113.8')).toBe('connected');
  });
});
