// The organizer's live view and actions for one event.
import type { ControlView, OrganizerActionName, PublicEventState } from '../../../shared/domain';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';
import { sendOrganizerAction } from './socket';

export class ControlStore {
  view = $state.raw<ControlView | null>(null);
  /** The action waiting for its acknowledgement, to disable the buttons meanwhile. */
  pending = $state<OrganizerActionName | null>(null);
  actionError = $state<string | null>(null);
  readonly connection: LiveConnection;

  constructor(eventId: string, organizerKey: string) {
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
    const ack = await sendOrganizerAction(this.connection.socket, seconds === undefined ? { action } : { action, seconds });
    this.pending = null;
    if (ack.ok) this.mergeState(ack.value);
    else this.actionError = ack.message;
  }

  private mergeState(state: Partial<PublicEventState> & { version: number }): void {
    if (!this.view || !isCurrent(this.view.state, state)) return;
    this.view = { ...this.view, state: { ...this.view.state, ...state } };
  }
}
