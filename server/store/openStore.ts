import { join } from 'node:path';
import type { Config } from '../config';
import { RedisStore } from './RedisStore';
import { SqliteStore } from './SqliteStore';
import type { Store } from './Store';

const DAY_SECONDS = 24 * 60 * 60;

/** The embedded store's file in a data folder. */
export const dataFile = (dataDir: string) => join(dataDir, 'tablehop.db');

/** REDIS_URL set → Redis (several instances); unset → the SQLite file in DATA_DIR (one laptop). */
export async function openStore(config: Config, onError?: (error: Error) => void): Promise<Store> {
  const retentionSeconds = config.retentionDays * DAY_SECONDS;
  const lobbyExpirySeconds = config.lobbyExpiryDays * DAY_SECONDS;
  if (!config.redisUrl) return new SqliteStore({ file: dataFile(config.dataDir), retentionSeconds, lobbyExpirySeconds });
  return RedisStore.connect({ url: config.redisUrl, prefix: config.redisPrefix, retentionSeconds, lobbyExpirySeconds, ...(onError ? { onError } : {}) });
}
