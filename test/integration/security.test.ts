// Every refusal in SECURITY.md, on both stores: who may call what, abuse limits,
// headers, privacy of what the public and table mates see, and logs without secrets.
import { describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { api, sleep, waitFor } from '../support/http';
import { STORE_KINDS, startServer, testPrefix } from '../support/server';
import { connectTap, type Tap } from '../support/sockets';

/** An event with a mentor and two mentees at one table, started, so a round exists. */
async function runningEvent(http: ReturnType<typeof api>, name = 'Secure night') {
  const event = (await http.post('/api/events', { name, rounds: 2, roundSeconds: 600, seatsPerTable: 2 })).body;
  const join = async (who: string, role: 'mentor' | 'mentee', goal?: string) =>
    (await http.post('/api/join', { code: event.code, name: who, role, topics: ['design'], ...(goal ? { goal } : {}) })).body as { participantId: string; token: string };
  const mentor = await join(`${name} mentor`, 'mentor');
  const first = await join(`${name} first`, 'mentee', 'Private goal of first');
  const second = await join(`${name} second`, 'mentee', 'Private goal of second');
  await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
  return { ...event, mentor, first, second } as { id: string; code: string; organizerKey: string; mentor: typeof mentor; first: typeof mentor; second: typeof mentor };
}

/** The kinds of message a socket has received, in order. */
const got = (tap: Tap) => tap.inbox.map((m) => m.event);

describe.each(STORE_KINDS)('authorization on the %s store', (kind) => {
  it('refuses every organizer call without the key of this very event', async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const a = await runningEvent(http, 'A');
    const b = await runningEvent(http, 'B');
    const calls: [string, string, unknown?][] = [
      ['POST', `/api/events/${a.id}/actions`, { action: 'pause' }],
      ['POST', `/api/events/${a.id}/participants`, { participants: [{ name: 'Intruder', role: 'mentor' }] }],
      ['POST', `/api/events/${a.id}/participants/${a.first.participantId}/presence`, { present: false }],
      ['POST', `/api/events/${a.id}/participants/${a.first.participantId}/table`, { table: 1 }],
      ['POST', `/api/events/${a.id}/participants/${a.first.participantId}/link`, { replaceOldLink: true }],
      ['DELETE', `/api/events/${a.id}/participants/${a.first.participantId}`],
      ['GET', `/api/events/${a.id}/export.csv`],
      ['GET', `/api/events/${a.id}/export.json`],
      ['DELETE', `/api/events/${a.id}`],
    ];
    const before = (await http.get<PublicEventState>(`/api/events/${a.id}/state`)).body;
    for (const [method, path, body] of calls) {
      const as = (token?: string) => http.call(method, path, { ...(body !== undefined ? { body } : {}), ...(token ? { token } : {}) });
      const anonymous = await as();
      expect(anonymous.status, `${method} ${path} anonymous`).toBe(401);
      expect(anonymous.body.message).toMatch(/organizer key/);
      expect((await as('not-the-key')).status, `${method} ${path} wrong key`).toBe(403);
      expect((await as(b.organizerKey)).status, `${method} ${path} another event's key`).toBe(403);
      expect((await as(a.first.token)).status, `${method} ${path} a participant's token`).toBe(403);
    }
    const after = (await http.get<PublicEventState>(`/api/events/${a.id}/state`)).body;
    expect({ ...after, serverNow: 0, remainingMs: 0 }).toEqual({ ...before, serverNow: 0, remainingMs: 0 });
    // The person is still here with their own link.
    expect((await http.get<MeView>('/api/me', a.first.token)).body.participant).toMatchObject({ id: a.first.participantId, present: true });
  });

  it("lets a phone change only its own presence, follow-ups and email, and only with its own token", async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const a = await runningEvent(http, 'A');
    const b = await runningEvent(http, 'B');
    const own: [string, unknown][] = [
      ['/api/me/presence', { present: false }],
      ['/api/me/follow-ups', { targetId: a.mentor.participantId, follow: true }],
      ['/api/me/contact', { email: 'first@example.org' }],
    ];
    for (const [path, body] of own) {
      expect((await http.post(path, body)).status, `${path} anonymous`).toBe(401);
      expect((await http.post(path, body, a.organizerKey)).status, `${path} with the organizer key`).toBe(401);
      expect((await http.post(path, body, 'made-up')).status, `${path} made-up token`).toBe(401);
    }
    // B's person cannot follow up with A's mentor (they never met): 403 once B has ended.
    await http.post(`/api/events/${b.id}/actions`, { action: 'end' }, b.organizerKey);
    const across = await http.post('/api/me/follow-ups', { targetId: a.mentor.participantId, follow: true }, b.first.token);
    expect(across.status).toBe(403);
    // Leaving from B's phone leaves B, never A.
    expect((await http.post('/api/me/presence', { present: false }, a.second.token)).status).toBe(200);
    const control = (await http.get<MeView>('/api/me', a.first.token)).body;
    expect(control.participant.present).toBe(true);
    expect((await http.get<MeView>('/api/me', a.second.token)).body.participant.present).toBe(false);
  });

  it('lets a participant read only their own view and rate only their own table', async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const a = await runningEvent(http, 'A');
    const b = await runningEvent(http, 'B');
    expect((await http.get('/api/me')).status).toBe(401);
    expect((await http.get('/api/me', a.organizerKey)).status).toBe(401);
    const me = (await http.get<MeView>('/api/me', a.first.token)).body;
    expect(me.event.id).toBe(a.id);
    // Another event's mentor, a table mate who is not a mentor, and oneself: all refused.
    for (const targetId of [b.mentor.participantId, a.second.participantId, a.first.participantId]) {
      const reply = await http.post('/api/ratings', { round: 1, targetId, score: 5 }, a.first.token);
      expect(reply.status, targetId).toBe(403);
      expect(reply.body.message).toMatch(/only rate someone you sat with/);
    }
    // A token from event B is worthless for event A's people.
    expect((await http.post('/api/ratings', { round: 1, targetId: a.mentor.participantId, score: 5 }, b.first.token)).status).toBe(403);
    expect((await http.post('/api/ratings', { round: 1, targetId: a.mentor.participantId, score: 5 }, a.first.token)).status).toBe(201);
  });

  it('keeps sockets to their own event and their own role', async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const a = await runningEvent(http, 'A');
    const b = await runningEvent(http, 'B');
    await expect(connectTap(server.url, { eventId: a.id, organizerKey: b.organizerKey })).rejects.toThrow(/not the one for this event/);
    const inA = await connectTap(server.url, { token: a.first.token });
    const screenA = await connectTap(server.url, { eventId: a.id });
    await waitFor(() => got(inA).includes('me:snapshot'), 5000, 'a snapshot');
    const steer = await inA.socket.timeout(5000).emitWithAck('organizer:action', { action: 'skip' });
    expect(steer).toMatchObject({ ok: false, status: 403 });
    const rate = await screenA.socket.timeout(5000).emitWithAck('rating:submit', { round: 1, targetId: a.mentor.participantId, score: 1 });
    expect(rate).toMatchObject({ ok: false, status: 403 });
    // B moves on: nobody in A hears of it. (First let A's own join announcements settle.)
    await sleep(600);
    const seenBefore = [...got(inA), ...got(screenA)].length;
    await http.post(`/api/events/${b.id}/actions`, { action: 'skip' }, b.organizerKey);
    await sleep(500);
    expect([...got(inA), ...got(screenA)].slice(seenBefore), "messages after B moved").toEqual([]);
  });

  it('shows the public and table mates only what they may see', async () => {
    const server = await startServer(kind);
    const http = api(server.url);
    const importer = (await http.post('/api/events', { name: 'Privacy', seatsPerTable: 2 })).body;
    const imported = await http.post(
      `/api/events/${importer.id}/participants`,
      { participants: [
        { name: 'Mentor M', role: 'mentor', email: 'mentor@example.org' },
        { name: 'Mentee One', role: 'mentee', goal: 'Secret goal one', email: 'one@example.org' },
        { name: 'Mentee Two', role: 'mentee', goal: 'Secret goal two', email: 'two@example.org' },
      ] },
      importer.organizerKey,
    );
    const [mentor, one] = imported.body.participants as { token: string; id: string }[];
    await http.post(`/api/events/${importer.id}/actions`, { action: 'start' }, importer.organizerKey);
    await http.post('/api/ratings', { round: 1, targetId: one!.id, score: 2, note: 'Secret note' }, mentor!.token);
    const publicState = (await http.get(`/api/events/${importer.id}/state`)).text;
    for (const secret of ['@example.org', 'Secret goal', 'Secret note', 'score', 'email', 'goal', mentor!.token]) expect(publicState).not.toContain(secret);
    const screen = await connectTap(server.url, { eventId: importer.id });
    const snapshot = await screen.find('state:snapshot');
    expect(JSON.stringify(snapshot)).not.toMatch(/example\.org|Secret/);
    // The mentor sees each mentee's goal; a mentee sees neither a table mate's goal nor any email.
    const mentorView = (await http.get<MeView>('/api/me', mentor!.token)).body;
    expect(mentorView.seat?.with.map((p) => p.goal).sort()).toEqual(['Secret goal one', 'Secret goal two']);
    const menteeView = (await http.get('/api/me', one!.token)).text;
    expect(menteeView).not.toMatch(/Secret goal two|example\.org|Secret note/);
  });
});

