// Delivering committed changes. Whichever instance commits a change announces it to
// every instance (through the Redis adapter when there are several); each instance
// then reads the committed state once and tells only its own sockets: one room
// broadcast for the phase, each person's own seat to that person. Thousands of private
// seat messages never travel through Redis.
import type { FastifyBaseLogger } from 'fastify';
import { phaseUpdateOf, type ControlView } from '../../shared/domain';
import { ServerEvents, type EventGoneReason } from '../../shared/protocol';
import { seatOf } from '../../shared/seats';
import { HttpError } from '../errors';
import { controlViewOf } from '../views/controlView';
import { currentPublicState } from '../views/current';
import { meViewOf } from '../views/meView';
import { currentPlan, nextPlan } from '../views/snapshot';
import { publicStateOf, summaryOf } from '../views/summary';
import type { EventNotifier, EventService } from '../events/eventService';
import { type Change, type TablehopServer, type TablehopSocket, controlRoom, eventRoom, personRoom, screenRoom } from './rooms';
import { type Middles, type Packet, eventPackets, sendPacket } from './packets';
import { type PlanSeats, seatBytesOf, seatIndexOf } from './seatBytes';
import { SeatsAhead } from './seatsAhead';
import { KeyedThrottle } from './throttle';

// The two loops over every phone of a change live in small functions of their own, not in
// deliverPhase: a loop of thousands makes V8 compile the function it is in, in the middle
// of the fan-out, and compiling all of deliverPhase there takes CPU from the phones of that
// change (seen with --trace-opt under bench:fanout).

/** Where each phone connected here finds its seat in `planSeats`. */
function seatsOfLocal(local: Map<string, Set<TablehopSocket>>, people: ReadonlyMap<string, unknown>, planSeats: PlanSeats): { targets: Set<TablehopSocket>[]; theirs: Middles } {
  const targets: Set<TablehopSocket>[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [participantId, sockets] of local) {
    if (!people.has(participantId)) continue;
    const i = seatIndexOf(planSeats, participantId);
    targets.push(sockets);
    starts.push(planSeats.starts[i]!);
    ends.push(planSeats.ends[i]!);
  }
  return { targets, theirs: { source: planSeats.bytes, starts, ends } };
}

/** Person i's sockets get packet i. */
function sendEach(targets: Set<TablehopSocket>[], packets: Packet[]): void {
  for (let i = 0; i < targets.length; i++) for (const socket of targets[i]!) sendPacket(socket, packets[i]!);
}

export class Fanout implements EventNotifier {
  /**
   * Phones connected to this instance, per event: participantId → open sockets. Seats go
   * straight to these sockets: a per-person room broadcast costs far more per phone than
   * emitting on the socket itself (bench:fanout shows the difference).
   */
  private connected = new Map<string, Map<string, Set<TablehopSocket>>>();
  private throttle = new KeyedThrottle(250);
  private readonly ahead: SeatsAhead;

  constructor(
    private readonly io: TablehopServer,
    private readonly events: EventService,
    private readonly log: FastifyBaseLogger,
    /** True when several instances share rooms through the Redis adapter (false again once its clients close). */
    private clustered: boolean,
  ) {
    this.ahead = new SeatsAhead(events, (work) => this.guard(work));
    io.on('change', (change) => this.apply(change));
    io.on('online', (eventId, reply) => {
      if (typeof reply === 'function') reply([...(this.connected.get(eventId)?.keys() ?? [])]);
    });
  }

  // ---- EventNotifier: called by the instance that committed ----------------------

  phaseChanged(eventId: string, seats: boolean): void {
    this.announce({ kind: 'phase', eventId, seats });
  }

  rosterChanged(eventId: string): void {
    this.announce({ kind: 'roster', eventId });
  }

  ratingsChanged(eventId: string): void {
    this.announce({ kind: 'ratings', eventId });
  }

  seatsChanged(eventId: string, participantIds: string[]): void {
    this.announce({ kind: 'seats', eventId, participantIds });
  }

  peopleChanged(eventId: string, participantIds: string[]): void {
    this.announce({ kind: 'people', eventId, participantIds });
  }

  linkRevoked(eventId: string, participantId: string): void {
    this.announce({ kind: 'revoked', eventId, participantId });
  }

  /** The event is gone: every page that has it open is told so, then disconnected. */
  eventDeleted(eventId: string, reason: EventGoneReason = 'deleted'): void {
    this.announce({ kind: 'deleted', eventId, reason });
  }

