// What the organizer workflow tests share: an event filled by import and the organizer's
// calls. Phones are in sockets.ts.
import { expect } from 'vitest';
import type { EventExport, MeView, PublicEventState } from '../../shared/domain';
import { api, type Reply } from './http';

export type Http = ReturnType<typeof api>;

export interface Person {
  id: string;
  name: string;
  role: 'mentor' | 'mentee';
  token: string;
  joinUrl: string;
  table?: number;
}

export interface PersonRow {
  name: string;
  role: 'mentor' | 'mentee';
  topics?: string[];
  goal?: string;
  email?: string;
}

export interface OpenEvent {
  id: string;
  code: string;
  organizerKey: string;
}

export async function openEvent(http: Http, settings: Record<string, unknown> = {}): Promise<OpenEvent> {
  const reply = await http.post('/api/events', { name: 'Organizer night', rounds: 3, roundSeconds: 3600, changeoverSeconds: 1800, seatsPerTable: 1, ...settings });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** The organizer's side of one event, over HTTP. */
export function organizer(http: Http, event: OpenEvent) {
  const key = event.organizerKey;
  const base = `/api/events/${event.id}`;
  return {
    async import(rows: PersonRow[]): Promise<Person[]> {
      const reply = await http.post(`${base}/participants`, { participants: rows }, key);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      return reply.body.participants;
    },
    importCsv: (csv: string | Buffer, contentType = 'text/csv') =>
      fetch(`${http.base}${base}/participants`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body: typeof csv === "string" ? csv : new Uint8Array(csv) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as any }),
      ),
    async act(action: string): Promise<PublicEventState> {
      const reply = await http.post<PublicEventState>(`${base}/actions`, { action }, key);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body;
    },
    presence: (id: string, present: boolean) => http.post(`${base}/participants/${id}/presence`, { present }, key),
    move: (id: string, table: number | null) => http.post(`${base}/participants/${id}/table`, { table }, key),
    remove: (id: string) => http.del(`${base}/participants/${id}`, key),
    newLink: (id: string) => http.post(`${base}/participants/${id}/link`, { replaceOldLink: true }, key),
    state: async () => (await http.get<PublicEventState>(`${base}/state`)).body,
    exportJson: async () => {
      const reply = await http.get<EventExport>(`${base}/export.json`, key);
      expect(reply.status).toBe(200);
      return reply.body;
    },
    exportCsv: async () => (await http.get(`${base}/export.csv`, key)).text,
  };
}

export const me = async (http: Http, person: { token: string }): Promise<MeView> => {
  const reply = await http.get<MeView>('/api/me', person.token);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};

/** Where everyone sits next round (table number, or null for sitting out). */
export async function nextTables(http: Http, people: Person[]): Promise<Map<string, number | null>> {
  const seats = new Map<string, number | null>();
  for (const p of people) seats.set(p.id, (await me(http, p)).nextSeat?.table ?? null);
  return seats;
}

export type { Reply };
