// The projector's view of one event: public state only, read-only.
import type { PublicEventState } from '../../../shared/domain';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';

export class ScreenStore {
  state = $state.raw<PublicEventState | null>(null);
  /** The event's name, kept after it is gone so the room knows which event the message is about. */
  name = $state<string | null>(null);
  readonly connection: LiveConnection;

  constructor(eventId: string) {
    // A gone event's tables and countdown are dropped: a ring still running on stale
    // tables would send people to seats that no longer mean anything.
    this.connection = new LiveConnection({ eventId }, { gone: () => (this.state = null) });
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('state:snapshot', (state) => {
      if (!resync && !isCurrent(this.state, state)) return;
      resync = false;
      clock.seed(state.serverNow);
      this.state = state;
      this.name = state.name;
    });
    socket.on('phase:changed', (event) => {
      if (this.state && isCurrent(this.state, event)) this.state = { ...this.state, ...event };
    });
    socket.on('headcount:changed', (headcount) => {
      if (this.state) this.state = { ...this.state, headcount };
    });
  }

  open(): void {
    this.connection.open();
  }

  close(): void {
    this.connection.close();
  }
}
