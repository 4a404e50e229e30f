// A real Tablehop server on port 0 for one test, on the embedded store (a fresh SQLite
// file in a temporary folder, deleted when the test ends) or on Redis under a key prefix
// of its own (flushed when the test ends). `startServer` closes itself when the test that
// started it finishes; `launchServer` is the same server for a whole file (close it from the
// `beforeAll` that launched it, by returning `server.close`).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject, onTestFinished } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { RedisStore } from '../../server/store/RedisStore';
import { SqliteStore } from '../../server/store/SqliteStore';
import type { Store } from '../../server/store/Store';

export type StoreKind = 'sqlite' | 'redis';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'redis'];

export const testPrefix = () => `tablehop-test:${randomBytes(4).toString('hex')}:`;

/** A folder of its own for one test's data file; remove it with rmSync when done. */
export const testDataDir = () => mkdtempSync(join(tmpdir(), 'tablehop-test-'));

export interface Lifetimes {
  /** How long an ended event is kept, in seconds. Default an hour. */
  retentionSeconds?: number;
  /** How long an event in the lobby is kept after its last write, in seconds. Default an hour. */
  lobbyExpirySeconds?: number;
}

export async function openTestStore(
  kind: StoreKind,
  prefix = testPrefix(),
  redisUrl = inject('redisUrl'),
  lifetimes: Lifetimes = {},
): Promise<Store & { flush(): Promise<void> }> {
  const retentionSeconds = lifetimes.retentionSeconds ?? 3600;
  const lobbyExpirySeconds = lifetimes.lobbyExpirySeconds ?? 3600;
  if (kind === 'sqlite') {
    const dir = testDataDir();
    const store = new SqliteStore({ file: join(dir, 'tablehop.db'), retentionSeconds, lobbyExpirySeconds });
    // Flushing ends the store's life: the file goes with its folder.
    const flush = async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return Object.assign(store, { flush });
  }
  const store = await RedisStore.connect({ url: redisUrl, prefix, retentionSeconds, lobbyExpirySeconds });
  // Flushing is best effort: a test may have taken its own Redis away on purpose.
  return Object.assign(store, { flush: () => store.flushPrefix().catch(() => {}) });
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store & { flush(): Promise<void> };
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Redis key prefix; two servers given the same one share an event's data (scale-out). */
  prefix?: string;
  /** How often the phase ticker looks at the clock, in ms. Default 50, so phases end on time in tests. */
  tickMs?: number;
  redisUrl?: string;
  config?: Partial<Config>;
  logStream?: { write(line: string): void };
}

/** A server for the current test: it closes (and its data goes) when the test finishes. */
export async function startServer(kind: StoreKind, options: ServerOptions = {}): Promise<TestServer> {
  const server = await launchServer(kind, options);
  onTestFinished(() => server.close());
  return server;
}

/** A server that lives until `close()` is called: for one shared by a whole file. */
export async function launchServer(kind: StoreKind, options: ServerOptions = {}): Promise<TestServer> {
  const prefix = options.prefix ?? testPrefix();
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const store = await openTestStore(kind, prefix, redisUrl);
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    redisUrl: kind === 'redis' ? redisUrl : undefined,
    dataDir: '/nonexistent/the-test-opened-its-own-store',
    redisPrefix: prefix,
    retentionDays: 1,
    tickMs: options.tickMs ?? 50,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests create many events from one address; the limits have tests of their own.
    rateLimitCreate: 10_000,
    maxLobbyEventsPerAddress: 10_000,
    ...options.config,
  };
  const app = await buildApp({ config, store, ...(options.logStream ? { logStream: options.logStream } : {}) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // Links in answers should point at this very server.
  config.publicUrl = address;
  // The data file goes once the app has closed it; Redis keys go while the app can still reach Redis.
  const shutDown = async () => {
    if (kind === 'sqlite') {
      await app.close();
      await store.flush();
      return;
    }
    await store.flush();
    await app.close();
  };
  let closing: Promise<void> | undefined;
  return {
    url: address,
    app,
    store,
    // Once only: a test may close its server itself (to see what phones do) before its teardown runs.
    close: () => (closing ??= shutDown()),
  };
}
