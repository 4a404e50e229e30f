// What a page says once its event no longer exists: why (as far as it knows) and what
// the person looking at it can do. One wording per screen, since the room, the
// organizer and a participant each have something different to do next.
import type { GoneReason } from './connection.svelte';

export type GoneAudience = 'screen' | 'control' | 'phone';

export interface GoneWords {
  title: string;
  why: string;
  next: string;
}

const WHY: Record<GoneReason, string> = {
  deleted: 'The organizer deleted it, with everything about it.',
  expired: 'It ended a while ago, and its data has now been removed.',
  not_found: 'It was deleted or has expired, or the server was restarted without its data.',
};

function next(audience: GoneAudience, reason: GoneReason): string {
  if (audience === 'screen') return 'Organizer: open the screen link of the new event on this projector.';
  if (audience === 'phone') return 'If the rounds are still going on, ask the organizer for the new link.';
  if (reason === 'not_found') return 'If the server lost its data, start it again with its data, then reload this page. Otherwise, create a new event.';
  return 'This laptop has forgotten its key and personal links.';
}

export function goneWords(audience: GoneAudience, reason: GoneReason, name: string | null): GoneWords {
  return {
    title: name ? `“${name}” no longer exists` : 'This event no longer exists',
    why: WHY[reason],
    next: next(audience, reason),
  };
}
