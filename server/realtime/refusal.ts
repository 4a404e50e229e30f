// Handshake refusals as data: the sentence for people travels as the error's message,
// the reason as `data.code` (shared/protocol.ts), so a page can tell "this event no
// longer exists" from "this link was replaced" from "the server is busy" without
// reading English.
import type { HandshakeRefusal, RefusalCode } from '../../shared/protocol';
import { HttpError } from '../errors';

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * For `.catch` on a lookup: a refusal with `code` (or the code `pick` chooses) and the
 * HttpError's own sentence. Anything else (the store is away) goes on as it is.
 */
export function refuseAs(code: RefusalCode | ((error: HttpError) => RefusalCode)) {
  return (error: unknown): never => {
    if (error instanceof HttpError) throw new Refusal(typeof code === 'function' ? code(error) : code, error.message);
    throw error;
  };
}

/** What Socket.IO's middleware `next` gets: the client sees `message` and `data` in `connect_error`. */
export function connectError(error: unknown): Error & { data: HandshakeRefusal } {
  const refusal = error instanceof Refusal ? error : new Refusal('unavailable', 'Could not connect just now; retrying.');
  return Object.assign(new Error(refusal.message), { data: { code: refusal.code } });
}
