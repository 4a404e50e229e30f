// The server's clock as seen from this device. Countdowns are computed here from
// absolute deadlines; the server never ticks.
import { ClockOffsetEstimator } from '../../../shared/clock';
import type { EventSummary } from '../../../shared/domain';
import { followSchedule, remainingMsAt } from '../../../shared/roundEngine';
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

  private estimator = new ClockOffsetEstimator();
  /** Whether any round trip was ever measured; until then a snapshot's `serverNow` is the best guess. */
  private measured = false;
  private ticker: ReturnType<typeof setInterval> | null = null;

  /** Uses the `serverNow` of a snapshot until real samples arrive (it ignores latency, so it is rough). */
  seed(serverNow: number): void {
    if (this.measured) return;
    this.offsetMs = serverNow - Date.now();
    this.tick();
  }

  /**
   * Pings over this socket on every (re)connect and every 10 s while connected. Each
   * connect starts a fresh estimate (the phone may have slept, its clock may have been
   * corrected meanwhile); the old offset stays in use until the first new sample.
   * Returns a detach function.
   */
  attach(socket: TablehopSocket): () => void {
    this.startTicking();
    const onConnect = () => void this.burst(socket);
    const timer = setInterval(() => {
      if (socket.connected) void this.sample(socket, this.estimator);
    }, PING_EVERY_MS);
    socket.on('connect', onConnect);
    if (socket.connected) onConnect();
    return () => {
      socket.off('connect', onConnect);
      clearInterval(timer);
      this.estimator = new ClockOffsetEstimator(); // stops a burst in flight
    };
  }

  /** A fresh series of samples: after connecting, or when the page comes back into view. */
  async burst(socket: TablehopSocket): Promise<void> {
    const estimator = new ClockOffsetEstimator();
    this.estimator = estimator;
    for (let i = 0; i < CONNECT_PINGS && socket.connected && this.estimator === estimator; i++) {
      await this.sample(socket, estimator);
    }
  }

  /** Milliseconds left in the event's current phase, or null when no clock runs (lobby, ended). */
  remainingMs(event: Pick<EventSummary, 'status' | 'phaseEndsAt' | 'remainingMs' | 'phase' | 'round' | 'version'>): number | null {
    return remainingMsAt(event, this.serverNow);
  }

  private async sample(socket: TablehopSocket, estimator: ClockOffsetEstimator): Promise<void> {
    const result = await pingClock(socket);
    if (!result || this.estimator !== estimator) return;
    estimator.add(result);
    if (estimator.sampleCount === 0) return;
    this.measured = true;
    this.offsetMs = estimator.offsetMs;
    this.tick();
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
  const advanced = followSchedule(event, event, serverNow);
  return advanced === event ? event : { ...event, ...advanced };
}

/** How long the current phase lasts when nobody extends it; for drawing the ring. */
export function phaseDurationMs(event: Pick<EventSummary, 'phase' | 'roundSeconds' | 'changeoverSeconds'>): number {
  if (event.phase === 'talk') return event.roundSeconds * 1000;
  if (event.phase === 'changeover') return event.changeoverSeconds * 1000;
  return 0;
}

/** The last minute of a talk longer than a minute: time to wrap up. */
export function isLastMinute(event: Pick<EventSummary, 'phase' | 'roundSeconds'>, remainingMs: number | null): boolean {
  return event.phase === 'talk' && event.roundSeconds > 60 && remainingMs !== null && remainingMs <= 60_000;
}
