// From a registration spreadsheet to the sponsors' report: the sample files import as
// they are and run as a whole event; a bad or hostile file is refused whole with every
// row named (or kept as inert text); export.json holds every pairing with ratings, tags
// and notes; the CSV export neutralises formula cells; deleting an event leaves nothing.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { createClient } from 'redis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RESULTS_COLUMNS } from '../../server/views/resultsCsv';
import type { SqliteStore } from '../../server/store/SqliteStore';
import type { MeView } from '../../shared/domain';
import { buildReport } from '../../shared/report';
import { api } from '../support/http';
import { me, openEvent, organizer, type Person } from '../support/organizer';
import { STORE_KINDS, startServer, testPrefix, type TestServer } from '../support/server';

const sample = (file: string) => readFileSync(new URL(`../../data/${file}`, import.meta.url));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(STORE_KINDS)('the sample files on the %s store', (kind) => {
  it('import as they are and run as a whole demo event: every mentee seated each round, nobody meets a mentor twice', { timeout: 60_000 }, async () => {
    server = await startServer(kind);
    const http = api(server.url);
    const event = await openEvent(http, { rounds: 4, seatsPerTable: 5 });
    const org = organizer(http, event);
    const mentors = await org.importCsv(sample('mentors.csv'));
    const mentees = await org.importCsv(sample('mentees.csv'));
    expect(mentors.status, JSON.stringify(mentors.body).slice(0, 300)).toBe(201);
    expect(mentees.status, JSON.stringify(mentees.body).slice(0, 300)).toBe(201);
    expect((await org.state()).headcount).toEqual({ mentors: 40, mentees: 200 });
    const people: Person[] = [...mentors.body.participants, ...mentees.body.participants];
    // Each imported person has a personal link that opens their own seat.
    expect(people.every((p) => p.joinUrl.endsWith(`#t=${p.token}`))).toBe(true);
    expect(mentors.body.participants.map((p: Person) => p.table)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    await org.act('start');
    const firstMentor = people[0]!;
    const firstMentee = people[40]!;
    for (let round = 1; round <= 4; round++) {
      await org.act('skip'); // talk → changeover: time to rate
      const mentorView = await me(http, firstMentor);
      const partner = mentorView.seat!.with[0]!;
      expect((await http.post('/api/ratings', { round, targetId: partner.id, score: 1 + (round % 5), tags: ['prepared'], note: `Round ${round} note` }, firstMentor.token)).status).toBe(201);
      const menteeView = await me(http, firstMentee);
      expect((await http.post('/api/ratings', { round, targetId: menteeView.seat!.with[0]!.id, score: 5 }, firstMentee.token)).status).toBe(201);
      if (round < 4) await org.act('skip');
    }
    await org.act('end');

    const data = await org.exportJson();
    expect(data.event).toMatchObject({ id: event.id, status: 'ended', rounds: 4, round: 4 });
    expect(data.people).toHaveLength(240);
    expect(data.people.find((p) => p.name === 'Amara Novak')).toMatchObject({ role: 'mentee', email: 'amara.novak@example.org', goal: 'Preparing for my first team-lead role' });
    expect(data.pairings).toHaveLength(800); // 200 seats a round, 4 rounds
    const report = buildReport(data);
    expect(report.repeats).toBe(0);
    expect(report.sessionsHistogram).toEqual([0, 0, 0, 0, 200]);
    expect(report.rated).toMatchObject({ byMentors: 4, byMentees: 4 });
    expect(report.rated.byEither + report.rated.byBoth).toBe(8);
    expect(report.mentors).toHaveLength(40);
    expect(data.pairings.filter((p) => p.mentorRating?.note?.startsWith('Round ')).map((p) => p.mentorRating!.tags)).toEqual([['prepared'], ['prepared'], ['prepared'], ['prepared']]);

    // The CSV export is the same story, in its stable columns.
    const csv = await org.exportCsv();
    expect(csv.split('\r\n')[0]).toBe(RESULTS_COLUMNS.join(','));
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows).toHaveLength(800);
    expect(rows.filter((r) => r.mentor_note).map((r) => r.mentor_note).sort()).toEqual(['Round 1 note', 'Round 2 note', 'Round 3 note', 'Round 4 note']);
  });
});

