// A real Tablehop server on port 0 for one test, on the memory store or on Redis under a
// key prefix of its own (flushed when the test ends).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { MemoryStore } from '../../server/store/MemoryStore';
import { RedisStore } from '../../server/store/RedisStore';
import type { Store } from '../../server/store/Store';

export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

export const testPrefix = () => `tablehop-test:${randomBytes(4).toString('hex')}:`;

export async function openTestStore(kind: StoreKind, prefix = testPrefix(), redisUrl = inject('redisUrl')): Promise<Store & { flush(): Promise<void> }> {
  if (kind === 'memory') return Object.assign(new MemoryStore(3600), { flush: async () => {} });
  const store = await RedisStore.connect({ url: redisUrl, prefix, retentionSeconds: 3600 });
  // Flushing is best effort: a test may have taken its own Redis away on purpose.
  return Object.assign(store, { flush: () => store.flushPrefix().catch(() => {}) });
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store & { flush(): Promise<void> };
  close(): Promise<void>;
}

export async function startServer(
  kind: StoreKind,
  options: { prefix?: string; tickMs?: number; redisUrl?: string; config?: Partial<Config>; logStream?: { write(line: string): void } } = {},
): Promise<TestServer> {
  const prefix = options.prefix ?? testPrefix();
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const store = await openTestStore(kind, prefix, redisUrl);
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    redisUrl: kind === 'redis' ? redisUrl : undefined,
    redisPrefix: prefix,
    retentionDays: 1,
    tickMs: options.tickMs ?? 50,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests create many events from one address; the limits have tests of their own.
    rateLimitCreate: 10_000,
    ...options.config,
  };
  const app = await buildApp({ config, store, ...(options.logStream ? { logStream: options.logStream } : {}) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // Links in answers should point at this very server.
  config.publicUrl = address;
  return {
    url: address,
    app,
    store,
    async close() {
      await store.flush();
      await app.close();
    },
  };
}
