// The organizer's live view and actions for one event.
import type { ControlView, OrganizerActionName, PublicEventState } from '../../../shared/domain';
import { setPresence } from './api';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';
import { sendOrganizerAction } from './socket';

export class ControlStore {
  view = $state.raw<ControlView | null>(null);
  /** The action waiting for its acknowledgement, to disable the buttons meanwhile. */
  pending = $state<OrganizerActionName | null>(null);
  actionError = $state<string | null>(null);
  /** People whose presence change is on its way, by id. */
  presencePending = $state<Record<string, boolean>>({});
  presenceError = $state<string | null>(null);
  readonly connection: LiveConnection;

  constructor(
    private readonly eventId: string,
    private readonly organizerKey: string,
  ) {
    this.connection = new LiveConnection({ eventId, organizerKey });
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('control:snapshot', (view) => {
      if (!resync && !isCurrent(this.view?.state ?? null, view.state)) return;
      resync = false;
      clock.seed(view.state.serverNow);
      this.view = view;
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

  private patchRoster(participantId: string, present: boolean): void {
    if (!this.view) return;
    this.view = { ...this.view, roster: this.view.roster.map((p) => (p.id === participantId ? { ...p, present } : p)) };
  }

  private mergeState(state: Partial<PublicEventState> & { version: number }): void {
    if (!this.view || !isCurrent(this.view.state, state)) return;
    this.view = { ...this.view, state: { ...this.view.state, ...state } };
  }
}
