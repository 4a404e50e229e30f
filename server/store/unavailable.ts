// Telling "the store is away" apart from a bug: while Redis is down, requests answer
// 503 with a sentence (and a load balancer's health check sees it), never a 500.
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
