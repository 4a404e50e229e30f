// The projector's view of one event: public state only, read-only.
import type { PublicEventState } from '../../../shared/domain';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';

export class ScreenStore {
  state = $state.raw<PublicEventState | null>(null);
  readonly connection: LiveConnection;

  constructor(eventId: string) {
    this.connection = new LiveConnection({ eventId });
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('state:snapshot', (state) => {
      if (!resync && !isCurrent(this.state, state)) return;
      resync = false;
      clock.seed(state.serverNow);
      this.state = state;
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
