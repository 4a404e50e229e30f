// Rate-limit counters in Redis, so every instance counts the same requests. (The
// plugin's own Redis store speaks ioredis; this one uses the node-redis client we have.)
import type { createClient } from 'redis';

type RedisClient = ReturnType<typeof createClient>;
type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export function redisRateLimitStore(client: RedisClient, prefix: string) {
  return class RedisRateLimitStore {
    private readonly route: string;

    /** The plugin constructs the store with its options; children get their route's key. */
    constructor(_options?: unknown, route = '') {
      this.route = route;
    }

    incr(ip: string, callback: Callback, timeWindow: number): void {
      const key = `${prefix}ratelimit:${this.route}${ip}`;
      client
        .multi()
        .incr(key)
        .pExpire(key, timeWindow, 'NX')
        .pTTL(key)
        .exec()
        .then(
          (replies) => callback(null, { current: Number(replies[0]), ttl: Math.max(0, Number(replies[2])) }),
          (error: Error) => callback(error),
        );
    }

    child(routeOptions: object) {
      // The plugin passes the route it is for as `routeInfo` (missing from its typings).
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new RedisRateLimitStore(undefined, `${String(route?.method ?? '')}${String(route?.url ?? '')}:`);
    }
  };
}
