// Ids, join codes and secrets, all from crypto: guessable codes would let strangers
// join or steer an event.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Letters and digits that can't be confused when read off a projector (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

/**
 * 12 characters of base64url. An id never starts with "-" or "_": in a spreadsheet a
 * leading "-" reads as a formula, and the CSV export would have to alter the id.
 */
export function newId(): string {
  for (;;) {
    const id = randomBytes(9).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
export const newSecret = (): string => randomBytes(24).toString('base64url');
export const newSeed = (): number => randomInt(0, 2 ** 31);

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Compares two secrets without leaking, through timing, how much of them matched. */
export function sameSecret(presented: string, expected: string): boolean {
  return matchesHash(presented, sha256(expected));
}

/** Compares a presented secret with a stored hash without leaking timing. */
export function matchesHash(secret: string, hash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
