// One limiter for what a phone or Control may send, however it sends it: a rating over the
// socket and one over HTTP count against the same budget (SECURITY.md lists the numbers).
import type { Config } from '../config';
import { HttpError } from '../errors';
import type { Counters } from './counters';

const MINUTE = 60_000;

interface Limit {
  max: number;
  windowMs: number;
  /** What the refused person reads, before "Try again in N s." */
  refusal: string;
}

export type LimitName = 'ratingsPerAddress' | 'ratingsPerPerson' | 'actionsPerAddress' | 'actionsPerEvent';

export function limitsFrom(config: Config): Record<LimitName, Limit> {
  return {
    ratingsPerAddress: { max: config.rateLimitRatings, windowMs: MINUTE, refusal: `Too many ratings from this network: at most ${config.rateLimitRatings} a minute.` },
    ratingsPerPerson: { max: config.rateLimitRatingsPerPerson, windowMs: MINUTE, refusal: `Too many ratings from you: at most ${config.rateLimitRatingsPerPerson} a minute; yours is kept and sent again.` },
    actionsPerAddress: { max: config.rateLimitActionsPerAddress, windowMs: MINUTE, refusal: `Too many organizer actions from this network: at most ${config.rateLimitActionsPerAddress} a minute.` },
    actionsPerEvent: { max: config.rateLimitActions, windowMs: MINUTE, refusal: `Too many actions on this event: at most ${config.rateLimitActions} a minute.` },
  };
}

export class RateLimited extends HttpError {
  constructor(
    message: string,
    /** Whole seconds until the window closes (what Retry-After says). */
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

export class Limiter {
  private readonly limits: Record<LimitName, Limit>;

  constructor(
    private readonly counters: Counters,
    config: Config,
  ) {
    this.limits = limitsFrom(config);
  }

  /** A deleted event leaves no counter named after it behind. */
  async forgetEvent(eventId: string): Promise<void> {
    await this.counters.forget(`actionsPerEvent:${eventId}`).catch(() => {});
  }

  /**
   * Counts one message from `who` (an address, a person id, an event id) and throws a 429
   * with when to retry once over the limit. If the counters cannot be reached (Redis away)
   * the message goes through: the store it needs is away too, and will say so.
   */
  async take(name: LimitName, who: string): Promise<void> {
    const limit = this.limits[name];
    let count;
    try {
      count = await this.counters.hit(`${name}:${who}`, limit.windowMs);
    } catch {
      return;
    }
    if (count.count <= limit.max) return;
    const seconds = Math.max(1, Math.ceil(count.resetInMs / 1000));
    throw new RateLimited(`${limit.refusal} Try again in ${seconds} s.`, seconds);
  }
}
