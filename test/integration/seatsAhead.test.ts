// While people talk, the server seats the next round ahead (server/realtime/seatsAhead.ts):
// the changeover then commits that very plan instead of seating everyone again, and seats
// afresh when someone arrived or left after it was made. On both stores, through their
// version counters (Store.listPeopleAndPlans).
import { afterEach, describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { planned } from '../../server/events/plannerThread';
import { api, sleep, waitFor } from '../support/http';
import { openEvent, organizer } from '../support/organizer';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { QUIET_MS } from '../../server/realtime/seatsAhead';

describe.each(STORE_KINDS)('seating the next round ahead on the %s store', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  async function talkingRoom(mentors: number, mentees: number) {
    server = await startServer(kind);
    const http = api(server.url);
    const event = await openEvent(http, { name: 'Ahead', seatsPerTable: 2 });
    const desk = organizer(http, event);
    const rows = [...Array.from({ length: mentors }, (_, i) => ({ name: `Mentor ${i}`, role: 'mentor' as const })), ...Array.from({ length: mentees }, (_, i) => ({ name: `Mentee ${i}`, role: 'mentee' as const }))];
    const people = await desk.import(rows);
    const nextTable = async (token: string) => (await http.get<MeView>('/api/me', token)).body.nextSeat?.table ?? null;
    await desk.act('start');
    // Round 2 is seated once the talk has been quiet for a moment.
    const afterStart = planned.onThread;
    await waitFor(() => planned.onThread > afterStart, 10_000, 'round 2 seated ahead');
    return { http, event, desk, people, nextTable, seatedAhead: planned.onThread };
  }

  it('the changeover shows the round seated during the talk, without seating it again', async () => {
    const { desk, people, nextTable, seatedAhead } = await talkingRoom(3, 6);
    const changeover = await desk.act('skip');
    expect(changeover.phase).toBe('changeover');
    expect(planned.onThread).toBe(seatedAhead);
    // Three tables of two: every mentee has a next seat, each at a table of its mentor's.
    const tables = new Map(changeover.nextTables.map((t) => [t.table, t.mentees.map((m) => m.id)]));
    for (const p of people.filter((p) => p.role === 'mentee')) {
      const table = await nextTable(p.token);
      expect(table, p.name).not.toBeNull();
      expect(tables.get(table!)).toContain(p.id);
    }
    // Nothing else is seated ahead until the next talk: the changeover already shows its round.
    await sleep(QUIET_MS * 2);
    expect(planned.onThread).toBe(seatedAhead);
  });

  it('seats afresh when someone arrived or was marked away after the round was seated ahead', async () => {
    const { http, event, desk, people, nextTable, seatedAhead } = await talkingRoom(3, 4);
    const late = (await http.post('/api/join', { code: event.code, name: 'Latecomer', role: 'mentee' })).body as { participantId: string; token: string };
    const away = people.find((p) => p.role === 'mentee')!;
    expect((await desk.presence(away.id, false)).status).toBe(200);
    const changeover = await desk.act('skip');
    expect(changeover.phase).toBe('changeover');
    expect(planned.onThread).toBeGreaterThan(seatedAhead);
    const seated = changeover.nextTables.flatMap((t) => t.mentees.map((m) => m.id));
    expect(seated).toContain(late.participantId);
    expect(seated).not.toContain(away.id);
    expect(await nextTable(late.token)).not.toBeNull();
    expect(await nextTable(away.token)).toBeNull();
  });
});