describe('secrets, limits and headers', () => {
  it('hands out secrets of at least 128 bits and join codes from an unambiguous alphabet', async () => {
    const http = api((await startServer('sqlite')).url);
    const event = (await http.post('/api/events', { name: 'Entropy' })).body;
    const joined = (await http.post('/api/join', { code: event.code, name: 'A', role: 'mentee' })).body;
    for (const secret of [event.organizerKey, joined.token]) expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(event.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
  });

  it('needs ADMIN_TOKEN to create events when the server sets one', async () => {
    const http = api((await startServer('sqlite', { config: { adminToken: 'the-admin-token-for-tests' } })).url);
    const anonymous = await http.post('/api/events', { name: 'X' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toMatch(/admin token/);
    expect((await http.post('/api/events', { name: 'X' }, 'wrong')).status).toBe(403);
    expect((await http.post('/api/events', { name: 'X' }, 'the-admin-token-for-tests')).status).toBe(201);
  });

  it.each(STORE_KINDS)('caps the events one address keeps waiting in the lobby; starting or deleting one frees a place (%s)', async (kind) => {
    const server = await startServer(kind, { config: { maxLobbyEventsPerAddress: 3 } });
    const http = api(server.url);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await http.post('/api/events', { name: `Prepared ${i}`, roundSeconds: 600 })).body);
    const refused = await http.post('/api/events', { name: 'One too many' });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/This network already has 3 events waiting in the lobby\. Start or delete one of them first/);

    // A deleted event and a started one no longer wait in the lobby.
    expect((await http.del(`/api/events/${made[0].id}`, made[0].organizerKey)).status).toBe(200);
    expect((await http.post('/api/events', { name: 'After a delete' })).status).toBe(201);
    expect((await http.post('/api/events', { name: 'Still capped' })).status).toBe(429);
    await http.post('/api/join', { code: made[1].code, name: 'Grace', role: 'mentor' });
    await http.post('/api/join', { code: made[1].code, name: 'Ada', role: 'mentee' });
    expect((await http.post(`/api/events/${made[1].id}/actions`, { action: 'start' }, made[1].organizerKey)).status).toBe(200);
    expect((await http.post('/api/events', { name: 'After a start' })).status).toBe(201);
  });

  it.each(STORE_KINDS)('rate-limits creating, joining and rating per address (%s, shared between instances on Redis)', async (kind) => {
    const prefix = testPrefix();
    const limits = { rateLimitCreate: 3, rateLimitJoin: 4, rateLimitRatings: 2 };
    const one = await startServer(kind, { prefix, config: limits });
    const other = kind === 'redis' ? await startServer(kind, { prefix, config: limits }) : one;
    const [a, b] = [api(one.url), api(other.url)];
    const statuses = [];
    for (const http of [a, b, a, b]) statuses.push((await http.post('/api/events', { name: 'Burst' })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await b.post('/api/events', { name: 'Burst' });
    expect(limited.body.message).toMatch(/Too many requests from this network: at most 3 a minute\. Try again in \d+ s\./);
    const event = (await a.post('/api/events', { name: 'Never' })).body;
    expect(event.message).toMatch(/Too many requests/);

    // Joins and ratings have limits of their own.
    const fresh = testPrefix();
    const c = api((await startServer(kind, { prefix: fresh, config: { ...limits, rateLimitCreate: 100 } })).url);
    const open = (await c.post('/api/events', { name: 'Joins', seatsPerTable: 3 })).body;
    const joins = [];
    for (let i = 0; i < 5; i++) joins.push(await c.post('/api/join', { code: open.code, name: `J${i}`, role: i ? 'mentee' : 'mentor' }));
    expect(joins.map((r) => r.status)).toEqual([201, 201, 201, 201, 429]);
    await c.post(`/api/events/${open.id}/actions`, { action: 'start' }, open.organizerKey);
    const mentor = joins[0]!.body;
    const ratings = [];
    for (const mentee of joins.slice(1, 4)) ratings.push((await c.post('/api/ratings', { round: 1, targetId: mentee.body.participantId, score: 4 }, mentor.token)).status);
    expect(ratings).toEqual([201, 201, 429]);
  });

  it('pauses joins from an address that tries too many wrong codes, even with the right one', async () => {
    const server = await startServer('sqlite', { config: { wrongCodesLimit: 3 } });
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Guessing' })).body;
    for (const code of ['AAAAAA', 'BBBBBB', 'CCCCCC']) expect((await http.post('/api/join', { code, name: 'G', role: 'mentee' })).status).toBe(404);
    const right = await http.post('/api/join', { code: event.code, name: 'G', role: 'mentee' });
    expect(right.status).toBe(429);
    expect(right.body.message).toMatch(/Too many wrong event codes/);
  });

  it('caps the people per event, and refuses a whole import that would pass the cap', async () => {
    const http = api((await startServer('sqlite', { config: { maxParticipants: 3 } })).url);
    const event = (await http.post('/api/events', { name: 'Small room' })).body;
    for (let i = 0; i < 2; i++) expect((await http.post('/api/join', { code: event.code, name: `P${i}`, role: 'mentee' })).status).toBe(201);
    const csv = 'name,role\nA,mentee\nB,mentee\n';
    const tooMany = await http.call('POST', `/api/events/${event.id}/participants`, { csv, token: event.organizerKey });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.message).toMatch(/nothing was imported/);
    expect((await http.post('/api/join', { code: event.code, name: 'Last', role: 'mentee' })).status).toBe(201);
    const full = await http.post('/api/join', { code: event.code, name: 'One more', role: 'mentee' });
    expect(full.status).toBe(409);
    expect(full.body.message).toMatch(/full/);
  });

  it('refuses oversized bodies with 413 and a sentence', async () => {
    const http = api((await startServer('sqlite')).url);
    const reply = await http.post('/api/join', { code: 'ABCDEF', name: 'x'.repeat(2 * 1024 * 1024), role: 'mentee' });
    expect(reply.status).toBe(413);
    expect(reply.body.message).toMatch(/too large/);
  });

  it('sends a Content Security Policy without inline scripts, and no CORS unless configured', async () => {
    const closed = await startServer('sqlite');
    const page = await fetch(`${closed.url}/`, { headers: { origin: 'https://evil.example' } });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const open = await startServer('sqlite', { config: { corsOrigins: ['https://partner.example'] } });
    const allowed = await fetch(`${open.url}/api/events/none/state`, { headers: { origin: 'https://partner.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    const other = await fetch(`${open.url}/api/events/none/state`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves /docs with a policy that works over plain http (no upgrade-insecure-requests)', async () => {
    const server = await startServer('sqlite');
    for (const path of ['/docs', '/docs/static/index.html']) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.status, path).toBe(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'/);
      expect(csp, path).not.toMatch(/upgrade-insecure-requests/);
    }
  });

  it('logs ids, never names, emails or secrets', async () => {
    const lines: string[] = [];
    const server = await startServer('sqlite', { config: { logLevel: 'debug' }, logStream: { write: (line) => void lines.push(line) } });
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Quiet logs' })).body;
    const imported = (await http.post(`/api/events/${event.id}/participants`, { participants: [{ name: 'Zelda Secretname', role: 'mentor', email: 'zelda@example.org' }] }, event.organizerKey)).body;
    await http.get('/api/me', imported.participants[0].token);
    await http.post('/api/join', { code: event.code, name: 'Yannick Hiddenname', role: 'mentee' });
    expect(lines.length).toBeGreaterThan(3);
    const all = lines.join('\n');
    for (const secret of ['Secretname', 'Hiddenname', 'zelda@example.org', event.organizerKey, imported.participants[0].token]) expect(all).not.toContain(secret);
  });
});
