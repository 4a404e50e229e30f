// How times and phases read on screens.
import type { EventSummary, Phase, Seat } from '../../../shared/domain';

/** mm:ss, rounded up: a countdown shows 0:00 only once time is really up. */
export function formatCountdown(ms: number | null): string {
  if (ms === null) return '--:--';
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

const PHASE_WORDS: Record<Phase, string> = {
  lobby: 'Waiting to start',
  talk: 'Talk',
  changeover: 'Switch tables',
  ended: 'Finished',
};

export function phaseName(event: Pick<EventSummary, 'phase' | 'status'>): string {
  return PHASE_WORDS[event.phase];
}

/** The phase as a status label: "Talk", "Paused — Talk", "1 minute left". */
export function phaseLabel(event: Pick<EventSummary, 'phase' | 'status'>, lastMinute = false): string {
  if (event.status === 'paused') return `Paused — ${phaseName(event)}`;
  if (lastMinute) return '1 minute left';
  return phaseName(event);
}

/**
 * One sentence for screen readers. It changes only when the phase does (or the last
 * minute starts), so an aria-live region reading it speaks at those moments only.
 */
export function phaseAnnouncement(event: Pick<EventSummary, 'phase' | 'status' | 'round' | 'rounds'>, lastMinute = false): string {
  const paused = event.status === 'paused' ? ' Paused.' : '';
  switch (event.phase) {
    case 'lobby':
      return 'Waiting for the event to start.';
    case 'talk':
      return `Round ${event.round} of ${event.rounds}: talk.${lastMinute && !paused ? ' One minute left.' : ''}${paused}`;
    case 'changeover':
      return `Round ${event.round} of ${event.rounds} is over: switch tables.${paused}`;
    case 'ended':
      return 'The event has ended. Thank you!';
  }
}

/** Who else sits at a seat, as one line: "Ada Lovelace, Alan Turing". */
export function namesAt(seat: Seat): string {
  return seat.with.map((p) => p.name).join(', ');
}

/** "a, b, c" from a free-text comma list, without empties or repeats. */
export function splitTopics(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** The mentor join link, from the mentee one (`/j/CODE` → `/m/CODE`); null if it has another shape. */
export function mentorJoinUrlFrom(joinUrl: string): string | null {
  try {
    const url = new URL(joinUrl, location.href);
    if (!url.pathname.startsWith('/j/')) return null;
    url.pathname = url.pathname.replace(/^\/j\//, '/m/');
    return url.href;
  } catch {
    return null;
  }
}

/** A link as people type it: no "http://", no trailing slash (browsers add both back). */
export function typedUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

export type Tone = 'lobby' | 'talk' | 'last' | 'changeover' | 'paused' | 'ended';

/** Which colour the moment wears (see `[data-tone]` in app.css). */
export function toneOf(event: Pick<EventSummary, 'phase' | 'status'>, lastMinute = false): Tone {
  if (event.status === 'paused') return 'paused';
  if (event.phase === 'talk') return lastMinute ? 'last' : 'talk';
  return event.phase;
}
