// Fixed-window counters behind every rate limit, HTTP and socket alike. In Redis when
// REDIS_URL is set, so every instance counts the same client (a round-robin proxy does not
// multiply the limits); in memory otherwise.
import { createClient } from 'redis';

export interface Count {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window closes and the count starts again. */
  resetInMs: number;
}

export interface Counters {
  /** Counts one hit on `key`; the window of `windowMs` starts with the key's first hit. */
  hit(key: string, windowMs: number): Promise<Count>;
  /** Forgets `key` (an event deleted takes its counters with it). */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Above this many keys, windows that closed are swept (a flood of addresses cannot grow it forever). */
const SWEEP_ABOVE = 100_000;

export class MemoryCounters implements Counters {
  private windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number): Promise<Count> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > SWEEP_ABOVE) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async forget(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {}
}

type RedisClient = ReturnType<typeof createClient>;

export class RedisCounters implements Counters {
  private constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  static async connect(url: string, prefix: string): Promise<RedisCounters> {
    // No offline queue: while Redis is away a hit fails at once instead of piling up.
    const client: RedisClient = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (r) => Math.min(100 * 2 ** r, 2000) } });
    client.on('error', () => {});
    await client.connect();
    return new RedisCounters(client, prefix);
  }

  async hit(key: string, windowMs: number): Promise<Count> {
    const full = `${this.prefix}ratelimit:${key}`;
    const replies = await this.client.multi().incr(full).pExpire(full, windowMs, 'NX').pTTL(full).exec();
    return { count: Number(replies[0]), resetInMs: Math.max(0, Number(replies[2])) };
  }

  async forget(key: string): Promise<void> {
    await this.client.del(`${this.prefix}ratelimit:${key}`);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.quit().catch(() => {});
  }
}

export async function openCounters(redisUrl: string | undefined, prefix: string): Promise<Counters> {
  return redisUrl ? RedisCounters.connect(redisUrl, prefix) : new MemoryCounters();
}
