// What the organizer workflow tests share: an event filled by import, the organizer's calls,
// and a phone socket that records what it is told.
import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { EventExport, MeView, PublicEventState } from '../../shared/domain';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/protocol';
import { api, waitFor, type Reply } from './http';

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

export type PhoneSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface PhoneTap {
  socket: PhoneSocket;
  inbox: { event: string; payload: any }[];
  received(event: string): any[];
  /** A round trip: whatever the server sent before its answer has arrived. */
  sync(): Promise<void>;
  disconnected: Promise<string>;
}

export async function phoneTap(url: string, token: string, opened: PhoneSocket[]): Promise<PhoneTap> {
  const socket: PhoneSocket = io(url, { transports: ['websocket'], auth: { v: PROTOCOL_VERSION, token }, forceNew: true, reconnection: false, autoConnect: false });
  opened.push(socket);
  const inbox: PhoneTap['inbox'] = [];
  socket.onAny((event: string, payload: unknown) => inbox.push({ event, payload }));
  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(error.message)));
  });
  await waitFor(() => inbox.some((m) => m.event === 'me:snapshot'), 5000, 'the first me:snapshot');
  return {
    socket,
    inbox,
    received: (event) => inbox.filter((m) => m.event === event).map((m) => m.payload),
    sync: async () => void (await socket.timeout(5000).emitWithAck('clock:ping', { clientSentAt: Date.now() })),
    disconnected,
  };
}

export type { Reply };
