// The organizer's live view and actions for one event.
import type { ControlView, OrganizerActionName, PublicEventState } from '../../../shared/domain';
import { deleteEvent, issueNewLink, moveMentee, removePerson, setPresence, type ImportedParticipant, type MoveAnswer } from './api';
import { forgetLinks, keepLinks } from './personalLinks';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection, type GoneReason } from './connection.svelte';
import { sendOrganizerAction } from './socket';
import { forgetOrganizerKey } from './storage';

export class ControlStore {
  view = $state.raw<ControlView | null>(null);
  /** The action waiting for its acknowledgement, to disable the buttons meanwhile. */
  pending = $state<OrganizerActionName | null>(null);
  actionError = $state<string | null>(null);
  /** People whose presence change is on its way, by id. */
  presencePending = $state<Record<string, boolean>>({});
  presenceError = $state<string | null>(null);
  /** Counts the Control updates received: pages that read more (the report) follow it. */
  snapshots = $state(0);
  /** Set once the organizer deleted the event from this page. */
  deleted = $state(false);
  /** The event's name, kept after it is gone so the message can say which event. */
  name = $state<string | null>(null);
  readonly connection: LiveConnection;

  constructor(
    private readonly eventId: string,
    private readonly organizerKey: string,
  ) {
    this.connection = new LiveConnection({ eventId, organizerKey }, { gone: (reason) => this.eventGone(reason) });
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('control:snapshot', (view) => {
      if (!resync && !isCurrent(this.view?.state ?? null, view.state)) return;
      resync = false;
      clock.seed(view.state.serverNow);
      this.view = view;
      this.name = view.state.name;
      this.snapshots++;
    });
    socket.on('state:snapshot', (state) => this.mergeState(state));
    socket.on('phase:changed', (event) => this.mergeState(event));
    socket.on('headcount:changed', (headcount) => {
      if (this.view) this.view = { ...this.view, state: { ...this.view.state, headcount } };
    });
  }

  open(): void {
    this.connection.open();
  }

  close(): void {
    this.connection.close();
  }

  async act(action: OrganizerActionName, seconds?: number): Promise<void> {
    if (this.pending) return;
    this.pending = action;
    this.actionError = null;
    const shown = this.view?.state;
    // A skip names the phase on screen, so two organizers pressing at once skip it once.
    const from = action === 'skip' && shown ? { from: { phase: shown.phase, round: shown.round } } : {};
    const ack = await sendOrganizerAction(this.connection.socket, seconds === undefined ? { action, ...from } : { action, seconds, ...from });
    this.pending = null;
    if (ack.ok) this.mergeState(ack.value);
    else this.actionError = ack.message;
  }

  /** Marks someone absent or present; the roster shows the change at once and the server confirms it. */
  async setPresent(participantId: string, present: boolean): Promise<void> {
    this.presenceError = null;
    this.presencePending[participantId] = present;
    this.patchRoster(participantId, present);
    try {
      await setPresence(this.eventId, this.organizerKey, participantId, present);
    } catch (error) {
      this.patchRoster(participantId, !present);
      this.presenceError = error instanceof Error ? error.message : String(error);
    } finally {
      delete this.presencePending[participantId];
    }
  }

  /** Seats a mentee at `table` for the coming round (null: take the move back). Throws the server's sentence. */
  async move(participantId: string, table: number | null): Promise<MoveAnswer> {
    return moveMentee(this.eventId, this.organizerKey, participantId, table);
  }

  /** Takes someone off the event; the roster drops them at once. Throws the server's sentence. */
  async remove(participantId: string): Promise<void> {
    await removePerson(this.eventId, this.organizerKey, participantId);
    if (this.view) this.view = { ...this.view, roster: this.view.roster.filter((p) => p.id !== participantId) };
  }

  /** A fresh personal link, kept on this laptop for badges; the old link stops working. */
  async newLink(participantId: string): Promise<ImportedParticipant> {
    const link = await issueNewLink(this.eventId, this.organizerKey, participantId);
    keepLinks(this.eventId, [link]);
    return link;
  }

  /** Deletes the event and everything about it, and forgets it on this laptop. */
  async deleteEvent(): Promise<void> {
    await deleteEvent(this.eventId, this.organizerKey);
    this.deleted = true;
    this.connection.close();
    forgetLinks(this.eventId);
    forgetOrganizerKey(this.eventId);
  }

  /**
   * The event no longer exists: its view (and countdown) goes. When the server said it
   * was deleted or expired, this laptop forgets its key and links too; when a handshake
   * merely found no such event, they are kept — a server started without its data may
   * get it back.
   */
  private eventGone(reason: GoneReason): void {
    this.view = null;
    if (reason === 'not_found') return;
    forgetLinks(this.eventId);
    forgetOrganizerKey(this.eventId);
  }

  private patchRoster(participantId: string, present: boolean): void {
    if (!this.view) return;
    this.view = { ...this.view, roster: this.view.roster.map((p) => (p.id === participantId ? { ...p, present } : p)) };
  }

  private mergeState(state: Partial<PublicEventState> & { version: number }): void {
    if (!this.view || !isCurrent(this.view.state, state)) return;
    this.view = { ...this.view, state: { ...this.view.state, ...state } };
  }
}
