// Everything at once, on both stores: 1,000 ratings from 1,000 people, 500 joins with
// the same name, two organizers pressing skip in the same instant.
import { afterEach, describe, expect, it } from 'vitest';
import type { PublicEventState } from '../../shared/domain';
import { api } from '../support/http';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe.each(STORE_KINDS)('concurrency on the %s store', (kind) => {
  it('stores 1,000 ratings sent at once by 1,000 people exactly once, even when all are sent twice', async () => {
    const server = await startServer(kind);
    servers.push(server);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Rush hour', rounds: 2, roundSeconds: 3600, seatsPerTable: 1 })).body;
    const participants = Array.from({ length: 1000 }, (_, i) => ({ name: `Person ${i}`, role: i < 500 ? 'mentor' : 'mentee', topics: [`t${i % 7}`] }));
    const imported = (await http.post(`/api/events/${event.id}/participants`, { participants }, event.organizerKey)).body.participants as { id: string; token: string }[];
    const tokenOf = new Map(imported.map((p) => [p.id, p.token]));
    const state = (await http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey)).body;
    expect(state.tables.every((t) => t.mentees.length === 1)).toBe(true);
    const ratings = state.tables.flatMap((t) => [
      { token: tokenOf.get(t.mentor.id)!, body: { round: 1, targetId: t.mentees[0]!.id, score: 4, note: `from ${t.mentor.name}` } },
      { token: tokenOf.get(t.mentees[0]!.id)!, body: { round: 1, targetId: t.mentor.id, score: 5 } },
    ]);
    expect(ratings).toHaveLength(1000);
    for (let pass = 0; pass < 2; pass++) {
      const replies = await Promise.all(ratings.map((r) => http.post('/api/ratings', r.body, r.token)));
      expect(replies.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    }
    const stored = await server.store.listRatings(event.id);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((r) => `${r.raterId}>${r.targetId}`)).size).toBe(1000);
  }, 120_000);

  it('lets 500 people with the same name join at the same time, as 500 different people', async () => {
    const server = await startServer(kind);
    servers.push(server);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Same names' })).body;
    const replies = await Promise.all(Array.from({ length: 500 }, () => http.post('/api/join', { code: event.code, name: 'Alex', role: 'mentee' })));
    expect(replies.filter((r) => r.status !== 201)).toEqual([]);
    expect(new Set(replies.map((r) => r.body.participantId)).size).toBe(500);
    expect(new Set(replies.map((r) => r.body.token)).size).toBe(500);
    expect((await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body.headcount.mentees).toBe(500);
  });

  it('advances once when two organizers press skip in the same instant', async () => {
    const server = await startServer(kind);
    servers.push(server);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Two organizers', rounds: 3, roundSeconds: 600 })).body;
    await http.post('/api/join', { code: event.code, name: 'M', role: 'mentor' });
    await http.post('/api/join', { code: event.code, name: 'm', role: 'mentee' });
    const started = (await http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey)).body;
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
      // Both see the same phase on their Control and press skip on it.
      const from = { phase: before.phase, round: before.round };
      const both = await Promise.all([0, 1].map(() => http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action: 'skip', from }, event.organizerKey)));
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      const after = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
      expect(after.version, `press ${attempt}`).toBe(before.version + 1);
    }
    // Five single steps from talk 1: changeover 1, talk 2, changeover 2, talk 3, changeover 3.
    const final = (await http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
    expect(final).toMatchObject({ phase: 'changeover', round: 3, version: started.version + 5 });
  });
});
