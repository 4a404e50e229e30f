// Seating the next round ahead of time. At a changeover everyone's next seat should go out
// the moment the phase is committed, but seating thousands of people takes a noticeable
// part of a second (bench:match), and writing their seats more. While people talk (or wait
// in the lobby) the server has nothing else to do: it seats the next round then, and writes
// the seats, so the changeover finds both made.
//
// It waits for a quiet second after the last change: it does not compete with the fan-out
// of a change, nor seat again for every join of a burst. A change after that (a late
// arrival, someone away) is seen at the changeover, which then seats afresh: a plan made
// ahead is only reused while the people and plans are at the versions it was made from
// (EventService.seatAhead, planCache.ts).
import type { EventService } from '../events/eventService';
import { seatBytesOf } from './seatBytes';

/** How long an event stays unchanged before its next round is seated ahead. */
export const QUIET_MS = 1000;

export class SeatsAhead {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly events: EventService,
    private readonly guard: (work: Promise<unknown>) => void,
  ) {}

  /** Something that may change the next round's seating happened: seat it once things are quiet. */
  soon(eventId: string): void {
    clearTimeout(this.timers.get(eventId));
    const timer = setTimeout(() => {
      this.timers.delete(eventId);
      this.guard(this.prepare(eventId));
    }, QUIET_MS);
    // It never keeps a process alive on its own.
    timer.unref();
    this.timers.set(eventId, timer);
  }

  forget(eventId: string): void {
    clearTimeout(this.timers.get(eventId));
    this.timers.delete(eventId);
  }

  private async prepare(eventId: string): Promise<void> {
    const ahead = await this.events.seatAhead(eventId);
    if (ahead) seatBytesOf(ahead.plan, ahead.people, { eventId, versions: ahead.versions });
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
