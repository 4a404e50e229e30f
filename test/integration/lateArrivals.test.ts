// People who arrive, leave or are marked absent after the next round's plan was shown:
// only those who must move get a new seat; people arriving during a talk wait.
import { afterEach, describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { api } from '../support/http';

describe.each(STORE_KINDS)('late arrivals on the %s store', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  async function setUp(mentors: number, mentees: number) {
    server = await startServer(kind);
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Late night', rounds: 3, roundSeconds: 600, changeoverSeconds: 300, seatsPerTable: 1 })).body;
    const join = async (name: string, role: 'mentor' | 'mentee') => (await http.post('/api/join', { code: event.code, name, role })).body as { participantId: string; token: string };
    const people: { participantId: string; token: string }[] = [];
    for (let i = 0; i < mentors; i++) people.push(await join(`Mentor ${i}`, 'mentor'));
    for (let i = 0; i < mentees; i++) people.push(await join(`Mentee ${i}`, 'mentee'));
    const presence = (participantId: string, present: boolean, key = event.organizerKey) =>
      http.post(`/api/events/${event.id}/participants/${participantId}/presence`, { present }, key);
    const act = (action: string) => http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action }, event.organizerKey);
    const nextSeats = async () => {
      const seats = new Map<string, number | null>();
      for (const p of people) seats.set(p.participantId, (await http.get<MeView>('/api/me', p.token)).body.nextSeat?.table ?? null);
      return seats;
    };
    return { http, event, join, people, act, nextSeats, presence };
  }

  it('a mentee arriving in a changeover takes a free seat in the plan already shown', async () => {
    const { http, join, act, nextSeats } = await setUp(2, 1);
    await act('start');
    await act('skip');
    const before = await nextSeats();
    const late = await join('Latecomer', 'mentee');
    const view = (await http.get<MeView>('/api/me', late.token)).body;
    expect(view.seat).toBeNull();
    expect(view.nextSeat).not.toBeNull();
    // Nobody who already had a seat is moved; only the mentor of the free table gains a mentee.
    const after = await nextSeats();
    for (const [id, table] of before) if (table !== null) expect(after.get(id)).toBe(table);
    expect(after.get(view.nextSeat!.with[0]!.id)).toBe(view.nextSeat!.table);
    const talk = (await act('skip')).body;
    expect(talk.tables.find((t) => t.table === view.nextSeat!.table)?.mentees.map((m) => m.id)).toEqual([late.participantId]);
  });

  it('a mentor arriving in a changeover opens a table for someone who was sitting out', async () => {
    const { http, join, act, nextSeats, people } = await setUp(1, 2);
    await act('start');
    await act('skip');
    const before = await nextSeats();
    const sittingOut = people.filter((p) => before.get(p.participantId) === null).map((p) => p.participantId);
    expect(sittingOut).toHaveLength(1); // one table, one seat: one of the two mentees sits out
    const mentor = await join('Late mentor', 'mentor');
    const view = (await http.get<MeView>('/api/me', mentor.token)).body;
    expect(view.nextSeat?.table).toBe(2);
    expect(view.nextSeat?.with.map((p) => p.id)).toEqual(sittingOut);
    const after = await nextSeats();
    for (const [id, table] of before) if (table !== null) expect(after.get(id)).toBe(table);
  });

  it('a mentee arriving during a talk waits, then is seated from the next round', async () => {
    const { http, join, act } = await setUp(2, 1);
    await act('start');
    const late = await join('During talk', 'mentee');
    expect((await http.get<MeView>('/api/me', late.token)).body.seat).toBeNull();
    await act('skip');
    const changeover = (await http.get<MeView>('/api/me', late.token)).body;
    expect(changeover.seat).toBeNull();
    expect(changeover.nextSeat?.round).toBe(2);
    await act('skip');
    expect((await http.get<MeView>('/api/me', late.token)).body.seat?.round).toBe(2);
  });

  it('a mentor marked absent in a changeover: their mentees move, nobody else does', async () => {
    const { http, act, nextSeats, people, presence } = await setUp(3, 3);
    await act('start');
    const changeover = (await act('skip')).body;
    expect(changeover.phase).toBe('changeover');
    const before = await nextSeats();
    const leaving = people[0]!; // the first mentor, table 1
    const theirs = people.filter((p) => before.get(p.participantId) === 1 && p !== leaving).map((p) => p.participantId);
    expect(theirs).toHaveLength(1);
    const reply = await presence(leaving.participantId, false);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: leaving.participantId, present: false });
    const after = await nextSeats();
    expect(after.get(leaving.participantId)).toBeNull();
    for (const [id, table] of before) if (table !== null && table !== 1) expect(after.get(id), id).toBe(table);
    const talk = (await act('skip')).body;
    expect(talk.tables.map((t) => t.table)).not.toContain(1);
    const control = await http.get<MeView>('/api/me', leaving.token);
    expect(control.body.seat).toBeNull();
  });

  it('someone marked absent in the lobby is not seated, and is again once back', async () => {
    const { http, act, people, presence } = await setUp(1, 2);
    const [, first, second] = people;
    await presence(first!.participantId, false);
    const round1 = (await act('start')).body;
    expect(round1.tables[0]!.mentees.map((m) => m.id)).toEqual([second!.participantId]);
    await presence(first!.participantId, true);
    await act('skip');
    expect((await http.get<MeView>('/api/me', first!.token)).body.nextSeat?.table).toBe(1);
  });

  it('refuses presence changes without the organizer key or for unknown people', async () => {
    const { people, presence } = await setUp(1, 1);
    const someone = people[1]!;
    expect((await presence(someone.participantId, false, '')).status).toBe(401);
    expect((await presence(someone.participantId, false, 'wrong')).status).toBe(403);
    expect((await presence(someone.participantId, false, someone.token)).status).toBe(403);
    expect((await presence('nobody', false)).status).toBe(404);
    const bad = await server.app.inject({ method: 'POST', url: `/api/events/x/participants/y/presence`, payload: { present: 'no' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/present must be true/);
  });
});
