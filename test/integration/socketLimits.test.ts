// The limits a socket meets, on both stores (and across two instances on Redis): ratings and
// organizer actions share their budgets with HTTP, pings are bounded, sockets are capped per
// link and per address, and every message checks that its sender still stands where they did
// when the socket connected.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../server/config';
import { sha256 } from '../../server/secrets';
import { api } from '../support/http';
import { openEvent, organizer } from '../support/organizer';
import { STORE_KINDS, startServer, testPrefix, type StoreKind, type TestServer } from '../support/server';
import { handshake, phoneTap, type Client } from '../support/sockets';

/** One server, or on Redis two sharing one prefix (so the counters must be shared to hold). */
async function pair(kind: StoreKind, config: Partial<Config>) {
  const prefix = testPrefix();
  const one = await startServer(kind, { prefix, config });
  const other = kind === 'redis' ? await startServer(kind, { prefix, config }) : one;
  return [one, other] as const;
}

/** A started event: one mentor with two mentees at the table. */
async function runningEvent(server: TestServer) {
  const http = api(server.url);
  const event = await openEvent(http, { seatsPerTable: 2 });
  const control = organizer(http, event);
  const [mentor, first, second] = await control.import([
    { name: 'Mentor', role: 'mentor' },
    { name: 'First', role: 'mentee' },
    { name: 'Second', role: 'mentee' },
  ]);
  await control.act('start');
  return { http, event, control, mentor: mentor!, first: first!, second: second! };
}

/** Connects or is refused, whichever the server decides. */
async function connect(url: string, auth: Record<string, unknown>): Promise<{ socket: Client; refusal?: string; code?: unknown }> {
  const { tap, refusal, code } = await handshake(url, auth);
  return { socket: tap.socket, refusal, code };
}

const rate = (socket: Client, targetId: string, score = 4) => socket.timeout(5000).emitWithAck('rating:submit', { round: 1, targetId, score });

describe.each(STORE_KINDS)('socket limits on the %s store', (kind) => {
  it('counts ratings over the socket and over HTTP against one budget per person and per address', async () => {
    const [one, other] = await pair(kind, { rateLimitRatings: 5, rateLimitRatingsPerPerson: 3 });
    const { event, mentor, first, second } = await runningEvent(one);
    const otherHttp = api(other.url);
    const mentorPhone = await phoneTap(one.url, mentor.token);
    expect(await rate(mentorPhone.socket, first.id)).toMatchObject({ ok: true });
    expect(await rate(mentorPhone.socket, second.id)).toMatchObject({ ok: true });
    expect((await otherHttp.post('/api/ratings', { round: 1, targetId: first.id, score: 5 }, mentor.token)).status).toBe(201);
    // The mentor's fourth, over the socket: over their own budget.
    const refused = await rate(mentorPhone.socket, first.id, 1);
    expect(refused).toMatchObject({ ok: false, status: 429 });
    expect(refused.ok === false && refused.message).toMatch(/Too many ratings from you: at most 3 a minute; .* Try again in \d+ s\./);
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(0);
    const overHttp = await otherHttp.post('/api/ratings', { round: 1, targetId: first.id, score: 1 }, mentor.token);
    expect(overHttp.status).toBe(429);
    expect(Number(overHttp.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address (one for every phone here) has spent 5: the sixth rating, from someone else, waits too.
    const secondPhone = await phoneTap(other.url, second.token);
    const fromNetwork = await rate(secondPhone.socket, mentor.id);
    expect(fromNetwork).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/Too many ratings from this network: at most 5 a minute/) });
    // Nothing refused was stored: the mentor's 5 for First stands, and Second gave nothing.
    const ratings = await one.store.listRatings(event.id);
    expect(ratings.map((r) => [r.raterId, r.targetId, r.score]).sort()).toEqual([[mentor.id, first.id, 5], [mentor.id, second.id, 4]].sort());
  });

  it('counts organizer actions over the socket and over HTTP against one budget per event', async () => {
    const [one, other] = await pair(kind, { rateLimitActions: 2 });
    const { event } = await runningEvent(one);
    // runningEvent's start was the first action; Control's socket sends the second.
    const { socket: control } = await connect(one.url, { eventId: event.id, organizerKey: event.organizerKey });
    expect(await control.timeout(5000).emitWithAck('organizer:action', { action: 'pause' })).toMatchObject({ ok: true });
    const refused = await control.timeout(5000).emitWithAck('organizer:action', { action: 'resume' });
    expect(refused).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/Too many actions on this event: at most 2 a minute\. Try again in \d+ s\./) });
    const overHttp = await api(other.url).post(`/api/events/${event.id}/actions`, { action: 'resume' }, event.organizerKey);
    expect(overHttp.status).toBe(429);
    expect((await api(other.url).get(`/api/events/${event.id}/state`)).body.status).toBe('paused');
  });
});

