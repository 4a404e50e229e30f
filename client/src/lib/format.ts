// How times and phases read on screens.
import type { EventSummary, Phase } from '../../../shared/domain';

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

/** One sentence for screen readers when the phase changes. */
export function phaseAnnouncement(event: Pick<EventSummary, 'phase' | 'status' | 'round' | 'rounds'>): string {
  const paused = event.status === 'paused' ? ' Paused.' : '';
  switch (event.phase) {
    case 'lobby':
      return 'Waiting for the event to start.';
    case 'talk':
      return `Round ${event.round} of ${event.rounds}: talk.${paused}`;
    case 'changeover':
      return `Round ${event.round} of ${event.rounds} is over: switch tables.${paused}`;
    case 'ended':
      return 'The event has ended. Thank you!';
  }
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
