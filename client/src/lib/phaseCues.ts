// Noticing the moments the room must look up: a new phase, the last minute of a talk,
// the end. Views feed it the live event on every tick; it answers only on a change.
import type { EventSummary } from '../../../shared/domain';
import type { ChimeKind } from './chime.svelte';

export class PhaseCues {
  private last: string | null = null;

  /** The cue for this moment, or null when nothing changed (and on the first look: no chime on page load). */
  next(event: Pick<EventSummary, 'phase' | 'round'>, lastMinute: boolean): ChimeKind | null {
    const phaseKey = `${event.phase}:${event.round}`;
    const key = lastMinute ? `${phaseKey}:last` : phaseKey;
    const before = this.last;
    this.last = key;
    if (before === null || before === key) return null;
    if (event.phase === 'ended') return 'end';
    if (before === phaseKey) return 'warning';
    // Back out of the last minute (the organizer added time): nothing to announce.
    if (before === `${phaseKey}:last`) return null;
    return 'phase';
  }
}
