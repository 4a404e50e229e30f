// Socket.IO on the same port as HTTP. Sockets authenticate in the handshake, get a full
// snapshot on every connect, then small updates: one room broadcast per phase change
// and each person's own seat to that person only. No per-second ticks: phones count
// down from `phaseEndsAt` with their own clock offset.
import type { Server as HttpServer } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server, type Socket } from 'socket.io';
import type { ControlView, PublicEventState } from '../../shared/domain';
import {
  ClientEvents,
  PROTOCOL_VERSION,
  ServerEvents,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/protocol';
import { OrganizerActionSchema, RatingSchema, describeIssues } from '../../shared/schemas';
import { seatOf } from '../../shared/seats';
import { HttpError } from '../errors';
import { controlView } from '../events/controlView';
import type { EventNotifier, EventService } from '../events/eventService';
import { KeyedThrottle } from './throttle';

type Audience = 'participant' | 'screen' | 'control';

interface SocketData {
  eventId: string;
  audience: Audience;
  participantId?: string;
}

type TablehopServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type TablehopSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const eventRoom = (eventId: string) => `e:${eventId}`;
const screenRoom = (eventId: string) => `screen:${eventId}`;
const controlRoom = (eventId: string) => `control:${eventId}`;
const personRoom = (participantId: string) => `p:${participantId}`;

/**
 * Socket.IO passes the ack as the last argument, and as the first when a client sent no
 * payload. A message without an ack is still acted on (a rating sent fire-and-forget
 * must not be lost); its answer just goes nowhere.
 */
function payloadAndAck<Reply>(args: unknown[]): [payload: any, ack: (reply: Reply) => void] {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (reply: Reply) => void) : () => {};
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  return [payload, ack];
}

function failure(error: unknown): Ack<never> {
  if (error instanceof HttpError) return { ok: false, status: error.status, message: error.message };
  return { ok: false, status: 500, message: 'Something went wrong on the server; try again in a moment.' };
}

export class Realtime implements EventNotifier {
  readonly io: TablehopServer;
  /** Phones connected to this instance, per event: participantId → open sockets. */
  private connected = new Map<string, Map<string, number>>();
  private throttle = new KeyedThrottle(250);

  constructor(
    httpServer: HttpServer,
    private readonly events: EventService,
    private readonly log: FastifyBaseLogger,
  ) {
    this.io = new Server(httpServer, {
      // Websocket only: no long-polling, so a plain round-robin proxy needs no sticky sessions.
      transports: ['websocket'],
      serveClient: false,
      pingInterval: 10_000,
      pingTimeout: 8_000,
      maxHttpBufferSize: 64 * 1024,
    });
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(new Error(error instanceof HttpError ? error.message : 'Could not connect; try again.')),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    events.notifier = this;
  }

  private async authenticate(socket: TablehopSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (auth.v !== PROTOCOL_VERSION) throw new HttpError(400, 'Tablehop was updated: reload the page.');
    if (typeof auth.token === 'string') {
      const { event, participant } = await this.events.participantForToken(auth.token);
      socket.data = { eventId: event.id, audience: 'participant', participantId: participant.id };
      return;
    }
    if (typeof auth.eventId !== 'string') throw new HttpError(400, 'Send a participant token or an event id to connect.');
    if (typeof auth.organizerKey === 'string') {
      await this.events.authorizeOrganizer(auth.eventId, auth.organizerKey);
      socket.data = { eventId: auth.eventId, audience: 'control' };
      return;
    }
    await this.events.requireEvent(auth.eventId);
    socket.data = { eventId: auth.eventId, audience: 'screen' };
  }

  private onConnection(socket: TablehopSocket): void {
    const { eventId, audience, participantId } = socket.data;
    void socket.join(eventRoom(eventId));
    if (audience === 'participant' && participantId) {
      void socket.join(personRoom(participantId));
      this.markOnline(eventId, participantId, +1);
      socket.on('disconnect', () => this.markOnline(eventId, participantId, -1));
      this.guard(this.sendMe(socket, eventId, participantId));
    } else {
      void socket.join(screenRoom(eventId));
      this.guard(this.events.publicState(eventId).then((state) => socket.emit(ServerEvents.stateSnapshot, state)));
      if (audience === 'control') {
        void socket.join(controlRoom(eventId));
        this.guard(this.control(eventId).then((view) => socket.emit(ServerEvents.controlSnapshot, view)));
      }
    }

    socket.on(ClientEvents.clockPing, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<{ clientSentAt: number; serverNow: number }>(args);
      const clientSentAt = typeof payload?.clientSentAt === 'number' ? payload.clientSentAt : 0;
      ack({ clientSentAt, serverNow: Date.now() });
    });

