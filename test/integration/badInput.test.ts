// Bad input gets a clear 4xx that says what to fix, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { launchServer, type TestServer } from '../support/server';
import { api } from '../support/http';

let server: TestServer;
let http: ReturnType<typeof api>;
let event: { id: string; code: string; organizerKey: string };
let menteeToken: string;

beforeAll(async () => {
  server = await launchServer('sqlite');
  http = api(server.url);
  event = (await http.post('/api/events', { name: 'Bad input night', roundSeconds: 600 })).body;
  menteeToken = (await http.post('/api/join', { code: event.code, name: 'Maya', role: 'mentee' })).body.token;
});
afterAll(async () => server.close());

const stateVersion = async () => (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body.version;

describe('creating an event', () => {
  it.each([
    [{}, /name/],
    [{ name: '' }, /name must not be empty/],
    [{ name: 'x', roundSeconds: 0 }, /roundSeconds must be between 1 and 7200/],
    [{ name: 'x', roundSeconds: 7201 }, /roundSeconds must be between 1 and 7200/],
    [{ name: 'x', changeoverSeconds: 1801 }, /changeoverSeconds must be between 0 and 1800/],
    [{ name: 'x', rounds: 0 }, /rounds must be between 1 and 100/],
    [{ name: 'x', rounds: 2.5 }, /rounds must be a whole number/],
    [{ name: 'x', seatsPerTable: 9 }, /seatsPerTable must be between 1 and 8/],
    [{ name: 'x', rounds: '3' }, /rounds must be a number/],
    [{ rounds: 3 }, /name is missing \(it must be text\)/],
    [{ name: 'a long name'.repeat(9) }, /name must be at most 80 characters/],
    [{ name: 'x', topics: 'design' }, /topics must be a list/],
    [[1, 2], /JSON object/],
    [{ name: 'x', roundsecs: 60 }, /unknown field "roundsecs": remove it/],
  ])('rejects %j with a 400 that names the problem', async (body, message) => {
    const reply = await http.post('/api/events', body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
  });

  it('rejects a body that is not JSON', async () => {
    const reply = await http.call('POST', '/api/events', { body: '{"name": ' });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/not valid JSON/);
  });

  it('accepts the documented defaults', async () => {
    const reply = await http.post('/api/events', { name: 'Defaults' });
    expect(reply.status).toBe(201);
    const state = (await http.get<PublicEventState>(`/api/events/${reply.body.id}/state`)).body;
    expect(state).toMatchObject({ rounds: 4, roundSeconds: 300, changeoverSeconds: 60, seatsPerTable: 1 });
  });
});

describe('joining', () => {
  it('answers 404 with a sentence for an unknown code', async () => {
    const reply = await http.post('/api/join', { code: 'ZZZZZZ', name: 'A', role: 'mentee' });
    expect(reply.status).toBe(404);
    expect(reply.body.message).toMatch(/code ZZZZZZ.*check/);
  });

  it.each([
    [{ name: 'A', role: 'mentee' }, /code is missing \(it must be the event code shown on the screen\)/],
    [{ code: 'X', name: 'A' }, /role is missing/],
    [{ code: 'X', name: '   ', role: 'mentee' }, /name must not be empty/],
    [{ code: 'X', name: 'A', role: 'speaker' }, /role must be "mentee" or "mentor"/],
    [{ code: 'X', name: 'A', role: 'mentee', topics: [''] }, /topic must not be empty/],
    [{ code: 'X', name: 'A', role: 'mentee', goal: 'a long goal '.repeat(30) }, /goal must be at most 280/],
  ])('rejects join body %# with a 400', async (body, message) => {
    const reply = await http.post('/api/join', body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
  });

  it('stores a name with markup verbatim and returns it as plain data', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const joined = (await http.post('/api/join', { code: event.code, name, role: 'mentor', topics: ['<b>x</b>'] })).body;
    const me = (await http.get<MeView>('/api/me', joined.token)).body;
    expect(me.participant.name).toBe(name);
    const page = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${joined.token}` } });
    expect(page.headers.get('content-type')).toContain('application/json');
  });
});

describe('organizer calls', () => {
  it('needs the organizer key: 401 without, 403 with a wrong one, and nothing changes', async () => {
    const before = await stateVersion();
    const without = await http.post(`/api/events/${event.id}/actions`, { action: 'start' });
    expect(without.status).toBe(401);
    expect(without.body.message).toMatch(/organizer key/);
    const wrong = await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, 'not-the-key');
    expect(wrong.status).toBe(403);
    expect((await http.get(`/api/events/${event.id}/export.csv`, 'not-the-key')).status).toBe(403);
    expect((await http.del(`/api/events/${event.id}`)).status).toBe(401);
    expect((await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, menteeToken)).status).toBe(403);
    expect(await stateVersion()).toBe(before);
  });

  it('answers 404 for an unknown event', async () => {
    expect((await http.get('/api/events/nope/state')).status).toBe(404);
    expect((await http.post('/api/events/nope/actions', { action: 'start' }, event.organizerKey)).status).toBe(404);
    expect((await http.get('/api/events/nope/qr.svg')).status).toBe(404);
  });

  it('rejects an unknown action or a bad extension with a 400 that lists what is allowed', async () => {
    const before = await stateVersion();
    const reply = await http.post(`/api/events/${event.id}/actions`, { action: 'explode' }, event.organizerKey);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/start, pause, resume, extend, skip, end/);
    const extend = await http.post(`/api/events/${event.id}/actions`, { action: 'extend', seconds: -5 }, event.organizerKey);
    expect(extend.status).toBe(400);
    expect(await stateVersion()).toBe(before);
  });

  it('refuses actions that do not fit the moment with 409', async () => {
    const reply = await http.post(`/api/events/${event.id}/actions`, { action: 'pause' }, event.organizerKey);
    expect(reply.status).toBe(409);
    expect(reply.body.message).toMatch(/Start the event/);
  });

  it('rejects a CSV import with bad rows as a whole, naming each row', async () => {
    const csv = 'name,role,topics,goal,email\nAda,mentor,design,,ada@example.org\n,mentee,,,\nBo,speaker,,,\nCy,mentee,,,ada@example.org\n';
    const reply = await http.call('POST', `/api/events/${event.id}/participants`, { csv, token: event.organizerKey });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/row 3: name must not be empty/);
    expect(reply.body.message).toMatch(/row 4: role must be/);
    expect(reply.body.message).toMatch(/row 5: email ada@example.org is already used on row 2/);
    const state = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
    expect(state.headcount.mentors).toBe(1); // only the one who joined above
  });

  it('rejects a CSV without the required columns', async () => {
    const reply = await http.call('POST', `/api/events/${event.id}/participants`, { csv: 'who,what\nA,B\n', token: event.organizerKey });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/missing the column\(s\) name, role/);
  });
});

describe('participant calls', () => {
  it('needs a known token', async () => {
    expect((await http.get('/api/me')).status).toBe(401);
    const unknown = await http.get('/api/me', 'made-up-token');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toMatch(/join again/);
  });

  it.each([
    [{ round: 1, targetId: 'x', score: 0 }, /score must be between 1 and 5/],
    [{ round: 1, targetId: 'x', score: 6 }, /score must be between 1 and 5/],
    [{ round: 1, score: 3 }, /targetId/],
    [{ round: 1, targetId: 'x', score: 3, note: 'a long note '.repeat(200) }, /note must be at most 2000/],
  ])('rejects the rating %# with a 400', async (body, message) => {
    const reply = await http.post('/api/ratings', body, menteeToken);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
  });

  it('refuses to rate a round that has not happened', async () => {
    const reply = await http.post('/api/ratings', { round: 1, targetId: 'x', score: 3 }, menteeToken);
    expect(reply.status).toBe(409);
  });
});

describe('the server stays up', () => {
  it('answers health checks after all of the above', async () => {
    const reply = await http.get('/healthz');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ok: true });
  });

  it('serves the QR code as SVG for mentees and mentors', async () => {
    const reply = await http.get(`/api/events/${event.id}/qr.svg?role=mentor`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('image/svg+xml');
    expect(reply.text).toContain('<svg');
    expect((await http.get(`/api/events/${event.id}/qr.svg?role=boss`)).status).toBe(400);
  });

  it('imports the sample roster files as they are', async () => {
    const { readFileSync } = await import('node:fs');
    const fresh = (await http.post('/api/events', { name: 'Import' })).body;
    for (const file of ['mentors.csv', 'mentees.csv']) {
      const csv = readFileSync(new URL(`../../data/${file}`, import.meta.url), 'utf8');
      const reply = await http.call('POST', `/api/events/${fresh.id}/participants`, { csv, token: fresh.organizerKey });
      expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(201);
      expect(reply.body.participants[0].joinUrl).toMatch(new RegExp(`/(j|m)/${fresh.code}#t=`));
    }
    const state = (await http.get<PublicEventState>(`/api/events/${fresh.id}/state`)).body;
    expect(state.headcount).toEqual({ mentors: 40, mentees: 200 });
  });
});
