// The server's clock as seen from this device. Countdowns are computed here from
// absolute deadlines; the server never ticks.
import { ClockOffsetEstimator } from '../../../shared/clock';
import type { EventSummary } from '../../../shared/domain';
import { advanceDue, remainingMsAt } from '../../../shared/roundEngine';
import { pingClock, type TablehopSocket } from './socket';

/** Quick samples right after connecting, so the first countdown is already accurate. */
const CONNECT_PINGS = 5;
/** Clocks drift and routes change; keep refining. */
const PING_EVERY_MS = 10_000;
/** Redraw often enough that devices side by side agree to a tenth of a second. */
const TICK_MS = 100;

export class ServerClock {
  /** serverTime ≈ Date.now() + offsetMs */
  offsetMs = $state(0);
  /** Estimated server time, refreshed every tick. Read it to re-render countdowns. */
  serverNow = $state(Date.now());

  private readonly estimator = new ClockOffsetEstimator();
  private ticker: ReturnType<typeof setInterval> | null = null;

  /** Uses the `serverNow` of a snapshot until real samples arrive (it ignores latency, so it is rough). */
  seed(serverNow: number): void {
    if (this.estimator.sampleCount > 0) return;
    this.offsetMs = serverNow - Date.now();
    this.tick();
  }

  /** Pings over this socket on every (re)connect and every 10 s while connected. Returns a detach function. */
  attach(socket: TablehopSocket): () => void {
    this.startTicking();
    let timer: ReturnType<typeof setInterval> | null = null;
    let burst = 0;
    const sample = async () => {
      const result = await pingClock(socket);
      if (!result) return;
      this.estimator.add(result);
      this.offsetMs = this.estimator.offsetMs;
      this.tick();
    };
    const onConnect = async () => {
      const mine = ++burst;
      for (let i = 0; i < CONNECT_PINGS && mine === burst && socket.connected; i++) await sample();
      if (timer === null) timer = setInterval(() => socket.connected && void sample(), PING_EVERY_MS);
    };
    socket.on('connect', onConnect);
    if (socket.connected) void onConnect();
    return () => {
      socket.off('connect', onConnect);
      burst++;
      if (timer !== null) clearInterval(timer);
    };
  }

  /** Milliseconds left in the event's current phase, or null when no clock runs (lobby, ended). */
  remainingMs(event: Pick<EventSummary, 'status' | 'phaseEndsAt' | 'remainingMs' | 'phase' | 'round' | 'version'>): number | null {
    return remainingMsAt(event, this.serverNow);
  }

  private tick(): void {
    this.serverNow = Date.now() + this.offsetMs;
  }

  private startTicking(): void {
    if (this.ticker !== null) return;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }
}

export const clock = new ServerClock();

/**
 * The event as it must be by now: if a deadline passed before the server's message
 * arrived (or while the Wi-Fi is down), step through the phases locally, so a phone
 * offline keeps a running countdown instead of freezing at 0:00.
 */
export function projectEvent<T extends EventSummary>(event: T, serverNow: number): T {
  const advanced = advanceDue(event, event, serverNow);
  return advanced === event ? event : { ...event, ...advanced };
}

/** How long the current phase lasts when nobody extends it; for drawing the ring. */
export function phaseDurationMs(event: Pick<EventSummary, 'phase' | 'roundSeconds' | 'changeoverSeconds'>): number {
  if (event.phase === 'talk') return event.roundSeconds * 1000;
  if (event.phase === 'changeover') return event.changeoverSeconds * 1000;
  return 0;
}