describe('pings, socket caps and standing', () => {
  it('counts organizer actions per address across events, over the socket and over HTTP', async () => {
    const [server] = await pair('sqlite', { rateLimitActionsPerAddress: 3 });
    // Each runningEvent presses start once over HTTP: two of the three.
    const a = await runningEvent(server);
    const b = await runningEvent(server);
    const { socket: control } = await connect(server.url, { eventId: a.event.id, organizerKey: a.event.organizerKey });
    expect(await control.timeout(5000).emitWithAck('organizer:action', { action: 'pause' })).toMatchObject({ ok: true });
    const refused = await b.http.post(`/api/events/${b.event.id}/actions`, { action: 'pause' }, b.event.organizerKey);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/Too many organizer actions from this network: at most 3 a minute\. Try again in \d+ s\./);
    expect((await b.control.state()).status).toBe('running');
  });

  it('answers a handful of clock pings a minute and refuses a flood with a sentence, keeping the socket', async () => {
    const [server] = await pair('sqlite', { rateLimitPings: 5 });
    const { event } = await runningEvent(server);
    const { socket } = await connect(server.url, { eventId: event.id });
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await socket.timeout(5000).emitWithAck('clock:ping', { clientSentAt: i }));
    expect(replies.slice(0, 5).every((r) => 'serverNow' in r)).toBe(true);
    for (const reply of replies.slice(5)) expect(reply).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/Too many clock pings: at most 5 a minute\. Try again in \d+ s\./) });
    expect(socket.connected).toBe(true);
  });

  it('caps the sockets on one personal link, and gives the place back when one closes', async () => {
    const [server] = await pair('sqlite', { maxSocketsPerLink: 2 });
    const { mentor, first } = await runningEvent(server);
    const a = await connect(server.url, { token: mentor.token });
    const b = await connect(server.url, { token: mentor.token });
    expect([a.refusal, b.refusal]).toEqual([undefined, undefined]);
    const c = await connect(server.url, { token: mentor.token });
    expect(c.refusal).toMatch(/This personal link is already open on 2 screens; close one of them, then reload this page\./);
    expect(c.code).toBe('too_many_connections');
    // Another person's link is not affected.
    expect((await connect(server.url, { token: first.token })).refusal).toBeUndefined();
    a.socket.disconnect();
    const d = await (async () => {
      for (let i = 0; i < 50; i++) {
        const attempt = await connect(server.url, { token: mentor.token });
        if (!attempt.refusal) return attempt;
        await new Promise((r) => setTimeout(r, 20));
      }
      return { refusal: 'never admitted' };
    })();
    expect(d.refusal).toBeUndefined();
  });

  it('caps the sockets per address, and a refused handshake takes no place', async () => {
    const [server] = await pair('sqlite', { maxSocketsPerAddress: 2 });
    const { event } = await runningEvent(server);
    for (let i = 0; i < 3; i++) expect((await connect(server.url, { token: `made-up-${i}` })).refusal).toMatch(/not known here/);
    expect((await connect(server.url, { eventId: event.id })).refusal).toBeUndefined();
    expect((await connect(server.url, { eventId: event.id })).refusal).toBeUndefined();
    const capped = await connect(server.url, { eventId: event.id });
    expect(capped.refusal).toMatch(/Too many connections from this network \(at most 2\)/);
    expect(capped.code).toBe('too_many_connections');
  });

  it.each(STORE_KINDS)("refuses a removed person's or a replaced link's still-open socket before its disconnect arrives (%s)", async (kind) => {
    const [server] = await pair(kind, {});
    const { event, mentor, first, second } = await runningEvent(server);
    const mentorPhone = await phoneTap(server.url, mentor.token);
    const firstPhone = await phoneTap(server.url, first.token);
    const { socket: control } = await connect(server.url, { eventId: event.id, organizerKey: event.organizerKey });
    // Changed in the store directly, as another instance would: no disconnect reaches these sockets.
    await server.store.changeParticipant(event.id, mentor.id, (p) => ({ ...p, removed: true }));
    await server.store.replaceToken(event.id, first.id, sha256('a fresh link'));
    const removed = await rate(mentorPhone.socket, second.id);
    expect(removed).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(/took you off this event.*Nothing was saved\./) });
    const replaced = await rate(firstPhone.socket, mentor.id);
    expect(replaced).toMatchObject({ ok: false, status: 401 });
    expect(replaced.ok === false && replaced.message).toMatch(/not known here|replaced/);
    expect(await server.store.countRatings(event.id)).toBe(0);
    // Control of an event deleted meanwhile cannot steer it.
    await server.store.deleteEvent(event.id);
    const steer = await control.timeout(5000).emitWithAck('organizer:action', { action: 'skip' });
    expect(steer).toMatchObject({ ok: false, status: 404, message: expect.stringMatching(/no event with that id/) });
  });
});
