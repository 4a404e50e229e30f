import type { Config } from '../config';
import { MemoryStore } from './MemoryStore';
import { RedisStore } from './RedisStore';
import type { Store } from './Store';

/** REDIS_URL set → Redis (several instances, survives restarts); unset → this process's memory. */
export async function openStore(config: Config, onError?: (error: Error) => void): Promise<Store> {
  const retentionSeconds = config.retentionDays * 24 * 60 * 60;
  if (!config.redisUrl) return new MemoryStore(retentionSeconds);
  return RedisStore.connect({ url: config.redisUrl, prefix: config.redisPrefix, retentionSeconds, ...(onError ? { onError } : {}) });
}
