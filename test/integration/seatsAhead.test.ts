// While people talk, the server seats the next round ahead (server/realtime/seatsAhead.ts):
// the changeover then commits that very plan instead of seating everyone again, and seats
// afresh when someone arrived or left after it was made. On Redis, whose lists stay the same
// frozen objects until something in them changes.
import { afterEach, describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { planned } from '../../server/events/plannerThread';
import { api, sleep, waitFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { QUIET_MS } from '../../server/realtime/seatsAhead';

describe('seating the next round ahead', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  async function talkingRoom(mentors: number, mentees: number) {
    server = await startServer('redis');
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Ahead', rounds: 3, roundSeconds: 600, changeoverSeconds: 300, seatsPerTable: 2 })).body;
    const join = async (name: string, role: 'mentor' | 'mentee') => (await http.post('/api/join', { code: event.code, name, role })).body as { participantId: string; token: string };
    const people: { participantId: string; token: string }[] = [];
    for (let i = 0; i < mentors; i++) people.push(await join(`Mentor ${i}`, 'mentor'));
    for (let i = 0; i < mentees; i++) people.push(await join(`Mentee ${i}`, 'mentee'));
    const act = (action: string) => http.post<PublicEventState>(`/api/events/${event.id}/actions`, { action }, event.organizerKey);
    const nextTable = async (token: string) => (await http.get<MeView>('/api/me', token)).body.nextSeat?.table ?? null;
    expect((await act('start')).status).toBe(200);
    // Round 2 is seated once the talk has been quiet for a moment.
    const afterStart = planned.onThread;
    await waitFor(() => planned.onThread > afterStart, 10_000, 'round 2 seated ahead');
    return { http, event, join, people, act, nextTable, seatedAhead: planned.onThread };
  }

  it('the changeover shows the round seated during the talk, without seating it again', async () => {
    const { act, people, nextTable, seatedAhead } = await talkingRoom(3, 6);
    const changeover = (await act('skip')).body;
    expect(changeover.phase).toBe('changeover');
    expect(planned.onThread).toBe(seatedAhead);
    // Three tables of two: every mentee has a next seat, each at a table of its mentor's.
    const tables = new Map(changeover.nextTables.map((t) => [t.table, t.mentees.map((m) => m.id)]));
    for (const p of people.slice(3)) {
      const table = await nextTable(p.token);
      expect(table, p.participantId).not.toBeNull();
      expect(tables.get(table!)).toContain(p.participantId);
    }
    // Nothing else is seated ahead until the next talk: the changeover already shows its round.
    await sleep(QUIET_MS * 2);
    expect(planned.onThread).toBe(seatedAhead);
  });

  it('seats afresh when someone arrived or was marked away after the round was seated ahead', async () => {
    const { http, event, join, act, people, nextTable, seatedAhead } = await talkingRoom(3, 4);
    const late = await join('Latecomer', 'mentee');
    const away = people[3]!.participantId;
    expect((await http.post(`/api/events/${event.id}/participants/${away}/presence`, { present: false }, event.organizerKey)).status).toBe(200);
    const changeover = (await act('skip')).body;
    expect(changeover.phase).toBe('changeover');
    expect(planned.onThread).toBeGreaterThan(seatedAhead);
    const seated = changeover.nextTables.flatMap((t) => t.mentees.map((m) => m.id));
    expect(seated).toContain(late.participantId);
    expect(seated).not.toContain(away);
    expect(await nextTable(late.token)).not.toBeNull();
    expect(await nextTable(people[3]!.token)).toBeNull();
  });
});
