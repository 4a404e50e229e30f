// Telling "the store is away" (or full) apart from a bug: while Redis is down, or the
// embedded store's disk is full, requests answer 503 with a sentence (and a load
// balancer's health check sees Redis down), never a 500.
import {
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

const UNAVAILABLE = [
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
];

export const STORE_UNAVAILABLE_MESSAGE = 'The event store is unreachable right now; your phone keeps its seat — try again in a moment.';

export function isStoreUnavailable(error: unknown): boolean {
  if (UNAVAILABLE.some((kind) => error instanceof kind)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE';
}

export const STORE_FULL_MESSAGE = "The server's disk is full, so this was not saved (nothing changed). Tell the organizer: free some disk space on the server, then try again.";

/** SQLite could not grow its file: the write was rolled back whole. */
export function isStoreFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}
