// Socket.IO on the same port as HTTP. Sockets authenticate in the handshake, get a full
// snapshot on every connect, then small updates (see fanout.ts). No per-second ticks:
// phones count down from `phaseEndsAt` with their own clock offset.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyBaseLogger } from 'fastify';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { PublicEventState } from '../../shared/domain';
import { ClientEvents, PROTOCOL_VERSION, ServerEvents, type Ack } from '../../shared/protocol';
import { OrganizerActionSchema, RatingSchema, describeIssues } from '../../shared/schemas';
import { HttpError } from '../errors';
import { STORE_FULL_MESSAGE, isStoreFull } from '../store/unavailable';
import type { EventService } from '../events/eventService';
import { Fanout } from './fanout';
import { SOCKET_OPTIONS } from './socketOptions';
import { type TablehopServer, type TablehopSocket, controlRoom, eventRoom, personRoom, screenRoom } from './rooms';

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
  if (isStoreFull(error)) return { ok: false, status: 503, message: STORE_FULL_MESSAGE };
  return { ok: false, status: 503, message: 'The server could not do that just now; try again in a moment.' };
}

type RedisClient = ReturnType<typeof createClient>;

export interface RealtimeOptions {
  /** With Redis, instances share rooms through the Socket.IO Redis adapter. */
  redisUrl?: string | undefined;
  /** Prefix of the adapter's pub/sub channels: instances with the same prefix share rooms. */
  redisPrefix?: string;
}

export class Realtime {
  readonly io: TablehopServer;
  readonly fanout: Fanout;
  private adapterClients: RedisClient[] = [];

  private constructor(
    httpServer: HttpServer,
    private readonly events: EventService,
    private readonly log: FastifyBaseLogger,
    clustered: boolean,
  ) {
    this.io = new Server(httpServer, SOCKET_OPTIONS);
    this.fanout = new Fanout(this.io, events, log, clustered);
    events.notifier = this.fanout;
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(new Error(error instanceof HttpError ? error.message : 'Could not connect just now; retrying.')),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  static async attach(httpServer: HttpServer, events: EventService, log: FastifyBaseLogger, options: RealtimeOptions = {}): Promise<Realtime> {
    const realtime = new Realtime(httpServer, events, log, Boolean(options.redisUrl));
    if (options.redisUrl) await realtime.useRedisAdapter(options.redisUrl, `${options.redisPrefix ?? 'tablehop:'}socket.io`);
    return realtime;
  }

  private async useRedisAdapter(url: string, key: string): Promise<void> {
    const pub: RedisClient = createClient({
      url,
      socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      // Unhandled, node-redis 'error' events would crash the process while Redis is away.
      client.on('error', (error: Error) => this.log.warn({ err: error }, 'Redis adapter connection'));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    this.adapterClients = [pub, sub];
    this.io.adapter(createAdapter(pub, sub, { key, requestsTimeout: 2000 }));
  }

  private async authenticate(socket: TablehopSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (auth.v === undefined && auth.token === undefined && auth.eventId === undefined) {
      throw new HttpError(400, `Send {v: ${PROTOCOL_VERSION}, token} (a phone) or {v: ${PROTOCOL_VERSION}, eventId} (the projector) as the handshake auth.`);
    }
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
    const fanout = this.fanout;
    void socket.join(eventRoom(eventId));
    if (audience === 'participant' && participantId) {
      void socket.join(personRoom(participantId));
      fanout.markOnline(eventId, participantId, socket, true);
      socket.on('disconnect', () => fanout.markOnline(eventId, participantId, socket, false));
      fanout.guard(this.events.meView(eventId, participantId).then((view) => socket.emit(ServerEvents.meSnapshot, view)));
    } else {
      void socket.join(screenRoom(eventId));
      fanout.guard(this.events.publicState(eventId).then((state) => socket.emit(ServerEvents.stateSnapshot, state)));
      if (audience === 'control') {
        void socket.join(controlRoom(eventId));
        fanout.guard(fanout.control(eventId).then((view) => socket.emit(ServerEvents.controlSnapshot, view)));
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
      this.events.store
        .getParticipant(eventId, participantId)
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
        .act(eventId, parsed.data.action, parsed.data.seconds, parsed.data.from)
        .then((state) => ack({ ok: true, value: state }))
        .catch((error: unknown) => ack(failure(error)));
    });
  }

  eventDeleted(eventId: string): void {
    this.fanout.eventDeleted(eventId);
  }

  /** Before the HTTP server closes: drop phones (they reconnect to another instance or after a restart). */
  close(): void {
    this.fanout.close();
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }

  async closeAdapter(): Promise<void> {
    await Promise.all(this.adapterClients.map((c) => (c.isOpen ? c.quit().catch(() => {}) : undefined)));
  }
}
