// What a browser remembers between visits: a participant's token per event code and
// the organizer's key per event. localStorage can be missing or full (private mode).

const tokenKey = (code: string) => `tablehop:token:${code.toUpperCase()}`;
/** The id of the event a saved token belongs to: lets a phone tell "my event is gone" from "my link was replaced". */
const eventIdKey = (code: string) => `tablehop:event:${code.toUpperCase()}`;
const organizerKey = (eventId: string) => `tablehop:organizer:${eventId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not remembered: a reload will ask again, which is the best we can do.
  }
}

export const savedToken = (code: string) => read(tokenKey(code));
export const saveToken = (code: string, token: string) => write(tokenKey(code), token);
export const forgetToken = (code: string) => {
  write(tokenKey(code), null);
  write(eventIdKey(code), null);
};
export const savedEventId = (code: string) => read(eventIdKey(code));
export const saveEventId = (code: string, eventId: string) => write(eventIdKey(code), eventId);

export const savedOrganizerKey = (eventId: string) => read(organizerKey(eventId));
export const saveOrganizerKey = (eventId: string, key: string) => write(organizerKey(eventId), key);
export const forgetOrganizerKey = (eventId: string) => write(organizerKey(eventId), null);

/** Reads `name` from the URL fragment (`#key=…`, `#t=…`). */
export function fragmentParam(name: string): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const value = new URLSearchParams(hash).get(name);
  return value && value.trim() ? value.trim() : null;
}

/** Removes secrets from the address bar and history once they are stored. */
export function stripFragment(): void {
  history.replaceState(history.state, '', location.pathname + location.search);
}

/**
 * The organizer key for an event on this laptop: from a control link's `#key=` (then kept
 * and taken out of the address bar), else the one kept earlier. Null: open the control link.
 */
export function organizerKeyFor(eventId: string): string | null {
  const fromLink = fragmentParam('key');
  if (fromLink) {
    saveOrganizerKey(eventId, fromLink);
    // Only hide the key from the address bar once a reload can find it again.
    if (savedOrganizerKey(eventId) === fromLink) stripFragment();
  }
  return fromLink ?? savedOrganizerKey(eventId);
}
