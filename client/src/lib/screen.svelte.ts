// The projector's view of one event: public state only, read-only.
import type { PublicEventState } from '../../../shared/domain';
import { clock } from './clock.svelte';
import { isCurrent, LiveConnection } from './connection.svelte';

export class ScreenStore {
  state = $state.raw<PublicEventState | null>(null);
  /** Exchanges seen per round (mentor–mentee pairs), for the thank-you figures. */
  readonly tally: ExchangeTally;
  readonly connection: LiveConnection;

  constructor(eventId: string) {
    this.tally = new ExchangeTally(eventId);
    this.connection = new LiveConnection({ eventId });
    const socket = this.connection.socket;
    let resync = true;
    socket.on('connect', () => (resync = true));
    socket.on('state:snapshot', (state) => {
      if (!resync && !isCurrent(this.state, state)) return;
      resync = false;
      clock.seed(state.serverNow);
      this.state = state;
      this.tally.record(state);
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

/**
 * The public state carries only the current round's tables, so the projector counts the
 * exchanges of each round as it shows them (kept for the tab's life, so a reload of the
 * screen keeps the count). A screen opened late knows only part of the event and says
 * nothing rather than a wrong figure.
 */
export class ExchangeTally {
  private perRound: Record<number, number>;
  private readonly key: string;

  constructor(eventId: string) {
    this.key = `tablehop:exchanges:${eventId}`;
    this.perRound = this.load();
  }

  record(state: PublicEventState): void {
    if ((state.phase !== 'talk' && state.phase !== 'changeover') || state.round < 1) return;
    this.perRound[state.round] = state.tables.reduce((n, t) => n + t.mentees.length, 0);
    try {
      sessionStorage.setItem(this.key, JSON.stringify(this.perRound));
    } catch {
      // Kept in memory only.
    }
  }

  /** Exchanges held in rounds 1..`rounds`, or null when this screen missed one of them. */
  total(rounds: number): number | null {
    let sum = 0;
    for (let round = 1; round <= rounds; round++) {
      const seen = this.perRound[round];
      if (seen === undefined) return null;
      sum += seen;
    }
    return sum;
  }

  private load(): Record<number, number> {
    try {
      const parsed: unknown = JSON.parse(sessionStorage.getItem(this.key) ?? '{}');
      return parsed && typeof parsed === 'object' ? (parsed as Record<number, number>) : {};
    } catch {
      return {};
    }
  }
}