  private announce(change: Change): void {
    this.apply(change);
    if (this.clustered) this.io.serverSideEmit('change', change);
  }

  // ---- on every instance: update this instance's own sockets ---------------------

  private apply(change: Change): void {
    const { eventId } = change;
    // Reads from now on must see the change (this instance's own ones were marked already;
    // this covers those other instances announce).
    if (change.kind !== 'presence') this.events.changed(eventId);
    // Ratings never change who sits where; everything else may.
    if (change.kind !== 'presence' && change.kind !== 'ratings' && change.kind !== 'deleted') this.ahead.soon(eventId);
    switch (change.kind) {
      case 'phase':
        this.guard(this.deliverPhase(eventId, change.seats));
        break;
      case 'roster':
        this.throttle.run(`roster:${eventId}`, () => this.guard(this.deliverRoster(eventId)));
        break;
      case 'ratings':
      case 'presence':
        break;
      case 'seats':
        this.guard(this.deliverSeats(eventId, change.participantIds));
        break;
      case 'people':
        this.guard(this.deliverViews(eventId, change.participantIds));
        break;
      case 'revoked':
        // Their token no longer works: the phone reconnects, is refused, and says why.
        this.io.local.in(personRoom(change.participantId)).disconnectSockets(true);
        break;
      case 'deleted':
        // Said before hanging up (the message leaves first), so pages show that the event
        // is gone instead of retrying a connection the server will refuse.
        this.io.local.to(eventRoom(eventId)).emit(ServerEvents.eventGone, { id: eventId, reason: change.reason });
        this.io.local.in(eventRoom(eventId)).disconnectSockets(true);
        this.connected.delete(eventId);
        this.ahead.forget(eventId);
        return;
    }
    this.scheduleControl(eventId);
  }

  private hasLocal(room: string): boolean {
    return (this.io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /**
   * One message per phone per change. When seats stay as they are (pause, resume,
   * +1 min) that is the room broadcast `phase:changed`. When they may have moved, each
   * phone gets its own `seat:changed` carrying the phase too, and only the seat that is
   * new: a changeover brings the next seat (the current one stays), a round brings its
   * seat. A second message, or both seats every time, would multiply the writes and the
   * work of every phone for nothing (measured by bench:fanout).
   */
  private async deliverPhase(eventId: string, seats: boolean): Promise<void> {
    const local = this.connected.get(eventId);
    const screens = this.hasLocal(screenRoom(eventId));
    if (!local && !screens) return;
    const snapshot = await this.events.load(eventId);
    const context = this.events.viewContext();
    const update = phaseUpdateOf(summaryOf(snapshot, context));
    if (screens) this.io.local.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, publicStateOf(snapshot, context));
    if (!seats) {
      this.io.local.to(eventRoom(eventId)).except(screenRoom(eventId)).emit(ServerEvents.phaseChanged, update);
      return;
    }
    if (!local) return;
    const { phase } = snapshot.state;
    if (phase === 'ended') {
      // The end screen lists everyone met: each phone gets its whole view once.
      const ratings = await this.events.listRatings(eventId);
      for (const [participantId, sockets] of local) {
        const participant = snapshot.people.get(participantId);
        if (!participant) continue;
        const view = meViewOf(snapshot, participant, ratings, context);
        for (const socket of sockets) socket.emit(ServerEvents.meSnapshot, view);
      }
      return;
    }
    // The phase is encoded once for everybody, every seat once per plan (seatBytesOf: a
    // round's seats were written at its changeover already); each phone's packet is spliced
    // from those: the JSON text of a seat:changed message { event, nextSeat } (a changeover)
    // or { event, seat, nextSeat: null } (a round).
    const updateJson = JSON.stringify(update);
    const changeover = phase === 'changeover';
    const planSeats = seatBytesOf(changeover ? nextPlan(snapshot) : currentPlan(snapshot), snapshot.people, { eventId, versions: snapshot.versions });
    const { targets, theirs } = seatsOfLocal(local, snapshot.people, planSeats);
    const packets = changeover
      ? eventPackets(ServerEvents.seatChanged, `{"event":${updateJson},"nextSeat":`, theirs, '}')
      : eventPackets(ServerEvents.seatChanged, `{"event":${updateJson},"seat":`, theirs, ',"nextSeat":null}');
    sendEach(targets, packets);
  }

  private async deliverRoster(eventId: string): Promise<void> {
    if (!this.hasLocal(eventRoom(eventId))) return;
    const state = await currentPublicState(this.events, eventId);
    this.io.local.to(eventRoom(eventId)).emit(ServerEvents.headcountChanged, state.headcount);
    this.io.local.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, state);
  }

