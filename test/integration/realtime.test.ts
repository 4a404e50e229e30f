// The realtime side as people notice it, with real socket.io-client phones, a projector
// and a Control page against a real server, on the embedded (SQLite) store and on Redis: snapshots
// on connect, phase changes for everybody, each seat to its own person only, reconnects,
// refused handshakes, ratings and organizer actions over the socket, the clock ping, no
// per-second chatter, and Control's roster and rating progress.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { api, sleep, waitFor } from '../support/http';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { connectTap, refusedTap, type Payload, type Tap, type TapOptions } from '../support/sockets';

type SeatMessage = Payload<'seat:changed'>;

const TOPICS = ['design', 'career', 'data'];

interface Person {
  id: string;
  name: string;
  role: 'mentor' | 'mentee';
  token: string;
}

describe.each(STORE_KINDS)('realtime on the %s store', (kind) => {
  let server: TestServer | undefined;
  const url = () => {
    if (!server) throw new Error('start the server first');
    return server.url;
  };
  // Each test spells out the handshake it sends, protocol version included.
  const connect = (auth: Record<string, unknown>, options: TapOptions = {}) => connectTap(url(), auth, { authAsIs: true, ...options });
  const refusal = (auth: Record<string, unknown>) => refusedTap(url(), auth, { authAsIs: true });

  const phone = (person: Person, options: TapOptions = {}) => connect({ v: PROTOCOL_VERSION, token: person.token }, options);

  /** An event with long phases (nothing moves on its own) and people who joined with the code. */
  async function setUp(mentors = 2, mentees = 3) {
    server = await startServer(kind);
    const http = api(server.url);
    const created = await http.post('/api/events', { name: 'Realtime night', rounds: 3, roundSeconds: 600, changeoverSeconds: 600, seatsPerTable: 1, topics: TOPICS });
    expect(created.status).toBe(201);
    const { id, code, organizerKey } = created.body as { id: string; code: string; organizerKey: string };
    const people: Person[] = [];
    const join = async (name: string, role: Person['role'], i: number) => {
      const reply = await http.post('/api/join', { code, name, role, topics: [TOPICS[i % TOPICS.length]] });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      people.push({ id: reply.body.participantId, name, role, token: reply.body.token });
    };
    for (let i = 0; i < mentors; i++) await join(`Mentor ${i + 1}`, 'mentor', i);
    for (let i = 0; i < mentees; i++) await join(`Mentee ${i + 1}`, 'mentee', i);
    const act = async (action: string) => {
      const reply = await http.post<PublicEventState>(`/api/events/${id}/actions`, { action }, organizerKey);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body;
    };
    const me = async (person: Person) => {
      const reply = await http.get<MeView>('/api/me', person.token);
      expect(reply.status).toBe(200);
      return reply.body;
    };
    return {
      http,
      id,
      organizerKey,
      people,
      mentors: people.filter((p) => p.role === 'mentor'),
      mentees: people.filter((p) => p.role === 'mentee'),
      act,
      me,
      projector: () => connect({ v: PROTOCOL_VERSION, eventId: id }),
      control: () => connect({ v: PROTOCOL_VERSION, eventId: id, organizerKey }),
    };
  }

  /** Each phone's seat messages are its own: exactly `count` so far, the last one equal to what GET /api/me says. */
  async function expectOwnSeats(event: Awaited<ReturnType<typeof setUp>>, phones: Map<Person, Tap>, count: number) {
    for (const [person, tap] of phones) {
      await tap.nth('seat:changed', count);
      await tap.sync();
      const seats = tap.all('seat:changed');
      expect(seats, `${person.name} got someone else's seat too`).toHaveLength(count);
      const view = await event.me(person);
      // What the phone holds: its snapshot, then each message's seats (a seat left out is unchanged).
      const snapshot = tap.all('me:snapshot')[0]!;
      let held = { seat: snapshot.seat, nextSeat: snapshot.nextSeat };
      for (const message of seats) held = { seat: message.seat === undefined ? held.seat : message.seat, nextSeat: message.nextSeat === undefined ? held.nextSeat : message.nextSeat };
      expect(held, person.name).toEqual({ seat: view.seat, nextSeat: view.nextSeat });
      // The phase travels with the seats: one message per phone, and the same state GET /api/me shows.
      const last: SeatMessage = seats[count - 1]!;
      const { serverNow: _then, remainingMs: _left, ...shown } = last.event;
      for (const [field, value] of Object.entries(shown)) expect(view.event[field as keyof typeof view.event], `${person.name}: ${field}`).toEqual(value);
      expect(Object.keys(shown).sort(), person.name).toEqual(['changedAt', 'headcount', 'id', 'phase', 'phaseEndsAt', 'round', 'stats', 'status', 'version']);
      for (const seat of [view.seat, view.nextSeat]) {
        if (seat) expect(seat.with.map((p) => p.id)).not.toContain(person.id);
      }
    }
  }

  it('sends a phone its me:snapshot as soon as it connects: who it is, the event, no seat in the lobby', async () => {
    const event = await setUp();
    const mentee = event.mentees[0]!;
    const tap = await phone(mentee);
    const view = await tap.nth('me:snapshot', 1);
    expect(view.participant).toEqual({ id: mentee.id, name: mentee.name, role: 'mentee', present: true });
    expect(view.followUp).toBeNull();
    expect(view.event).toMatchObject({ id: event.id, name: 'Realtime night', status: 'lobby', phase: 'lobby', round: 0, rounds: 3, roundSeconds: 600, phaseEndsAt: null, headcount: { mentors: 2, mentees: 3 } });
    expect(view.event).not.toHaveProperty('tables');
    expect(view.seat).toBeNull();
    expect(view.nextSeat).toBeNull();
    expect(view.met).toEqual([]);
    expect(view.ratingsGiven).toEqual([]);
    await tap.sync();
    // (The joins' headcount may come too: roster updates go out up to 250 ms after them.)
    expect(tap.inbox.map((m) => m.event).filter((name) => name !== 'headcount:changed')).toEqual(['me:snapshot']);
  });

  it('on start over HTTP: every phone gets one message with the phase (no tables) and only its own seat; the projector gets the tables', async () => {
    const event = await setUp(2, 3);
    const phones = new Map<Person, Tap>();
    for (const person of event.people) phones.set(person, await phone(person));
    const projector = await event.projector();
    const lobby = await projector.nth('state:snapshot', 1);
    expect(lobby).toMatchObject({ id: event.id, phase: 'lobby', tables: [] });

    await event.act('start');
    const onScreen = await projector.find('state:snapshot', (s) => s.phase === 'talk', 'the projector to show round 1');
    expect(onScreen).toMatchObject({ status: 'running', round: 1 });
    expect(onScreen.tables).toHaveLength(2);

    for (const [person, tap] of phones) {
      const { event: changed } = await tap.find('seat:changed', (m) => m.event.phase === 'talk', `${person.name}'s seat:changed`);
      expect(changed).toMatchObject({ id: event.id, status: 'running', phase: 'talk', round: 1 });
      expect(changed).not.toHaveProperty('tables');
      expect(changed.phaseEndsAt! - changed.serverNow).toBeGreaterThan(590_000);
    }
    await expectOwnSeats(event, phones, 1);

    // What the phones were told agrees with the projector: each mentor and mentee at one table together.
    const seated = new Map<string, number>();
    for (const [person, tap] of phones) {
      const { seat } = tap.all('seat:changed')[0]!;
      if (seat) seated.set(person.id, seat.table);
      if (seat && person.role === 'mentee') expect(seat.with[0]?.role).toBe('mentor');
    }
    for (const table of onScreen.tables) {
      expect(seated.get(table.mentor.id)).toBe(table.table);
      for (const mentee of table.mentees) expect(seated.get(mentee.id)).toBe(table.table);
    }
    expect([...seated.keys()]).toHaveLength(4); // 2 mentors + 2 mentees; the third mentee sits this round out
    const byes = event.mentees.filter((m) => !seated.has(m.id));
    expect(byes).toHaveLength(1);
    expect(phones.get(byes[0]!)!.all('seat:changed')[0]).toMatchObject({ seat: null, nextSeat: null });

    // Into the changeover: the next table arrives the same way, again only to its person.
    await event.act('skip');
    for (const tap of phones.values()) await tap.find('seat:changed', (m) => m.event.phase === 'changeover');
    await expectOwnSeats(event, phones, 2);
    for (const [person, tap] of phones) {
      const last = tap.all('seat:changed')[1]!;
      if (last.nextSeat) expect(last.nextSeat.round).toBe(2);
    }

    // A pause moves nobody: one small room broadcast, no seat messages.
    await event.act('pause');
    for (const [person, tap] of phones) {
      const paused = await tap.find('phase:changed', (e) => e.status === 'paused', `${person.name}'s pause`);
      expect(paused).toMatchObject({ phase: 'changeover', round: 1, phaseEndsAt: null });
      expect(paused).not.toHaveProperty('tables');
      await tap.sync();
      expect(tap.all('seat:changed'), person.name).toHaveLength(2);
      // A phone is neither a projector nor Control; each change reached it once. (The joins'
      // headcount may reach it at any point: roster updates go out at most every 250 ms.)
      const told = tap.inbox.map((m) => m.event).filter((name) => name !== 'headcount:changed');
      expect(told, person.name).toEqual(['me:snapshot', 'seat:changed', 'seat:changed', 'phase:changed']);
    }
    expect((await projector.find('state:snapshot', (s) => s.status === 'paused')).tables).toHaveLength(2);
  });

  it('lets Control steer over its socket with acks, and phones follow', async () => {
    const event = await setUp(2, 2);
    const [mentor, mentee] = [event.mentors[0]!, event.mentees[0]!];
    const phones = new Map<Person, Tap>([
      [mentor, await phone(mentor)],
      [mentee, await phone(mentee)],
    ]);
    const control = await event.control();
    expect(await control.nth('state:snapshot', 1)).toMatchObject({ phase: 'lobby', tables: [] });
    expect((await control.nth('control:snapshot', 1)).state.phase).toBe('lobby');

    const started = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'start' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    if (started.ok) {
      expect(started.value).toMatchObject({ id: event.id, status: 'running', phase: 'talk', round: 1 });
      expect(started.value.tables).toHaveLength(2);
    }
    for (const tap of phones.values()) {
      const { event: changed } = await tap.find('seat:changed', (m) => m.event.phase === 'talk');
      expect(changed).not.toHaveProperty('tables');
    }
    await expectOwnSeats(event, phones, 1);
    expect(phones.get(mentee)!.all('seat:changed')[0]!.seat).not.toBeNull();

    const again = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'start' });
    expect(again).toMatchObject({ ok: false, status: 409 });
    const unknown = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'fly' });
    expect(unknown).toMatchObject({ ok: false, status: 400 });
    if (!unknown.ok) expect(unknown.message).toMatch(/action must be one of/);
    const badSeconds = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'extend', seconds: 0 });
    expect(badSeconds).toMatchObject({ ok: false, status: 400 });
    if (!badSeconds.ok) expect(badSeconds.message).toMatch(/seconds/);

    const skipped = await control.socket.timeout(5000).emitWithAck('organizer:action', { action: 'skip' });
    expect(skipped).toMatchObject({ ok: true, value: { phase: 'changeover', round: 1 } });
    expect(await control.find('state:snapshot', (s) => s.phase === 'changeover')).toMatchObject({ round: 1 });
    await expectOwnSeats(event, phones, 2);
  });

  it('gives a phone that reconnects with its token a fresh me:snapshot with the same seat, without joining again', async () => {
    const event = await setUp(2, 3);
    const mentor = event.mentors[0]!;
    const first = await phone(mentor);
    await first.nth('me:snapshot', 1);
    await event.act('start');
    const { seat } = await first.nth('seat:changed', 1);
    expect(seat).not.toBeNull();
    expect(seat!.round).toBe(1);

    // The phone goes away mid-round (screen locked, app closed) and comes back.
    first.socket.disconnect();
    const second = await phone(mentor);
    const back = await second.nth('me:snapshot', 1);
    expect(back.participant.id).toBe(mentor.id);
    expect(back.event).toMatchObject({ phase: 'talk', round: 1, headcount: { mentors: 2, mentees: 3 } });
    expect(back.seat).toEqual(seat);

    // The network drops under it: socket.io reconnects by itself and the server sends the view again.
    const third = await phone(mentor, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
    await third.nth('me:snapshot', 1);
    const disconnected = new Promise<string>((resolve) => third.socket.once('disconnect', (reason) => resolve(reason)));
    third.socket.io.engine.transport.close();
    expect(await disconnected).toBe('transport close');
    const again = await third.nth('me:snapshot', 2);
    expect(third.socket.connected).toBe(true);
    expect(again.seat).toEqual(seat);
    expect(again.event.round).toBe(1);

    // Nobody was added by coming back.
    const state = (await event.http.get<PublicEventState>(`/api/events/${event.id}/state`)).body;
    expect(state.headcount).toEqual({ mentors: 2, mentees: 3 });
    const control = await event.control();
    const roster = (await control.nth('control:snapshot', 1)).roster;
    expect(roster).toHaveLength(5);
    expect(roster.filter((r) => r.id === mentor.id)).toEqual([expect.objectContaining({ online: true })]);
  });

  it('refuses bad handshakes with a message a person can read', async () => {
    const event = await setUp(1, 1);
    const person = event.mentees[0]!;
    expect(await refusal({ v: PROTOCOL_VERSION, token: 'not-a-real-token' })).toMatch(/sign-in is not known here/);
    expect(await refusal({ v: PROTOCOL_VERSION + 1, token: person.token })).toMatch(/updated: reload the page/);
    expect(await refusal({ token: person.token })).toMatch(/reload the page/);
    expect(await refusal({ v: PROTOCOL_VERSION, eventId: 'no-such-event' })).toMatch(/no event with that id/);
    expect(await refusal({ v: PROTOCOL_VERSION, eventId: event.id, organizerKey: 'wrong-key' })).toMatch(/organizer key is not the one for this event/);
    expect(await refusal({ v: PROTOCOL_VERSION, eventId: 'no-such-event', organizerKey: event.organizerKey })).toMatch(/no event with that id/);
    expect(await refusal({ v: PROTOCOL_VERSION })).toMatch(/participant token or an event id/);
    expect(await refusal({})).toMatch(/as the handshake auth/);
    // The right ones still get in.
    await phone(person);
    await event.control();
    await event.projector();
  });

  it('takes ratings over the socket, answers bad ones with a sentence, and keeps serving', async () => {
    const event = await setUp(2, 2);
    await event.act('start');
    await event.act('skip'); // changeover 1: time to rate
    const mentor = event.mentors[0]!;
    const mentorPhone = await phone(mentor);
    const { seat } = await mentorPhone.nth('me:snapshot', 1);
    expect(seat).toMatchObject({ round: 1, table: 1 });
    const partner = event.mentees.find((m) => m.id === seat!.with[0]!.id)!;
    const menteePhone = await phone(partner);
    await menteePhone.nth('me:snapshot', 1);
    const rate = (tap: Tap, payload: unknown) => tap.socket.timeout(5000).emitWithAck('rating:submit', payload);

    const fromMentor = await rate(mentorPhone, { round: 1, targetId: partner.id, score: 4, tags: ['prepared'], note: 'sent over the socket' });
    expect(fromMentor).toEqual({ ok: true, value: { round: 1, targetId: partner.id } });
    expect(await rate(menteePhone, { round: 1, targetId: mentor.id, score: 5 })).toEqual({ ok: true, value: { round: 1, targetId: mentor.id } });

    const refused = async (payload: unknown, status: number, message: RegExp) => {
      const reply = await rate(mentorPhone, payload);
      expect(reply, JSON.stringify(payload)).toMatchObject({ ok: false, status });
      if (!reply.ok) expect(reply.message, JSON.stringify(payload)).toMatch(message);
    };
    await refused({ round: 1, targetId: partner.id, score: 9 }, 400, /score must be between 1 and 5/);
    await refused({ round: 1, score: 3 }, 400, /targetId/);
    await refused('great talk!', 400, /send a JSON object like/);
    await refused(null, 400, /send a JSON object like/);
    await refused({ round: 1, targetId: partner.id, score: 3, tags: 'nice' }, 400, /tags must be a list/);
    await refused({ round: 1, targetId: event.mentors[1]!.id, score: 3 }, 403, /only rate someone you sat with in round 1/);
    await refused({ round: 2, targetId: partner.id, score: 3 }, 409, /Round 2 has not taken place yet/);

    // An ack with no payload at all still gets an answer.
    expect(await mentorPhone.raw.timeout(5000).emitWithAck('rating:submit')).toMatchObject({ ok: false, status: 400 });

    // No ack callback at all: bad ones change nothing and break nothing.
    mentorPhone.raw.emit('rating:submit', { round: 1, targetId: partner.id, score: 9 });
    mentorPhone.raw.emit('rating:submit', 'junk');
    mentorPhone.raw.emit('rating:submit');
    await mentorPhone.sync();
    expect(mentorPhone.socket.connected).toBe(true);

    // Only Control steers; only participants rate.
    const steer = await mentorPhone.socket.timeout(5000).emitWithAck('organizer:action', { action: 'skip' });
    expect(steer).toMatchObject({ ok: false, status: 403 });
    if (!steer.ok) expect(steer.message).toMatch(/organizer/);
    const projector = await event.projector();
    const fromScreen = await projector.socket.timeout(5000).emitWithAck('rating:submit', { round: 1, targetId: partner.id, score: 1 });
    expect(fromScreen).toMatchObject({ ok: false, status: 403 });
    expect((await event.http.get<PublicEventState>(`/api/events/${event.id}/state`)).body).toMatchObject({ phase: 'changeover', round: 1 });

    expect((await event.http.get('/healthz')).status).toBe(200);
    await mentorPhone.sync();

    const view = await event.me(mentor);
    expect(view.ratingsGiven).toEqual([{ round: 1, targetId: partner.id, score: 4 }]);
    const exported = await event.http.get(`/api/events/${event.id}/export.csv`, event.organizerKey);
    expect(exported.status).toBe(200);
    const rows = parse(exported.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.mentor_id === mentor.id)).toMatchObject({
      round: '1',
      mentee_id: partner.id,
      mentor_score: '4',
      mentor_tags: 'prepared',
      mentor_note: 'sent over the socket',
      mentee_score: '5',
    });
    expect(rows.find((r) => r.mentor_id !== mentor.id)).toMatchObject({ mentor_score: '', mentee_score: '' });

    // A valid rating sent fire-and-forget (no ack) is still kept: it replaces the earlier one.
    menteePhone.raw.emit('rating:submit', { round: 1, targetId: mentor.id, score: 2 });
    await expect.poll(async () => (await event.me(partner)).ratingsGiven).toEqual([{ round: 1, targetId: mentor.id, score: 2 }]);
  });

  it('answers clock:ping with the client time it was sent and the server time', async () => {
    const event = await setUp(1, 1);
    const tap = await phone(event.mentees[0]!);
    const projector = await event.projector();
    for (const socket of [tap.socket, projector.socket]) {
      const sentAt = Date.now();
      const reply = await socket.timeout(5000).emitWithAck('clock:ping', { clientSentAt: sentAt });
      const receivedAt = Date.now();
      // Server and test share one process clock here, so the server's "now" lies within the round trip.
      expect(reply.clientSentAt).toBe(sentAt);
      expect(reply.serverNow).toBeGreaterThanOrEqual(sentAt);
      expect(reply.serverNow).toBeLessThanOrEqual(receivedAt);
    }
    const odd = await tap.raw.timeout(5000).emitWithAck('clock:ping', { clientSentAt: 'yesterday' });
    expect(odd.clientSentAt).toBe(0);
    expect(Math.abs(odd.serverNow - Date.now())).toBeLessThan(5000);
  });

  it('sends nothing while a talk simply runs: no per-second ticks', async () => {
    const event = await setUp(1, 1);
    // Let the joins' headcount update (throttled, ~250 ms after a join) go out first.
    await sleep(400);
    const tap = await phone(event.mentees[0]!);
    const projector = await event.projector();
    await event.act('start');
    await tap.nth('seat:changed', 1);
    await projector.find('state:snapshot', (s) => s.phase === 'talk');
    await Promise.all([tap.sync(), projector.sync()]);
    tap.inbox.length = 0;
    projector.inbox.length = 0;
    await sleep(2500);
    expect(tap.inbox).toEqual([]);
    expect(projector.inbox).toEqual([]);
  });

  it("shows Control who is online and how many ratings came in", async () => {
    const event = await setUp(2, 2);
    const control = await event.control();
    const first = await control.nth('control:snapshot', 1);
    expect(first.roster.map((r) => r.id).sort()).toEqual(event.people.map((p) => p.id).sort());
    expect(first.roster.every((r) => !r.online)).toBe(true);
    expect(first.roster.filter((r) => r.role === 'mentor').map((r) => r.table)).toEqual([1, 2]);

    const mentor = event.mentors[0]!;
    const mentorPhone = await phone(mentor);
    const online = await control.find('control:snapshot', (v) => v.roster.some((r) => r.id === mentor.id && r.online), 'the mentor to show online');
    expect(online.roster.filter((r) => r.online).map((r) => r.id)).toEqual([mentor.id]);

    await event.act('start');
    await event.act('skip');
    const changeover = await control.find('control:snapshot', (v) => v.state.phase === 'changeover', 'the changeover on Control');
    expect(changeover.ratingProgress).toEqual({ round: 1, given: 0, possible: 4 });
    expect(changeover.nextTables).toHaveLength(2);

    const { seat } = await event.me(mentor);
    const reply = await mentorPhone.socket.timeout(5000).emitWithAck('rating:submit', { round: 1, targetId: seat!.with[0]!.id, score: 5 });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const progressed = await control.find('control:snapshot', (v) => v.ratingProgress.given === 1, 'the rating to count on Control');
    expect(progressed.ratingProgress).toEqual({ round: 1, given: 1, possible: 4 });

    mentorPhone.socket.disconnect();
    const offline = await control.find(
      'control:snapshot',
      (v) => v.ratingProgress.given === 1 && v.roster.every((r) => !r.online),
      'the mentor to show offline',
    );
    expect(offline.roster).toHaveLength(4);
  });
});
