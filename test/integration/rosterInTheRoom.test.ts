// Changing the roster while the event runs: moving a mentee to another table for the next
// round, removing someone, a mentor leaving from their own phone ("I have to leave") and
// coming back, and a fresh personal link. Every change re-plans the round already shown at
// once; only the people whose seat changed are told (seat:changed), everyone else keeps theirs.
import { describe, expect, it } from 'vitest';
import { api, sleep, waitFor } from '../support/http';
import { me, nextTables, openEvent, organizer, type Person } from '../support/organizer';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { phoneTap } from '../support/sockets';

describe.each(STORE_KINDS)('the roster in the room on the %s store', (kind) => {
  let server: TestServer | undefined;

  /** Mentors 1..m at tables 1..m, mentees after them; one seat per table. */
  async function setUp(mentors: number, mentees: number, settings: Record<string, unknown> = {}) {
    server = await startServer(kind);
    const http = api(server.url);
    const event = await openEvent(http, settings);
    const org = organizer(http, event);
    const people = await org.import([
      ...Array.from({ length: mentors }, (_, i) => ({ name: `Mentor ${i + 1}`, role: 'mentor' as const, topics: ['design'] })),
      ...Array.from({ length: mentees }, (_, i) => ({ name: `Mentee ${i + 1}`, role: 'mentee' as const, topics: ['design'] })),
    ]);
    const mentorAt = (table: number) => people.find((p) => p.role === 'mentor' && p.table === table)!;
    return { http, event, org, people, mentees: people.filter((p) => p.role === 'mentee'), mentorAt };
  }

  it('moves a mentee to a full table for the next round: the one there swaps, nobody else moves, and only their phones hear of it', async () => {
    const { http, org, people, mentees, mentorAt } = await setUp(4, 5);
    await org.act('start');
    await org.act('skip'); // changeover 1: round 2 is shown
    const before = await nextTables(http, people);
    const taps = new Map(await Promise.all(people.map(async (p) => [p.id, await phoneTap(server!.url, p.token)] as const)));
    // A mentee seated next round at a table whose mentor they have not met yet.
    const [mover, table] = (() => {
      for (const m of mentees) {
        const from = before.get(m.id);
        if (from === null) continue;
        for (let t = 1; t <= 4; t++) if (t !== from) return [m, t] as const;
      }
      throw new Error('no mentee to move');
    })();
    const metAlready = (await me(http, mover)).met.map((s) => s.table);
    const target = metAlready.includes(table) ? [1, 2, 3, 4].find((t) => t !== before.get(mover.id) && !metAlready.includes(t))! : table;
    const sittingThere = mentees.find((m) => before.get(m.id) === target)!;

    const reply = await org.move(mover.id, target);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ id: mover.id, pin: { round: 2, table: target }, planned: true });
    expect(reply.body.displaced.map((d: { id: string }) => d.id)).toEqual([sittingThere.id]);

    const after = await nextTables(http, people);
    expect(after.get(mover.id)).toBe(target);
    const changed = people.filter((p) => after.get(p.id) !== before.get(p.id)).map((p) => p.id);
    expect(changed).toContain(sittingThere.id);
    // Only the mover, the one who made room, and whoever took that seat move (a swap, or the one sitting out seated).
    expect(changed.length).toBeLessThanOrEqual(3);
    for (const p of people) if (!changed.includes(p.id) && p.role === 'mentee') expect(after.get(p.id), p.name).toBe(before.get(p.id));

    // seat:changed reaches the people whose seat changed (mentees and the mentors whose table changed), nobody else.
    const told = new Set<string>();
    await waitFor(() => taps.get(mover.id)!.all('seat:changed').length > 0, 5000, "the mover's seat:changed");
    for (const [id, tap] of taps) {
      await tap.sync();
      if (tap.all('seat:changed').length) told.add(id);
    }
    const affectedMentors = [target, before.get(mover.id), after.get(sittingThere.id)].flatMap((t) => (t ? [mentorAt(t).id] : []));
    expect([...told].sort()).toEqual([...new Set([...changed, ...affectedMentors])].sort());
    const message = taps.get(mover.id)!.all('seat:changed')[0]!;
    expect(message.nextSeat).toMatchObject({ round: 2, table: target });

    // The move holds when round 2 starts, and Control shows it until then.
    const round2 = await org.act('skip');
    expect(round2.tables.find((t) => t.table === target)!.mentees.map((m) => m.id)).toEqual([mover.id]);
  });

  it('honours a move made in the lobby or during a talk when that round is planned', async () => {
    const { http, org, mentees } = await setUp(3, 3);
    const [a, b] = mentees;
    expect((await org.move(a!.id, 3)).body).toMatchObject({ pin: { round: 1, table: 3 }, planned: false, displaced: [] });
    const round1 = await org.act('start');
    expect(round1.tables.find((t) => t.table === 3)!.mentees.map((m) => m.id)).toEqual([a!.id]);
    // In the talk: the move is for round 2, and a table already met is refused with a reason.
    const refused = await org.move(a!.id, 3);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/already met Mentor 3 \(table 3\) in round 1/);
    const bTable = (await me(http, b!)).seat!.table;
    const other = [1, 2, 3].find((t) => t !== bTable && t !== 3) ?? [1, 2, 3].find((t) => t !== bTable)!;
    expect((await org.move(b!.id, other)).body).toMatchObject({ pin: { round: 2, table: other }, planned: false });
    await org.act('skip');
    expect((await me(http, b!)).nextSeat?.table).toBe(other);
  });

  it('refuses moves that cannot be, with a sentence that says what to do, and changes nothing', async () => {
    const { http, event, org, people, mentees, mentorAt } = await setUp(2, 2, { rounds: 2 });
    const [a] = mentees;
    const cases: [() => Promise<{ status: number; body: any }>, number, RegExp][] = [
      [() => org.move(mentorAt(1).id, 2), 409, /Mentors keep their table/],
      [() => org.move(a!.id, 9), 409, /no table 9; the tables are 1, 2/],
      [() => org.move('nobody', 1), 404, /nobody with that id/],
      [() => http.post(`/api/events/${event.id}/participants/${a!.id}/table`, { table: 'two' }, event.organizerKey), 400, /table must be a table number/],
      [() => http.post(`/api/events/${event.id}/participants/${a!.id}/table`, { table: 1, round: 2 }, event.organizerKey), 400, /unknown field "round"/],
      [() => http.post(`/api/events/${event.id}/participants/${a!.id}/table`, { table: 1 }), 401, /organizer key/],
      [() => http.post(`/api/events/${event.id}/participants/${a!.id}/table`, { table: 1 }, a!.token), 403, /not the one for this event/],
    ];
    await org.presence(mentorAt(2).id, false);
    cases.push([() => org.move(a!.id, 2), 409, /Mentor 2, is marked absent/]);
    const before = JSON.stringify(await server!.store.listParticipants(event.id));
    for (const [call, status, message] of cases) {
      const reply = await call();
      expect(reply.status, JSON.stringify(reply.body)).toBe(status);
      expect(reply.body.message).toMatch(message);
    }
    expect(JSON.stringify(await server!.store.listParticipants(event.id))).toBe(before);
    await org.presence(mentorAt(2).id, true);
    await org.presence(a!.id, false);
    expect((await org.move(a!.id, 1)).body.message).toMatch(/marked absent: mark them present first/);
    await org.presence(a!.id, true);
    await org.act('start');
    await org.act('skip');
    await org.act('skip');
    expect((await org.move(a!.id, 1)).body.message).toMatch(/no round left/);
    expect(people).toHaveLength(4);
  });

  it('refuses to seat someone sitting out where the mentee making room would sit out unfairly', async () => {
    const { http, org, mentees } = await setUp(2, 3, { rounds: 2 });
    await org.act('start');
    await org.act('skip');
    const seats = await Promise.all(mentees.map(async (m) => ({ m, view: await me(http, m) })));
    // Round 2 seats the mentee who sat out round 1 (fair byes); one of the other two sits out now.
    const out = seats.find((s) => s.view.nextSeat === null)!;
    const fresh = seats.find((s) => s.view.met.length === 0)!;
    expect(out.view.met).toHaveLength(1);
    const reply = await org.move(out.m.id, fresh.view.nextSeat!.table);
    expect(reply.status).toBe(409);
    expect(reply.body.message).toMatch(new RegExp(`${fresh.m.name} would have to sit out with fewer sessions \\(0\\) than ${out.m.name} \\(1\\)`));
    expect((await me(http, fresh.m)).nextSeat).not.toBeNull();
  });

  it('removes someone: gone from the roster and the next round, their link stops working, their past round stays in the exports', async () => {
    const { http, org, people, mentees, mentorAt } = await setUp(3, 3);
    await org.act('start');
    const mentor = mentorAt(1);
    const partner = (await me(http, mentor)).seat!.with[0]!;
    await http.post('/api/ratings', { round: 1, targetId: partner.id, score: 5, note: 'Kept after removal' }, mentor.token);
    await org.act('skip');
    const before = await nextTables(http, people);
    const phone = await phoneTap(server!.url, mentor.token);

    const reply = await org.remove(mentor.id);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: mentor.id, removed: true });
    // Their phone is let go, and cannot come back with the old link.
    expect(await phone.disconnected).toBe('io server disconnect');
    const refused = await http.get('/api/me', mentor.token);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/organizer took you off this event/);
    expect((await http.post('/api/ratings', { round: 1, targetId: partner.id, score: 1 }, mentor.token)).status).toBe(401);

    // The mentee who was to sit with them next round is seated elsewhere; the others keep their seats.
    const after = await nextTables(http, people.filter((p) => p.id !== mentor.id));
    for (const m of mentees) if (before.get(m.id) !== 1) expect(after.get(m.id), m.name).toBe(before.get(m.id));
    const state = await org.state();
    expect(state.headcount).toEqual({ mentors: 2, mentees: 3 });
    expect(state.nextTables.map((t) => t.table)).toEqual([2, 3]);
    expect((await org.remove(mentor.id)).status).toBe(404);

    const data = await org.exportJson();
    expect(data.people.find((p) => p.id === mentor.id)).toMatchObject({ removed: true, present: false, name: 'Mentor 1' });
    expect(data.pairings.find((p) => p.round === 1 && p.mentorId === mentor.id)).toMatchObject({ menteeId: partner.id, mentorRating: { score: 5, note: 'Kept after removal' } });
    expect(await org.exportCsv()).toContain('Kept after removal');
  });

  it('"I have to leave" from a mentor\'s phone re-seats their mentees at once; "I\'m back" seats them from the next plan', async () => {
    const { http, org, people, mentees, mentorAt } = await setUp(3, 3, { rounds: 3 });
    await org.act('start');
    await org.act('skip');
    const mentor = mentorAt(2);
    const before = await nextTables(http, people);
    const theirs = mentees.find((m) => before.get(m.id) === 2)!;
    const menteePhone = await phoneTap(server!.url, theirs.token);
    const mentorPhone = await phoneTap(server!.url, mentor.token);

    const leave = await http.post('/api/me/presence', { present: false }, mentor.token);
    expect(leave.status).toBe(200);
    expect(leave.body).toEqual({ id: mentor.id, present: false });
    const moved = await waitFor(() => menteePhone.all('seat:changed')[0], 5000, 'the mentee to be re-seated');
    expect(moved.nextSeat?.table ?? null).not.toBe(2);
    const ownView = await waitFor(() => mentorPhone.all('me:snapshot').find((v) => !v.participant.present), 5000, "the mentor's own view");
    expect(ownView.nextSeat).toBeNull();
    const after = await nextTables(http, people);
    for (const m of mentees) if (m.id !== theirs.id) expect(after.get(m.id)).toBe(before.get(m.id));
    expect((await org.state()).nextTables.map((t) => t.table)).toEqual([1, 3]);

    const back = await http.post('/api/me/presence', { present: true }, mentor.token);
    expect(back.body).toEqual({ id: mentor.id, present: true });
    expect((await me(http, mentor)).participant.present).toBe(true);
    await org.act('skip');
    await org.act('skip'); // changeover 2: round 3 is planned with the mentor back
    expect((await org.state()).nextTables.map((t) => t.table)).toEqual([1, 2, 3]);

    // Bad input changes nothing; after the end there is nothing to leave.
    const bad = await http.post('/api/me/presence', { present: 'no', extra: 1 }, mentor.token);
    expect(bad.status).toBe(400);
    expect((await http.post('/api/me/presence', { present: false })).status).toBe(401);
    await org.act('end');
    const late = await http.post('/api/me/presence', { present: false }, mentor.token);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/has ended/);
  });

  it('issues a fresh personal link that replaces the old one', async () => {
    const { http, event, org, mentees } = await setUp(1, 1);
    const mentee = mentees[0]!;
    const phone = await phoneTap(server!.url, mentee.token);
    const reply = await org.newLink(mentee.id);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ id: mentee.id, name: 'Mentee 1', role: 'mentee' });
    expect(reply.body.joinUrl).toBe(`${server!.url}/j/${event.code}#t=${reply.body.token}`);
    expect(reply.body.token).not.toBe(mentee.token);
    expect(await phone.disconnected).toBe('io server disconnect');
    expect((await http.get('/api/me', mentee.token)).status).toBe(401);
    expect((await me(http, { token: reply.body.token })).participant.id).toBe(mentee.id);
    // Saying so explicitly is required: the old link stops working.
    const unconfirmed = await http.post(`/api/events/${event.id}/participants/${mentee.id}/link`, {}, event.organizerKey);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.message).toMatch(/replaceOldLink.*old link stops working/);
    await sleep(50);
    expect((await me(http, { token: reply.body.token })).participant.name).toBe('Mentee 1');
  });
});

export type { Person };
