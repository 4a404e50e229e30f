// `npm start`'s process as an operator meets it: at the default log level, a busy event
// does not write a line per request, and SIGTERM (a service manager, `docker stop`)
// closes it properly — phones are hung up on, it exits 0 — with no names or secrets in
// what it printed.
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { api } from '../support/http';
import { serverProcess, type ServerProcess } from '../support/serverProcess';

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.cleanup();
});

describe('the server process', () => {
  it('logs no line per request at the default level, and closes on SIGTERM with exit code 0', { timeout: 60_000 }, async () => {
    // LOG_LEVEL empty: the default level, as `npm start` runs it.
    server = await serverProcess({ env: { LOG_LEVEL: '' } });
    await server.start();
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Quiet logs night', rounds: 2, roundSeconds: 600 })).body;
    const people = [];
    for (let i = 0; i < 12; i++) people.push((await http.post('/api/join', { code: event.code, name: `Ada Lovelace ${i}`, role: i % 2 ? 'mentee' : 'mentor' })).body);
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    for (const person of people) {
      expect((await http.get('/api/me', person.token)).status).toBe(200);
      expect((await fetch(`${server.url}/j/${event.code}`)).status).toBe(200);
    }
    expect((await http.get('/api/no-such-thing')).status).toBe(404);

    // A phone is connected when the signal comes: the server hangs up on it.
    const phone = io(server.url, { transports: ['websocket'], reconnection: false, auth: { v: PROTOCOL_VERSION, token: people[1].token } });
    await new Promise<void>((resolve, reject) => {
      phone.once('connect', resolve);
      phone.once('connect_error', reject);
    });
    const hungUp = new Promise<string>((resolve) => phone.once('disconnect', (reason) => resolve(reason)));

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(await hungUp).not.toBe('io client disconnect');
    // Nothing answers on its port any more.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    const output = server.output();
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('SIGTERM: closing (send it again to exit at once)');
    expect(messages).toContain('Closed');
    // Over 40 requests were answered; none of them has a line of its own.
    expect(messages.filter((msg) => /request/i.test(msg))).toEqual([]);
    expect(output).not.toMatch(/\/api\/me|\/j\/|"req"|"res"/);
    for (const secret of [event.organizerKey, ...people.map((p) => p.token), 'Ada Lovelace']) expect(output).not.toContain(secret);
  });
});
