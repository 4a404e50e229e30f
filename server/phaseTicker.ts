// Looks for due phases in the store (not in this process's own timers), so a phase
// moves on time even with no browser open, and any instance can do it: the store's
// compare-and-set lets exactly one advance win. Once a minute it also has the store
// delete the events whose time is up (retention over, or left in the lobby).
import type { FastifyBaseLogger } from 'fastify';
import type { EventService } from './events/eventService';

/** How often expired events are looked for: they are kept days, so a minute late is nothing. */
const SWEEP_MS = 60_000;

export class PhaseTicker {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private lastSweepAt = 0;
  private lastErrorLoggedAt = 0;

  constructor(
    private readonly events: EventService,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    if (this.busy) return; // a slow store must not pile up overlapping sweeps
    this.busy = true;
    try {
      const due = await this.events.dueEvents(Date.now());
      await Promise.all(due.map((eventId) => this.events.advanceIfDue(eventId).catch((error: unknown) => this.report(error))));
      const now = Date.now();
      if (now - this.lastSweepAt >= SWEEP_MS) {
        this.lastSweepAt = now;
        const deleted = await this.events.sweep(now);
        if (deleted.length > 0) this.log.info(`deleted ${deleted.length} event(s) past their retention or left in the lobby`);
      }
    } catch (error) {
      this.report(error);
    } finally {
      this.busy = false;
    }
  }

  private report(error: unknown): void {
    // While Redis is away this fails every tick; one line every 10 s is enough.
    if (Date.now() - this.lastErrorLoggedAt < 10_000) return;
    this.lastErrorLoggedAt = Date.now();
    this.log.warn({ err: error }, 'could not advance due phases');
  }
}
