// The HTTP half of the contract (ARCHITECTURE.md "HTTP API"). Errors come back as a
// sentence from the server's JSON `message`, or one of ours when the network fails.
import type { CreatedEvent, EventExport, JoinResult, MeView, Role } from '../../../shared/domain';
import type { CreateEventInput, JoinInput } from '../../../shared/schemas';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportedParticipant {
  id: string;
  name: string;
  role: Role;
  /** Mentors keep one table for the whole event. */
  table?: number;
  token: string;
  joinUrl: string;
}

/** What a move to another table did (see MoveResult on the server). */
export interface MoveAnswer {
  id: string;
  pin: { round: number; table: number } | null;
  planned: boolean;
  displaced: { id: string; name: string; table: number | null }[];
}

async function request(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'Could not reach the server — check your connection and try again.');
  }
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
  return response;
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: fall through to a generic sentence.
  }
  return `The server answered ${response.status} ${response.statusText}`.trim() + '.';
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

export async function createEvent(input: CreateEventInput): Promise<CreatedEvent> {
  return (await request('/api/events', json(input))).json();
}

export async function joinEvent(input: JoinInput): Promise<JoinResult> {
  return (await request('/api/join', json(input))).json();
}

/** Rejects with status 401 when the token is unknown (the event was deleted, say). */
export async function fetchMe(token: string): Promise<MeView> {
  return (await request('/api/me', { headers: bearer(token) })).json();
}

/** Whether the server has this event: false only when it answers 404 (null: it could not be asked). */
export async function eventExists(eventId: string): Promise<boolean | null> {
  try {
    await request(`/api/events/${encodeURIComponent(eventId)}/state`, {});
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    return null;
  }
}

/** A file is sent as it is (the server reads its encoding); pasted text as UTF-8. */
export async function importParticipantsCsv(eventId: string, organizerKey: string, csv: string | Blob): Promise<ImportedParticipant[]> {
  const response = await request(`/api/events/${encodeURIComponent(eventId)}/participants`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', ...bearer(organizerKey) },
    body: csv,
  });
  const body = (await response.json()) as { participants: ImportedParticipant[] };
  return body.participants;
}

export async function fetchExportCsv(eventId: string, organizerKey: string): Promise<Blob> {
  return (await request(`/api/events/${encodeURIComponent(eventId)}/export.csv`, { headers: bearer(organizerKey) })).blob();
}

export async function fetchExportJson(eventId: string, organizerKey: string): Promise<EventExport> {
  return (await request(`/api/events/${encodeURIComponent(eventId)}/export.json`, { headers: bearer(organizerKey) })).json();
}

const person = (eventId: string, participantId: string) => `/api/events/${encodeURIComponent(eventId)}/participants/${encodeURIComponent(participantId)}`;

/** Seats a mentee at `table` for the coming round; null takes the move back. */
export async function moveMentee(eventId: string, organizerKey: string, participantId: string, table: number | null): Promise<MoveAnswer> {
  return (await request(`${person(eventId, participantId)}/table`, json({ table }, bearer(organizerKey)))).json();
}

export async function removePerson(eventId: string, organizerKey: string, participantId: string): Promise<void> {
  await request(person(eventId, participantId), { method: 'DELETE', headers: bearer(organizerKey) });
}

/** A fresh personal link; the person's old one stops working. */
export async function issueNewLink(eventId: string, organizerKey: string, participantId: string): Promise<ImportedParticipant> {
  return (await request(`${person(eventId, participantId)}/link`, json({ replaceOldLink: true }, bearer(organizerKey)))).json();
}

export async function deleteEvent(eventId: string, organizerKey: string): Promise<void> {
  await request(`/api/events/${encodeURIComponent(eventId)}`, { method: 'DELETE', headers: bearer(organizerKey) });
}

/** "I have to leave" (false) or "I'm back" (true), from the person's own phone. */
export async function setOwnPresence(token: string, present: boolean): Promise<void> {
  await request('/api/me/presence', json({ present }, bearer(token)));
}

export async function setFollowUp(token: string, targetId: string, follow: boolean): Promise<void> {
  await request('/api/me/follow-ups', json({ targetId, follow }, bearer(token)));
}

export async function setContactEmail(token: string, email: string | null): Promise<void> {
  await request('/api/me/contact', json({ email }, bearer(token)));
}

/** Marks someone absent (left out of the next rounds) or present again. */
export async function setPresence(eventId: string, organizerKey: string, participantId: string, present: boolean): Promise<void> {
  await request(
    `/api/events/${encodeURIComponent(eventId)}/participants/${encodeURIComponent(participantId)}/presence`,
    json({ present }, bearer(organizerKey)),
  );
}
