// Reads "Authorization: Bearer <secret>" — the organizer key or a participant token.
import type { FastifyRequest } from 'fastify';

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
