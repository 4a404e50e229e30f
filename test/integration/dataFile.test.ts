// The embedded store's file in a bad state: damaged, held by another running Tablehop,
// written by a newer one, or on a full disk. Startup stops with a sentence saying what to
// do (never a fresh, empty start that hides the old data); a full disk answers 503 and
// leaves nothing half-written.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { lobbyState } from '../../shared/roundEngine';
import { DataFileError } from '../../server/store/sqliteFile';
import { SCHEMA_VERSION } from '../../server/store/sqliteSchema';
import { SqliteStore } from '../../server/store/SqliteStore';
import { api } from '../support/http';
import { openEvent, organizer } from '../support/organizer';
import { startServer, testDataDir, type TestServer } from '../support/server';
import { serverProcess, type ServerProcess } from '../support/serverProcess';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): { dir: string; file: string } {
  const dir = testDataDir();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: join(dir, 'tablehop.db') };
}

const open = (file: string) => new SqliteStore({ file, retentionSeconds: 3600, lobbyExpirySeconds: 3600 });

/** A data file holding one event, closed cleanly. */
async function fileWithAnEvent(file: string): Promise<void> {
  const store = open(file);
  await store.createEvent(
    { id: 'e1', code: 'OLD234', name: 'Kept night', rounds: 1, roundSeconds: 60, changeoverSeconds: 0, seatsPerTable: 1, topics: [], organizerKeyHash: 'ab'.repeat(32), seed: 1, createdAt: 1 },
    lobbyState(),
  );
  await store.addParticipants('e1', Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, name: `Person ${i}`, role: 'mentee' as const, topics: ['x'], joinedAt: 1, joinedRound: 0 })), []);
  await store.close();
}

describe('a data file Tablehop cannot use', () => {
  it('that is not a database stops startup with what to do, and is left as it was', () => {
    const { file } = dataDir();
    writeFileSync(file, 'name,email\nAda,ada@example.org\n'.repeat(200));
    const before = readFileSync(file);
    expect(() => open(file)).toThrow(DataFileError);
    expect(() => open(file)).toThrow(/is damaged .*Restore it from a backup, or move it .* away/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('with a damaged page stops startup instead of serving part of it', async () => {
    const { file } = dataDir();
    await fileWithAnEvent(file);
    const bytes = readFileSync(file);
    // Page 3 onwards holds the tables' pages: scribble over one of them.
    bytes.fill(0x5a, 3 * 4096 + 100, 4 * 4096);
    writeFileSync(file, bytes);
    expect(() => open(file)).toThrow(/is damaged/);
  });

  it('written by a newer Tablehop stops startup and leaves the file at its version', async () => {
    const { file } = dataDir();
    await fileWithAnEvent(file);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => open(file)).toThrow(new RegExp(`written by a newer Tablehop \\(data version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\)\\. Update Tablehop`));
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(after.prepare('SELECT count(*) FROM participants').pluck().get()).toBe(200);
    after.close();
  });

  it('is opened owner-only, in a folder only the owner can enter', () => {
    const { dir } = dataDir();
    const file = join(dir, 'data', 'tablehop.db');
    const store = open(file);
    cleanups.push(() => store.close());
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });
});

describe('two Tablehops on one DATA_DIR', () => {
  it('the second refuses to start with a sentence; the first keeps running with its data', { timeout: 60_000 }, async () => {
    const first: ServerProcess = await serverProcess({ store: 'sqlite' });
    cleanups.push(() => first.cleanup());
    await first.start();
    const http = api(first.url);
    const event = await openEvent(http, { name: 'First' });

    const second = await serverProcess({ store: 'sqlite', dataDir: first.dataDir! });
    cleanups.push(() => second.kill());
    const refused = await second.refusal();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('is in use by another Tablehop that is running. Stop that one first');
    expect(refused.output).not.toMatch(/at .*\.ts:\d+/); // a sentence, not a stack trace

    expect((await http.get('/healthz')).status).toBe(200);
    expect((await organizer(http, event).state()).name).toBe('First');
    // Opened from here too: the lock holds across processes.
    expect(() => open(join(first.dataDir!, 'tablehop.db'))).toThrow(/in use by another Tablehop/);
  });

  it('npm start on a damaged file prints what to do and exits', { timeout: 60_000 }, async () => {
    const server = await serverProcess({ store: 'sqlite' });
    cleanups.push(() => server.cleanup());
    writeFileSync(join(server.dataDir!, 'tablehop.db'), 'not a database at all'.repeat(100));
    const refused = await server.refusal();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is damaged');
  });
});

describe('a full disk', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('answers 503 with a sentence, saves nothing of the refused write, and works again once there is room', async () => {
    server = await startServer('sqlite');
    const http = api(server.url);
    const event = await openEvent(http);
    const desk = organizer(http, event);
    await desk.import([{ name: 'Early Mentor', role: 'mentor' }]);
    const { db } = server.store as unknown as SqliteStore;
    // The file may not grow by a single page: as good as a full disk for SQLite.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    const many = Array.from({ length: 500 }, (_, i) => ({ name: `Mentee ${i}`, role: 'mentee' as const, goal: 'x'.repeat(200) }));
    const refused = await http.post(`/api/events/${event.id}/participants`, { participants: many }, event.organizerKey);
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/disk is full, so this was not saved \(nothing changed\)/);
    expect(await server.store.countParticipants(event.id)).toBe(1);

    db.pragma('max_page_count = 1073741823');
    const imported = await http.post(`/api/events/${event.id}/participants`, { participants: many }, event.organizerKey);
    expect(imported.status).toBe(201);
    expect(await server.store.countParticipants(event.id)).toBe(501);
    expect(await server.store.listParticipants(event.id)).toHaveLength(501);
  });
});
