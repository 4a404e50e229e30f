// Socket.IO on the same port as HTTP. Sockets authenticate in the handshake, get a full
// snapshot on every connect, then small updates (see fanout.ts). No per-second ticks:
// phones count down from `phaseEndsAt` with their own clock offset.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyBaseLogger } from 'fastify';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { Participant, PublicEventState } from '../../shared/domain';
import { ClientEvents, PROTOCOL_VERSION, ServerEvents, type Ack, type PingReply } from '../../shared/protocol';
import { OrganizerActionSchema, RatingSchema, describeIssues } from '../../shared/schemas';
import { HttpError } from '../errors';
import { STORE_FULL_MESSAGE, isStoreFull } from '../store/unavailable';
import type { EventService } from '../events/eventService';
import { type TrustRule, clientAddress } from '../http/clientAddress';
import { type Limiter, RateLimited } from '../limits/limiter';
import { sha256 } from '../secrets';
import { currentMeView, currentPublicState } from '../views/current';
import { Fanout } from './fanout';
import { Refusal, connectError, refuseAs } from './refusal';
import { type Release, SocketCaps } from './socketCaps';
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
  if (error instanceof RateLimited) return { ok: false, status: 429, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
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
  /** Ratings and organizer actions count against the same budgets as over HTTP. */
  limiter: Limiter;
  /** Whose X-Forwarded-For to believe: the rule request.ip uses (TRUST_PROXY). */
  trust: TrustRule;
  limits: { rateLimitPings: number; maxSocketsPerLink: number; maxSocketsPerAddress: number };
}

const PING_WINDOW_MS = 60_000;

export class Realtime {
  readonly io: TablehopServer;
  readonly fanout: Fanout;
  private adapterClients: RedisClient[] = [];
  private readonly caps: SocketCaps;
  private readonly limiter: Limiter;