    socket.on(ClientEvents.ratingSubmit, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<Ack<{ round: number; targetId: string }>>(args);
      if (audience !== 'participant' || !participantId) return ack({ ok: false, status: 403, message: 'Only participants rate exchanges.' });
      const parsed = RatingSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, status: 400, message: describeIssues(parsed.error) });
      this.events
        .store.getParticipant(eventId, participantId)
        .then(async (rater) => {
          if (!rater) throw new HttpError(401, 'That sign-in is not known here — join again.');
          await this.events.rate(eventId, rater, parsed.data);
          ack({ ok: true, value: { round: parsed.data.round, targetId: parsed.data.targetId } });
        })
        .catch((error: unknown) => ack(failure(error)));
    });

    socket.on(ClientEvents.organizerAction, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<Ack<PublicEventState>>(args);
      if (audience !== 'control') return ack({ ok: false, status: 403, message: 'Only the organizer can steer the event.' });
      const parsed = OrganizerActionSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, status: 400, message: describeIssues(parsed.error) });
      this.events
        .act(eventId, parsed.data.action, parsed.data.seconds)
        .then((state) => ack({ ok: true, value: state }))
        .catch((error: unknown) => ack(failure(error)));
    });
  }

  isOnline(eventId: string, participantId: string): boolean {
    return (this.connected.get(eventId)?.get(participantId) ?? 0) > 0;
  }

  private markOnline(eventId: string, participantId: string, delta: number): void {
    const people = this.connected.get(eventId) ?? new Map<string, number>();
    const count = (people.get(participantId) ?? 0) + delta;
    if (count > 0) people.set(participantId, count);
    else people.delete(participantId);
    if (people.size > 0) this.connected.set(eventId, people);
    else this.connected.delete(eventId);
    this.scheduleControl(eventId);
  }

  private control(eventId: string): Promise<ControlView> {
    return controlView(this.events, eventId, (id) => this.isOnline(eventId, id));
  }

  private async sendMe(socket: TablehopSocket, eventId: string, participantId: string): Promise<void> {
    socket.emit(ServerEvents.meSnapshot, await this.events.meView(eventId, participantId));
  }

  private guard(work: Promise<unknown>): void {
    work.catch((error: unknown) => {
      if (!(error instanceof HttpError)) this.log.error({ err: error }, 'realtime update failed');
    });
  }

  private scheduleControl(eventId: string): void {
    this.throttle.run(`control:${eventId}`, () =>
      this.guard(this.control(eventId).then((view) => this.io.to(controlRoom(eventId)).emit(ServerEvents.controlSnapshot, view))),
    );
  }

  // ---- EventNotifier ---------------------------------------------------------------

  phaseChanged(eventId: string): void {
    this.guard(this.broadcastPhase(eventId));
  }

  private async broadcastPhase(eventId: string): Promise<void> {
    const snapshot = await this.events.load(eventId);
    const state = this.events.publicStateOf(snapshot);
    const { tables: _tables, ...summary } = state;
    this.io.to(eventRoom(eventId)).emit(ServerEvents.phaseChanged, summary);
    this.io.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, state);
    // Each instance tells only its own phones their seats, from the committed plan.
    const current = this.events.currentPlan(snapshot);
    const next = this.events.nextPlan(snapshot);
    const local = this.connected.get(eventId);
    if (local) {
      const ratings = snapshot.state.phase === 'ended' ? await this.events.store.listRatings(eventId) : [];
      for (const participantId of local.keys()) {
        const participant = snapshot.people.get(participantId);
        if (!participant) continue;
        if (snapshot.state.phase === 'ended') {
          // The end screen lists everyone met: send the whole view once.
          this.io.to(personRoom(participantId)).emit(ServerEvents.meSnapshot, this.events.meViewOf(snapshot, participant, ratings));
        } else {
          this.io.to(personRoom(participantId)).emit(ServerEvents.seatChanged, {
            seat: seatOf(current, participantId, snapshot.people),
            nextSeat: seatOf(next, participantId, snapshot.people),
          });
        }
      }
    }
    this.scheduleControl(eventId);
  }

  rosterChanged(eventId: string): void {
    this.throttle.run(`roster:${eventId}`, () =>
      this.guard(
        this.events.publicState(eventId).then((state) => {
          this.io.to(eventRoom(eventId)).emit(ServerEvents.headcountChanged, state.headcount);
          this.io.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, state);
        }),
      ),
    );
    this.scheduleControl(eventId);
  }

  ratingsChanged(eventId: string): void {
    this.scheduleControl(eventId);
  }

  seatsChanged(eventId: string, participantIds: string[]): void {
    this.guard(
      (async () => {
        const snapshot = await this.events.load(eventId);
        const ratings = await this.events.store.listRatings(eventId);
        for (const id of participantIds) {
          const participant = snapshot.people.get(id);
          if (participant && this.isOnline(eventId, id)) {
            this.io.to(personRoom(id)).emit(ServerEvents.meSnapshot, this.events.meViewOf(snapshot, participant, ratings));
          }
        }
        this.io.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, this.events.publicStateOf(snapshot));
      })(),
    );
    this.scheduleControl(eventId);
  }

  eventDeleted(eventId: string): void {
    this.io.in(eventRoom(eventId)).disconnectSockets(true);
    this.connected.delete(eventId);
  }

  /** Before the HTTP server closes: drop phones (they reconnect to another instance or after a restart). */
  close(): void {
    this.throttle.clear();
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }
}
