// Personal links (with their tokens) exist only in the answer to an import or to "new
// link": the server keeps hashes, never tokens. Control keeps the ones it was given on
// this laptop, per event, so badges can still be printed after a reload. Forgotten with
// the event, or on request.
import type { ImportedParticipant } from './api';

export type PersonalLink = Pick<ImportedParticipant, 'id' | 'name' | 'role' | 'table' | 'joinUrl'>;

const key = (eventId: string) => `tablehop:links:${eventId}`;

export function savedLinks(eventId: string): PersonalLink[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(eventId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as PersonalLink[]) : [];
  } catch {
    return [];
  }
}

/** Adds links (a newer link for the same person replaces the older). False if this browser could not keep them. */
export function keepLinks(eventId: string, links: ImportedParticipant[]): boolean {
  const byId = new Map(savedLinks(eventId).map((l) => [l.id, l]));
  for (const { id, name, role, table, joinUrl } of links) byId.set(id, { id, name, role, ...(table !== undefined ? { table } : {}), joinUrl });
  try {
    localStorage.setItem(key(eventId), JSON.stringify([...byId.values()]));
    return true;
  } catch {
    return false;
  }
}

export function forgetLinks(eventId: string): void {
  try {
    localStorage.removeItem(key(eventId));
  } catch {
    // Nothing was kept.
  }
}