describe('a bad roster file', () => {
  async function withEvent() {
    server = await startServer('sqlite');
    const http = api(server.url);
    const event = await openEvent(http);
    const org = organizer(http, event);
    await org.import([{ name: 'Already here', role: 'mentor', email: 'here@example.org' }]);
    return { http, event, org };
  }

  it.each([
    ['a missing column', 'name,topics\nAda,design\n', /missing the column\(s\) role/],
    ['an unknown column', 'name,role,phone\nAda,mentor,123\n', /unknown column\(s\) phone/],
    ['a bad role and an empty name', 'name,role\nAda,mentor\n,mentee\nBo,speaker\n', /2 row\(s\) need fixing — row 3: name must not be empty; row 4: role must be "mentee" or "mentor"/],
    ['the same email twice', 'name,role,email\nAda,mentor,ada@example.org\nAda Two,mentee,ADA@example.org\n', /row 3: email ada@example.org is already used on row 2/],
    ['an email already on the event', 'name,role,email\nNew,mentee,new@example.org\nHere again,mentor,here@example.org\n', /row 3: email here@example.org is already on this event \(Already here; imported before\?\)/],
    ['a bad email', 'name,role,email\nAda,mentor,not-an-email\n', /row 2: email must be an email address/],
    ['an unclosed quote', 'name,role\n"Ada,mentor\n', /could not be read/],
    ['rows with more cells than the header', 'name,role\nAda,mentor,extra\n', /could not be read.*same columns/],
    ['no rows at all', 'name,role,topics,goal,email\n', /no rows/],
  ])('is refused whole: %s', async (_what, csv, message) => {
    const { org } = await withEvent();
    const reply = await org.importCsv(csv);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
    expect(reply.body.message).toMatch(/Nothing was imported|no rows/);
    expect((await org.state()).headcount).toEqual({ mentors: 1, mentees: 0 });
  });

  it('is refused whole over the JSON API too when an email repeats or is already on the event', async () => {
    const { http, event, org } = await withEvent();
    const reply = await http.post(
      `/api/events/${event.id}/participants`,
      { participants: [{ name: 'A', role: 'mentee', email: 'a@example.org' }, { name: 'B', role: 'mentee', email: 'A@example.org' }, { name: 'C', role: 'mentee', email: 'HERE@example.org' }] },
      event.organizerKey,
    );
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe(
      'Nothing was imported: 2 row(s) need fixing — participants.1: email a@example.org is already used on participants.0; participants.2: email here@example.org is already on this event (Already here; imported before?).',
    );
    expect((await org.state()).headcount).toEqual({ mentors: 1, mentees: 0 });
  });

  it('is refused whole when it has over 20,000 rows, or is over 10 MB', async () => {
    const { org } = await withEvent();
    const rows = Array.from({ length: 20_001 }, (_, i) => `Person ${i},mentee`).join('\n');
    const tooMany = await org.importCsv(`name,role\n${rows}\n`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/20001 rows; at most 20000/);
    const huge = await org.importCsv(`name,role\n${'x'.repeat(10.5 * 1024 * 1024)},mentee\n`);
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/over 10 MB.*split the file/);
    expect((await org.state()).headcount).toEqual({ mentors: 1, mentees: 0 });
  });

  it('is refused with a sentence for junk, a workbook, or the wrong encoding; UTF-16 with a byte-order mark is read', async () => {
    const { org } = await withEvent();
    // Deterministic pseudo-random bytes: 3 MB of junk.
    const junk = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0, x = 7; i < junk.length; i++) junk[i] = x = (x * 1103515245 + 12345) & 0xff;
    const answers = [
      await org.importCsv(junk),
      await org.importCsv(Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200)])),
      await org.importCsv(Buffer.from('name,role\nJosé Martín,mentor\n', 'latin1')),
      await org.importCsv(Buffer.from('name,role\nA\u0000B,mentor\n', 'utf8')),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(answers[1]!.body.message).toMatch(/workbook.*CSV UTF-8/);
    expect(answers[2]!.body.message).toMatch(/not UTF-8 text.*CSV UTF-8/);
    expect((await org.state()).headcount).toEqual({ mentors: 1, mentees: 0 });

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,role,topics\nJosé Martín,mentor,café;ópera\n', 'utf16le')]);
    const read = await org.importCsv(utf16);
    expect(read.status, JSON.stringify(read.body)).toBe(201);
    expect(read.body.participants[0].name).toBe('José Martín');
    // A UTF-8 file with a byte-order mark (Excel's "CSV UTF-8") is read too.
    const bom = await org.importCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,role\nZoë,mentee\n')]));
    expect(bom.status).toBe(201);
  });

  it('stores formula and markup text as typed, and the CSV export neutralises every formula cell', async () => {
    const { http, event, org } = await withEvent();
    const hostile = [
      ['=cmd|\' /C calc\'!A0', 'mentee', '+evil;-also', 'Goal <script>alert(1)</script>'],
      ['@SUM(1+1)*cmd|\' /C calc\'!A0', 'mentee', '', '-2+3'],
      ['<img src=x onerror=alert(1)>', 'mentor', 'design', ''],
    ];
    const csv = ['name,role,topics,goal', ...hostile.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n');
    const reply = await org.importCsv(csv);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const [first, second, mentor] = reply.body.participants as Person[];
    expect(first!.name).toBe(hostile[0]![0]);
    await org.act('start');
    const seat = (await me(http, mentor!)).seat!;
    const partner = seat.with[0]!;
    expect([first!.id, second!.id]).toContain(partner.id);
    await http.post('/api/ratings', { round: 1, targetId: partner.id, score: 4, tags: ['=HYPERLINK("http://evil")'], note: '+1 great, -2 meh' }, mentor!.token);
    const data = await org.exportJson();
    expect(data.people.find((p) => p.id === first!.id)).toMatchObject({ name: hostile[0]![0], topics: ['+evil', '-also'], goal: 'Goal <script>alert(1)</script>' });

    const rows: string[][] = parse(await org.exportCsv());
    expect(rows[0]).toEqual([...RESULTS_COLUMNS]);
    const cells = rows.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    const row = rows.find((r) => r[2] === mentor!.id)!;
    expect(row[3]).toBe('<img src=x onerror=alert(1)>'); // markup is not a formula: left as it is
    expect(row[5]).toBe(`'${partner.name}`);
    expect(row[7]).toBe(`'=HYPERLINK("http://evil")`);
    expect(row[8]).toBe(`'+1 great, -2 meh`);
    expect(event.id).toBeTruthy();
  });
});

