// @fastify/rate-limit's store on our own counters (Redis or memory, see limits/counters.ts),
// so the plugin's per-route limits and the Limiter's count in the same place.
import type { Counters } from '../limits/counters';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export function countersRateLimitStore(counters: Counters) {
  return class CountersRateLimitStore {
    private readonly route: string;

    /** The plugin constructs the store with its options; children get their route's key. */
    constructor(_options?: unknown, route = '') {
      this.route = route;
    }

    incr(ip: string, callback: Callback, timeWindow: number): void {
      counters.hit(`${this.route}${ip}`, timeWindow).then(
        ({ count, resetInMs }) => callback(null, { current: count, ttl: resetInMs }),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: object) {
      // The plugin passes the route it is for as `routeInfo` (missing from its typings).
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new CountersRateLimitStore(undefined, `${String(route?.method ?? '')}${String(route?.url ?? '')}:`);
    }
  };
}