  /** A shown plan was revised: the people who move get their new seats; the projector its new table list. */
  private async deliverSeats(eventId: string, participantIds: string[]): Promise<void> {
    const local = participantIds.filter((id) => this.isLocal(eventId, id));
    const screens = this.hasLocal(screenRoom(eventId));
    if (local.length === 0 && !screens) return;
    const snapshot = await this.events.load(eventId);
    const context = this.events.viewContext();
    const current = currentPlan(snapshot);
    const next = nextPlan(snapshot);
    const update = phaseUpdateOf(summaryOf(snapshot, context));
    for (const id of local) {
      if (!snapshot.people.has(id)) continue;
      this.io.local.to(personRoom(id)).emit(ServerEvents.seatChanged, {
        event: update,
        seat: seatOf(current, id, snapshot.people),
        nextSeat: seatOf(next, id, snapshot.people),
      });
    }
    if (screens) this.io.local.to(screenRoom(eventId)).emit(ServerEvents.stateSnapshot, publicStateOf(snapshot, context));
  }

  /** Something in these people's own view changed (away, follow-ups): their whole view again. */
  private async deliverViews(eventId: string, participantIds: string[]): Promise<void> {
    const local = participantIds.filter((id) => this.isLocal(eventId, id));
    if (local.length === 0) return;
    const [snapshot, ratings] = await Promise.all([this.events.load(eventId), this.events.listRatings(eventId)]);
    const context = this.events.viewContext();
    for (const id of local) {
      const participant = snapshot.people.get(id);
      if (participant && !participant.removed) this.io.local.to(personRoom(id)).emit(ServerEvents.meSnapshot, meViewOf(snapshot, participant, ratings, context));
    }
  }

  // ---- Control ------------------------------------------------------------------

  scheduleControl(eventId: string): void {
    if (!this.hasLocal(controlRoom(eventId))) return;
    this.throttle.run(`control:${eventId}`, () =>
      this.guard(this.control(eventId).then((view) => this.io.local.to(controlRoom(eventId)).emit(ServerEvents.controlSnapshot, view))),
    );
  }

  async control(eventId: string): Promise<ControlView> {
    const online = new Set(this.connected.get(eventId)?.keys() ?? []);
    if (this.clustered) {
      // Ask the other instances who is connected there; one that does not answer in time counts as nobody.
      const replies = await this.io.serverSideEmitWithAck('online', eventId).catch(() => [] as string[][]);
      for (const ids of replies) for (const id of ids) online.add(id);
    }
    const [snapshot, ratings] = await Promise.all([this.events.load(eventId), this.events.listRatings(eventId)]);
    return controlViewOf(snapshot, ratings, { isOnline: (id) => online.has(id), retentionDays: this.events.retentionDays }, this.events.viewContext());
  }

  // ---- who is connected here ---------------------------------------------------------

  isLocal(eventId: string, participantId: string): boolean {
    return (this.connected.get(eventId)?.get(participantId)?.size ?? 0) > 0;
  }

  /** A phone's socket connected (`online`) or went away. */
  markOnline(eventId: string, participantId: string, socket: TablehopSocket, online: boolean): void {
    const people = this.connected.get(eventId) ?? new Map<string, Set<TablehopSocket>>();
    const sockets = people.get(participantId) ?? new Set<TablehopSocket>();
    if (online) sockets.add(socket);
    else sockets.delete(socket);
    if (sockets.size > 0) people.set(participantId, sockets);
    else people.delete(participantId);
    if (people.size > 0) this.connected.set(eventId, people);
    else this.connected.delete(eventId);
    // Control may sit on another instance; a burst of connects is one announcement.
    this.throttle.run(`presence:${eventId}`, () => this.announce({ kind: 'presence', eventId }));
  }

  guard(work: Promise<unknown>): void {
    work.catch((error: unknown) => {
      if (!(error instanceof HttpError)) this.log.error({ err: error }, 'realtime update failed');
    });
  }

  close(): void {
    this.throttle.clear();
    this.ahead.close();
  }

  /**
   * The adapter's Redis clients are about to close: from now on changes reach this
   * instance's own sockets only. The adapter publishes without handling the promise, so a
   * publish on a closed client would be an unhandled rejection, which ends a Node process.
   */
  stopAnnouncing(): void {
    this.clustered = false;
  }
}