  private constructor(
    httpServer: HttpServer,
    private readonly events: EventService,
    private readonly log: FastifyBaseLogger,
    private readonly options: RealtimeOptions,
  ) {
    const clustered = Boolean(options.redisUrl);
    this.limiter = options.limiter;
    this.caps = new SocketCaps(options.limits.maxSocketsPerAddress, options.limits.maxSocketsPerLink);
    this.io = new Server(httpServer, SOCKET_OPTIONS);
    this.fanout = new Fanout(this.io, events, log, clustered);
    events.notifier = this.fanout;
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(connectError(error)),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  static async attach(httpServer: HttpServer, events: EventService, log: FastifyBaseLogger, options: RealtimeOptions): Promise<Realtime> {
    const realtime = new Realtime(httpServer, events, log, options);
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

  /**
   * Admits a socket: a place under the address cap, then who it is, then (a phone) a place
   * under its link's cap. The places are given back when its connection closes, or at once
   * if the handshake is refused.
   */
  private async authenticate(socket: TablehopSocket): Promise<void> {
    // socket.handshake.address ignores X-Forwarded-For: use the same rule as request.ip.
    const address = clientAddress(socket.request, this.options.trust);
    const releases: Release[] = [this.caps.admitAddress(address)];
    try {
      await this.identify(socket, address);
      if (socket.data.participantId) releases.push(this.caps.admitLink(socket.data.participantId));
    } catch (error) {
      for (const release of releases) release();
      throw error;
    }
    const releaseAll = () => {
      for (const release of releases) release();
    };
    // The phone may have gone while it was being identified: then no 'close' is left to come.
    if (socket.conn.readyState === 'closed' || socket.conn.readyState === 'closing') return releaseAll();
    socket.conn.once('close', releaseAll);
  }

  private async identify(socket: TablehopSocket, address: string): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (auth.v === undefined && auth.token === undefined && auth.eventId === undefined) {
      throw new Refusal('bad_handshake', `Send {v: ${PROTOCOL_VERSION}, token} (a phone) or {v: ${PROTOCOL_VERSION}, eventId} (the projector) as the handshake auth.`);
    }
    if (auth.v !== PROTOCOL_VERSION) throw new Refusal('outdated', 'Tablehop was updated: reload the page.');
    if (typeof auth.token === 'string') {
      const tokenHash = sha256(auth.token);
      const { event, participant } = await this.events.participantForTokenHash(tokenHash).catch(refuseAs('token_unknown'));
      socket.data = { eventId: event.id, audience: 'participant', participantId: participant.id, tokenHash, address };
      return;
    }
    if (typeof auth.eventId !== 'string') throw new Refusal('bad_handshake', 'Send a participant token or an event id to connect.');
    if (typeof auth.organizerKey === 'string') {
      await this.events.authorizeOrganizer(auth.eventId, auth.organizerKey).catch(refuseAs((error) => (error.status === 404 ? 'event_not_found' : 'wrong_key')));
      socket.data = { eventId: auth.eventId, audience: 'control', address };
      return;
    }
    await this.events.requireEvent(auth.eventId).catch(refuseAs('event_not_found'));
    socket.data = { eventId: auth.eventId, audience: 'screen', address };
  }

  private onConnection(socket: TablehopSocket): void {
    const { eventId, audience, participantId } = socket.data;
    const fanout = this.fanout;
    void socket.join(eventRoom(eventId));
    if (audience === 'participant' && participantId) {
      void socket.join(personRoom(participantId));
      fanout.markOnline(eventId, participantId, socket, true);
      socket.on('disconnect', () => fanout.markOnline(eventId, participantId, socket, false));
      fanout.guard(currentMeView(this.events, eventId, participantId).then((view) => socket.emit(ServerEvents.meSnapshot, view)));
    } else {
      void socket.join(screenRoom(eventId));
      fanout.guard(currentPublicState(this.events, eventId).then((state) => socket.emit(ServerEvents.stateSnapshot, state)));
      if (audience === 'control') {
        void socket.join(controlRoom(eventId));
        fanout.guard(fanout.control(eventId).then((view) => socket.emit(ServerEvents.controlSnapshot, view)));
      }
    }

    // Pings never touch the store and a socket lives on one instance: counted here, per socket.
    let pings = 0;
    let pingWindowEnds = 0;
    socket.on(ClientEvents.clockPing, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<PingReply>(args);
      const now = Date.now();
      if (now >= pingWindowEnds) [pings, pingWindowEnds] = [0, now + PING_WINDOW_MS];
      if (++pings > this.options.limits.rateLimitPings) {
        const seconds = Math.max(1, Math.ceil((pingWindowEnds - now) / 1000));
        return ack({ ok: false, status: 429, message: `Too many clock pings: at most ${this.options.limits.rateLimitPings} a minute. Try again in ${seconds} s.`, retryAfterSeconds: seconds });
      }
      const clientSentAt = typeof payload?.clientSentAt === 'number' ? payload.clientSentAt : 0;
      ack({ clientSentAt, serverNow: Date.now() });
    });

    socket.on(ClientEvents.ratingSubmit, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<Ack<{ round: number; targetId: string }>>(args);
      if (audience !== 'participant' || !participantId) return ack({ ok: false, status: 403, message: 'Only participants rate exchanges.' });
      const parsed = RatingSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, status: 400, message: describeIssues(parsed.error) });
      (async () => {
        await this.limiter.take('ratingsPerAddress', socket.data.address);
        const rater = await this.standing(socket);
        await this.limiter.take('ratingsPerPerson', rater.id);
        await this.events.rate(eventId, rater, parsed.data);
        ack({ ok: true, value: { round: parsed.data.round, targetId: parsed.data.targetId } });
      })().catch((error: unknown) => ack(failure(error)));
    });

    socket.on(ClientEvents.organizerAction, (...args: unknown[]) => {
      const [payload, ack] = payloadAndAck<Ack<PublicEventState>>(args);
      if (audience !== 'control') return ack({ ok: false, status: 403, message: 'Only the organizer can steer the event.' });
      const parsed = OrganizerActionSchema.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, status: 400, message: describeIssues(parsed.error) });
      (async () => {
        await this.limiter.take('actionsPerAddress', socket.data.address);
        // The event may have been deleted since this Control connected.
        await this.events.requireEvent(eventId);
        await this.limiter.take('actionsPerEvent', eventId);
        await this.events.act(eventId, parsed.data.action, parsed.data.seconds, parsed.data.from);
        ack({ ok: true, value: await currentPublicState(this.events, eventId) });
      })().catch((error: unknown) => ack(failure(error)));
    });
  }

  /**
   * The phone's person as they stand now: the link it connected with must still be theirs
   * (not replaced), and they must still be on the event (not removed). Checked before every
   * message, since the disconnect that follows a removal may not have arrived yet.
   */
  private async standing(socket: TablehopSocket): Promise<Participant> {
    const { eventId, participantId, tokenHash } = socket.data;
    let owner;
    try {
      owner = tokenHash ? await this.events.participantForTokenHash(tokenHash) : null;
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) throw new HttpError(401, `${error.message} Nothing was saved.`);
      throw error;
    }
    if (!owner || owner.event.id !== eventId || owner.participant.id !== participantId) {
      throw new HttpError(401, 'This link was replaced by a new one: open the new link. Nothing was saved.');
    }
    return owner.participant;
  }

  /** Before the HTTP server closes: drop phones (they reconnect to another instance or after a restart). */
  close(): void {
    this.fanout.close();
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }

  async closeAdapter(): Promise<void> {
    this.fanout.stopAnnouncing();
    await Promise.all(this.adapterClients.map((c) => (c.isOpen ? c.quit().catch(() => {}) : undefined)));
  }
}