describe.each(STORE_KINDS)('export.json on the %s store', (kind) => {
  it('is the organizer’s only; phones never see ratings or notes, and a mentor never another mentor’s', async () => {
    server = await startServer(kind);
    const http = api(server.url);
    const event = await openEvent(http, { rounds: 1, seatsPerTable: 2 });
    const org = organizer(http, event);
    const [m1, m2, a, b] = await org.import([
      { name: 'Mentor One', role: 'mentor', email: 'one@example.org' },
      { name: 'Mentor Two', role: 'mentor', email: 'two@example.org' },
      { name: 'Mentee A', role: 'mentee', email: 'a@example.org', goal: 'Goal A' },
      { name: 'Mentee B', role: 'mentee', goal: 'Goal B' },
    ]);
    await org.act('start');
    await org.act('skip');
    const people = [m1!, m2!, a!, b!];
    for (const mentor of [m1!, m2!]) {
      for (const mentee of (await me(http, mentor)).seat?.with ?? []) {
        await http.post('/api/ratings', { round: 1, targetId: mentee.id, score: 2, tags: ['curious'], note: `Note by ${mentor.name} about ${mentee.name}` }, mentor.token);
      }
    }
    for (const mentee of [a!, b!]) {
      const mentor = (await me(http, mentee)).seat?.with[0];
      if (mentor) await http.post('/api/ratings', { round: 1, targetId: mentor.id, score: 5, note: `Mentee note by ${mentee.name}` }, mentee.token);
    }
    // What each phone can read: its own view. No scores, notes or emails anywhere.
    const views = async () => Promise.all(people.map(async (person) => ({ person, text: (await http.get('/api/me', person.token)).text })));
    for (const { person, text } of await views()) {
      expect(text).not.toMatch(/Note by|Mentee note|"note"|"tags"/);
      expect(text).not.toMatch(/example\.org/);
      // The only scores a phone holds are the ones it gave.
      const given = (JSON.parse(text) as MeView).ratingsGiven;
      expect(given.length, person.name).toBe(person.role === 'mentor' ? ((await me(http, person)).seat?.with.length ?? 0) : 1);
    }
    await org.act('end');
    // At the end a phone shows its own email (for follow-ups), still nobody else's, and no ratings.
    const emails = new Map([[m1!.id, 'one@example.org'], [m2!.id, 'two@example.org'], [a!.id, 'a@example.org']]);
    for (const { person, text } of await views()) {
      expect(text).not.toMatch(/Note by|Mentee note|"note"|"tags"/);
      for (const [id, email] of emails) if (id !== person.id) expect(text).not.toContain(email);
    }

    for (const who of [undefined, 'not-the-key', a!.token]) {
      const refused = await http.get(`/api/events/${event.id}/export.json`, who);
      expect(refused.status).toBe(who ? 403 : 401);
      expect(refused.body.message).toMatch(/organizer key/);
    }
    const data = await org.exportJson();
    expect(data.pairings).toHaveLength(2);
    for (const p of data.pairings) {
      expect(p.mentorRating).toMatchObject({ score: 2, tags: ['curious'], note: expect.stringMatching(/^Note by/) });
      expect(p.menteeRating).toMatchObject({ score: 5, note: expect.stringMatching(/^Mentee note by/) });
    }
    expect(data.people.map((p) => p.email ?? '(none)').sort()).toEqual(['(none)', 'a@example.org', 'one@example.org', 'two@example.org']);

    expect(data.event.status).toBe('ended');
  });
});

