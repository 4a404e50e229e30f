// A whole event over the HTTP API exactly as documented, on the embedded (SQLite) store and on
// Redis: 5 mentors and 14 mentees, 4 rounds at 2 seats per table, pause, resume,
// extend, skip, ratings from both sides, a late joiner, and the export.
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeView, PublicEventState } from '../../shared/domain';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { api, waitFor } from '../support/http';

const TOPICS = ['design', 'career', 'startups', 'data', 'leadership'];

describe.each(STORE_KINDS)('a whole event on the %s store', (kind) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('runs create → join → 4 rounds → export with every matching rule holding', async () => {
    server = await startServer(kind);
    const http = api(server.url);

    const created = await http.post('/api/events', { name: 'Spring mentoring night', rounds: 4, roundSeconds: 600, changeoverSeconds: 120, seatsPerTable: 2, topics: TOPICS });
    expect(created.status).toBe(201);
    const { id, code, organizerKey, joinUrl, mentorJoinUrl, screenUrl, controlUrl } = created.body;
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    expect(joinUrl).toBe(`${server.url}/j/${code}`);
    expect(mentorJoinUrl).toBe(`${server.url}/m/${code}`);
    expect(screenUrl).toBe(`${server.url}/screen/${id}`);
    expect(controlUrl).toContain(`/control/${id}`);
    const act = (action: string, seconds?: number) => http.post<PublicEventState>(`/api/events/${id}/actions`, seconds ? { action, seconds } : { action }, organizerKey);

    const tokens = new Map<string, string>();
    const roles = new Map<string, 'mentor' | 'mentee'>();
    const join = async (name: string, role: 'mentor' | 'mentee', i: number) => {
      const reply = await http.post('/api/join', { code: code.toLowerCase(), name, role, topics: [TOPICS[i % 5], TOPICS[(i * 3 + 1) % 5]], goal: role === 'mentee' ? `Goal of ${name}` : undefined });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.eventId).toBe(id);
      tokens.set(reply.body.participantId, reply.body.token);
      roles.set(reply.body.participantId, role);
      return reply.body.participantId as string;
    };
    for (let i = 0; i < 5; i++) await join(`Mentor ${i + 1}`, 'mentor', i);
    for (let i = 0; i < 14; i++) await join(`Mentee ${i + 1}`, 'mentee', i);

    const lobby = await http.get<PublicEventState>(`/api/events/${id}/state`);
    expect(lobby.body).toMatchObject({ id, name: 'Spring mentoring night', status: 'lobby', phase: 'lobby', round: 0, rounds: 4, phaseEndsAt: null, tables: [] });
    expect(lobby.body.headcount).toEqual({ mentors: 5, mentees: 14 });

    const presentSinceStart = [...roles].filter(([, r]) => r === 'mentee').map(([pid]) => pid);
    const met = new Set<string>();
    const sessions = new Map<string, number>();
    let lateJoiner = '';

    const checkRound = (state: PublicEventState, round: number, menteesPresent: string[]) => {
      expect(state.round).toBe(round);
      expect(state.tables).toHaveLength(5);
      const seated = state.tables.flatMap((t) => t.mentees.map((m) => m.id));
      expect(new Set(seated).size).toBe(seated.length);
      for (const table of state.tables) {
        expect(table.mentees.length).toBeLessThanOrEqual(2);
        for (const mentee of table.mentees) {
          const pair = `${table.mentor.id}|${mentee.id}`;
          expect(met.has(pair), `repeat ${pair} in round ${round}`).toBe(false);
          met.add(pair);
        }
      }
      expect(seated.length).toBe(Math.min(10, menteesPresent.length));
      for (const pid of seated) sessions.set(pid, (sessions.get(pid) ?? 0) + 1);
      const counts = presentSinceStart.map((pid) => sessions.get(pid) ?? 0);
      expect(Math.max(...counts) - Math.min(...counts), `session spread after round ${round}`).toBeLessThanOrEqual(1);
    };

    // Round 1
    let state = (await act('start')).body;
    expect(state).toMatchObject({ status: 'running', phase: 'talk', round: 1 });
    expect(state.phaseEndsAt! - state.serverNow).toBeGreaterThan(590_000);
    checkRound(state, 1, presentSinceStart);

    // Pause freezes the countdown; resume gives it back; extend adds a minute.
    const paused = (await act('pause')).body;
    expect(paused).toMatchObject({ status: 'paused', phaseEndsAt: null });
    expect(paused.remainingMs).toBeGreaterThan(590_000);
    expect((await act('pause')).status).toBe(409);
    const resumed = (await act('resume')).body;
    expect(resumed.status).toBe('running');
    expect(Math.abs(resumed.phaseEndsAt! - resumed.serverNow - paused.remainingMs!)).toBeLessThan(1000);
    const extended = (await act('extend')).body;
    expect(extended.phaseEndsAt! - resumed.phaseEndsAt!).toBe(60_000);
    expect((await act('extend', 30)).body.phaseEndsAt! - extended.phaseEndsAt!).toBe(30_000);

    const someMentee = presentSinceStart[0]!;
    let me = (await http.get<MeView>('/api/me', tokens.get(someMentee))).body;
    expect(me.participant).toMatchObject({ id: someMentee, role: 'mentee' });
    expect(me.event.round).toBe(1);
    expect(me).not.toHaveProperty('event.tables');

    for (let round = 1; round <= 4; round++) {
      // Talk → changeover: the next plan appears as nextSeat, and people rate.
      state = (await act('skip')).body;
      expect(state).toMatchObject({ phase: 'changeover', round });
      const plan = state.tables;
      for (const table of plan) {
        for (const mentee of table.mentees) {
          const fromMentor = await http.post('/api/ratings', { round, targetId: mentee.id, score: 4, tags: ['prepared'], note: `Note r${round}, "quoted"` }, tokens.get(table.mentor.id));
          expect(fromMentor.status, JSON.stringify(fromMentor.body)).toBe(201);
          const fromMentee = await http.post('/api/ratings', { round, targetId: table.mentor.id, score: 5, note: 'helpful' }, tokens.get(mentee.id));
          expect(fromMentee.status).toBe(201);
        }
      }
      if (round === 1) {
        // Sending again updates, never duplicates.
        const t = plan[0]!;
        const again = await http.post('/api/ratings', { round: 1, targetId: t.mentees[0]!.id, score: 2, tags: [], note: 'changed my mind' }, tokens.get(t.mentor.id));
        expect(again.status).toBe(201);
        // Only someone you sat with, and only rounds that happened.
        const stranger = plan.find((x) => x.mentor.id !== t.mentor.id)!.mentor.id;
        expect((await http.post('/api/ratings', { round: 1, targetId: stranger, score: 3 }, tokens.get(t.mentees[0]!.id))).status).toBe(403);
        expect((await http.post('/api/ratings', { round: 2, targetId: t.mentor.id, score: 3 }, tokens.get(t.mentees[0]!.id))).status).toBe(409);
      }
      if (round < 4) {
        // Every phone learns its next table as the changeover starts…
        const shown = new Map<string, number>();
        for (const [pid, token] of tokens) {
          const view = (await http.get<MeView>('/api/me', token)).body;
          expect(view.event.phase).toBe('changeover');
          if (view.nextSeat) {
            expect(view.nextSeat.round).toBe(round + 1);
            shown.set(pid, view.nextSeat.table);
          }
        }
        expect([...shown.keys()].filter((pid) => roles.get(pid) === 'mentee')).toHaveLength(10);
        const next = (await act('skip')).body;
        expect(next).toMatchObject({ phase: 'talk', round: round + 1 });
        // …and the next round seats people exactly there.
        for (const table of next.tables) {
          for (const person of [table.mentor, ...table.mentees]) {
            if (table.mentees.length) expect(shown.get(person.id), person.name).toBe(table.table);
          }
        }
        const menteesNow = [...roles].filter(([, r]) => r === 'mentee').map(([pid]) => pid);
        checkRound(next, round + 1, menteesNow);
        if (round === 1) {
          // A late joiner during round 2 waits, and is seated from round 3.
          lateJoiner = await join('Late Larissa', 'mentee', 7);
          const wait = (await http.get<MeView>('/api/me', tokens.get(lateJoiner))).body;
          expect(wait.seat).toBeNull();
          expect(wait.event.round).toBe(2);
        }
        if (round === 2) {
          const seatedNow = next.tables.flatMap((t) => t.mentees.map((m) => m.id));
          expect(seatedNow).toContain(lateJoiner);
        }
      }
    }
    // After the final changeover comes the end.
    state = (await act('skip')).body;
    expect(state).toMatchObject({ status: 'ended', phase: 'ended', round: 4 });
    expect((await act('start')).status).toBe(409);

    const endMe = (await http.get<MeView>('/api/me', tokens.get(someMentee))).body;
    // The end screen lists every round this mentee sat at a table: 2 or 3 of the 4 (10 seats, 14–15 mentees).
    expect(endMe.met.length).toBe(sessions.get(someMentee));
    expect(endMe.met.length).toBeGreaterThanOrEqual(2);

    const exported = await http.get(`/api/events/${id}/export.csv`, organizerKey);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const lines = exported.text.split('\r\n');
    expect(lines[0]).toBe('round,table,mentor_id,mentor_name,mentee_id,mentee_name,mentor_score,mentor_tags,mentor_note,mentee_score,mentee_note');
    const rows = parse(exported.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.round))).toEqual(new Set(['1', '2', '3', '4']));
    expect(rows.every((r) => r.mentee_score === '5' && r.mentee_note === 'helpful')).toBe(true);
    expect(rows.filter((r) => r.mentor_note === 'changed my mind' && r.mentor_score === '2')).toHaveLength(1);
    expect(rows.filter((r) => r.mentor_note?.includes('"quoted"'))).toHaveLength(39);
    expect(rows.some((r) => r.mentee_id === lateJoiner)).toBe(true);
    expect(exported.text).toContain('"Note r1, ""quoted"""');

    // Deleting removes everything: the state, the tokens, the export.
    expect((await http.del(`/api/events/${id}`, organizerKey)).status).toBe(200);
    expect((await http.get(`/api/events/${id}/state`)).status).toBe(404);
    expect((await http.get('/api/me', tokens.get(someMentee))).status).toBe(401);
  });

  it('runs a 2-round event with 2-second rounds to the end on its own clock', async () => {
    server = await startServer(kind);
    const http = api(server.url);
    const { id, code, organizerKey } = (await http.post('/api/events', { name: 'Quick', rounds: 2, roundSeconds: 2, changeoverSeconds: 1, seatsPerTable: 1 })).body;
    await http.post('/api/join', { code, name: 'Mentor', role: 'mentor' });
    await http.post('/api/join', { code, name: 'Mentee', role: 'mentee' });
    const started = (await http.post<PublicEventState>(`/api/events/${id}/actions`, { action: 'start' }, organizerKey)).body;
    const seen = new Set<string>();
    const ended = await waitFor(
      async () => {
        const s = (await http.get<PublicEventState>(`/api/events/${id}/state`)).body;
        seen.add(`${s.phase}${s.round}`);
        return s.status === 'ended' ? s : undefined;
      },
      12_000,
      'the event to end',
    );
    expect(ended.round).toBe(2);
    // 2 + 1 + 2 + 1 seconds of phases from the start's commit (its talk ends 2 s after it),
    // each moved on by the server within 1 s of its deadline.
    const startedAt = started.phaseEndsAt! - 2000;
    expect(ended.serverNow - startedAt).toBeGreaterThanOrEqual(6000);
    expect(ended.serverNow - startedAt).toBeLessThan(6000 + 4 * 1000);
    expect([...seen]).toEqual(expect.arrayContaining(['talk1', 'changeover1', 'talk2', 'changeover2']));
  });
});
