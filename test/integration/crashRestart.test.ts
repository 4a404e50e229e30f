// `npm start` on the embedded store, killed with SIGKILL (a crash, an out-of-memory kill,
// a flat battery) mid-round and started again on the same DATA_DIR: everything anyone was
// told was saved is there, the phase ticker catches up from the stored deadlines, and a
// phone that stayed open gets its seat back by itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { api, sleep, waitFor } from '../support/http';
import { me, openEvent, organizer } from '../support/organizer';
import { openTap } from '../support/sockets';
import { serverProcess, type ServerProcess } from '../support/serverProcess';

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.cleanup();
});

const rows = [
  { name: 'Grace Mentor', role: 'mentor' as const, email: 'grace@example.org' },
  { name: 'Alan Mentor', role: 'mentor' as const },
  { name: 'Ada Mentee', role: 'mentee' as const },
  { name: 'Bob Mentee', role: 'mentee' as const },
];

describe('a crash on the embedded store', () => {
  it('loses nothing acknowledged: state, deadline, seats, links, organizer key, ratings and follow-ups come back', { timeout: 90_000 }, async () => {
    server = await serverProcess({ store: 'sqlite', tickMs: 100 });
    await server.start();
    const http = api(server.url);

    // An event in round 1 with every pair rated both ways.
    const live = await openEvent(http, { name: 'Live night', rounds: 2, roundSeconds: 600, changeoverSeconds: 60 });
    const desk = organizer(http, live);
    const people = await desk.import(rows);
    await desk.act('start');
    const seats = new Map<string, MeView['seat']>();
    for (const person of people) seats.set(person.id, (await me(http, person)).seat);
    for (const person of people) {
      const seat = seats.get(person.id)!;
      for (const other of seat.with) {
        const reply = await http.post('/api/ratings', { round: 1, targetId: other.id, score: 4, note: `${person.name} on ${other.name}` }, person.token);
        expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
      }
    }
    const before = await desk.state();
    expect(before.phase).toBe('talk');

    // An event that ended, with a mutual follow-up and a shared email.
    const done = await openEvent(http, { name: 'Done night', rounds: 1 });
    const doneDesk = organizer(http, done);
    const [mentor, mentee] = await doneDesk.import([rows[0]!, rows[2]!]);
    await doneDesk.act('start');
    await doneDesk.act('end');
    expect((await http.post('/api/me/follow-ups', { targetId: mentee!.id, follow: true }, mentor!.token)).status).toBe(200);
    expect((await http.post('/api/me/follow-ups', { targetId: mentor!.id, follow: true }, mentee!.token)).status).toBe(200);
    expect((await http.post('/api/me/contact', { email: 'ada@example.org' }, mentee!.token)).status).toBe(200);

    // A round that ends while the server is down: the ticker must catch up from its deadline.
    const quick = await openEvent(http, { name: 'Quick night', rounds: 2, roundSeconds: 2, changeoverSeconds: 600 });
    const quickDesk = organizer(http, quick);
    await quickDesk.import(rows);
    const quickStart = await quickDesk.act('start');

    // A phone that stays open through it all, reconnecting by itself as the real page does.
    const ada = people.find((p) => p.name === 'Ada Mentee')!;
    const snapshots: MeView[] = [];
    const { socket: phone } = openTap(server.url, { token: ada.token }, { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 });
    phone.on('me:snapshot', (view) => void snapshots.push(view));
    await waitFor(() => snapshots.length > 0, 5000, 'the first snapshot');
    expect(snapshots[0]!.seat?.table).toBe(seats.get(ada.id)!.table);

    await server.kill();
    await waitFor(() => !phone.connected, 5000, 'the phone noticing the server is gone');
    const seen = snapshots.length;
    await sleep(Math.max(0, quickStart.phaseEndsAt! + 300 - Date.now()));
    await server.start();
    const restartedAt = Date.now();

    // The phone is back by itself, at its seat, on the same deadline.
    const back = await waitFor(() => snapshots[seen], 15_000, 'a snapshot after the restart');
    expect(back.seat?.table).toBe(seats.get(ada.id)!.table);
    expect(back.event.phaseEndsAt).toBe(before.phaseEndsAt);

    const after = await desk.state();
    expect(after).toMatchObject({ status: 'running', phase: 'talk', round: 1, phaseEndsAt: before.phaseEndsAt });
    for (const person of people) expect((await me(http, person)).seat).toEqual(seats.get(person.id));
    // The organizer key still works, and only it; the join code still lets people in.
    expect((await http.get(`/api/events/${live.id}/export.json`, 'not-the-key')).status).toBe(403);
    const exported = await desk.exportJson();
    const ratings = exported.pairings.filter((p) => p.round === 1).flatMap((p) => [p.mentorRating, p.menteeRating]);
    expect(ratings).toHaveLength(4);
    for (const rating of ratings) expect(rating).toMatchObject({ score: 4, note: expect.stringMatching(/ on /) });
    expect((await http.post('/api/join', { code: live.code, name: 'Late Mentee', role: 'mentee' })).status).toBe(201);

    const mentorView = await me(http, mentor!);
    expect(mentorView.followUp?.people).toEqual([expect.objectContaining({ id: mentee!.id, chosen: true, mutual: true, email: 'ada@example.org' })]);
    expect((await doneDesk.exportJson()).followUps.every((f) => f.mutual)).toBe(true);

    // The round that ran out while the server was down moved on: its changeover keeps the
    // schedule from the stored deadline, or, when the server came back over 10 s late (a
    // slow start), lasts its whole length from then (shared/roundEngine.ts advanceDue).
    await waitFor(async () => (await quickDesk.state()).phase === 'changeover', 5000, 'the quick event in its changeover');
    const changeoverEndsAt = (await quickDesk.state()).phaseEndsAt!;
    expect(changeoverEndsAt).toBeGreaterThanOrEqual(quickStart.phaseEndsAt! + 600_000);
    expect(changeoverEndsAt).toBeLessThanOrEqual(Date.now() + 600_000);
    if (restartedAt - quickStart.phaseEndsAt! < 9_000) expect(changeoverEndsAt).toBe(quickStart.phaseEndsAt! + 600_000);
  });
});