describe.each(STORE_KINDS)('deleting an event on the %s store', (kind) => {
  it('removes everything about it', async () => {
    const prefix = testPrefix();
    server = await startServer(kind, { prefix });
    const http = api(server.url);
    const event = await openEvent(http, { rounds: 1 });
    const org = organizer(http, event);
    const [mentor, mentee] = await org.import([
      { name: 'M', role: 'mentor', email: 'm@example.org' },
      { name: 'E', role: 'mentee' },
    ]);
    await org.act('start');
    await http.post('/api/ratings', { round: 1, targetId: mentee!.id, score: 4 }, mentor!.token);
    await org.act('end');
    await http.post('/api/me/follow-ups', { targetId: mentee!.id, follow: true }, mentor!.token);
    await http.post('/api/me/contact', { email: 'e@example.org' }, mentee!.token);
    await org.newLink(mentee!.id);

    const keysAbout = async () => {
      if (kind === 'sqlite') {
        // Every row in the data file, of any table, that belongs to this event.
        const { db } = server!.store as unknown as SqliteStore;
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        return tables.flatMap((table) => {
          const column = table === 'events' ? 'id' : 'event_id';
          return (db.prepare(`SELECT * FROM ${table} WHERE ${column} = ?`).all(event.id) as object[]).map((row) => `${table}: ${JSON.stringify(row)}`);
        });
      }
      const raw = createClient({ url: inject('redisUrl') });
      await raw.connect();
      try {
        const keys: string[] = [];
        for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
        // Token keys are named by the token's hash; under this test's own prefix every one is this event's.
        const about = keys.filter((k) => k.includes(event.id) || k.includes(event.code) || k.startsWith(`${prefix}token:`));
        if ((await raw.zScore(`${prefix}due`, event.id)) !== null) about.push('due → event');
        return about;
      } finally {
        await raw.quit();
      }
    };
    expect((await keysAbout()).length).toBeGreaterThanOrEqual(kind === 'redis' ? 10 : 6);

    const refused = await http.del(`/api/events/${event.id}`, mentor!.token);
    expect(refused.status).toBe(403);
    expect((await http.del(`/api/events/${event.id}`, event.organizerKey)).body).toEqual({ ok: true });
    expect(await keysAbout()).toEqual([]);
    expect((await http.get(`/api/events/${event.id}/state`)).status).toBe(404);
    expect((await http.get('/api/me', mentor!.token)).status).toBe(401);
    expect((await http.post('/api/join', { code: event.code, name: 'Late', role: 'mentee' })).status).toBe(404);
    for (const read of [server.store.listParticipants(event.id), server.store.listRatings(event.id), server.store.listFollowUps(event.id), server.store.listPlans(event.id)]) {
      expect(await read).toEqual([]);
    }
  });
});
