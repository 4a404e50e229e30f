// Estimates how far the server's clock is from this device's, NTP-style, so every
// phone and the projector count down to the same absolute deadline.

export interface ClockSample {
  /** Local time when the ping left. */
  sentAt: number;
  /** Server time in the reply. */
  serverNow: number;
  /** Local time when the reply arrived. */
  receivedAt: number;
}

export class ClockOffsetEstimator {
  private samples: { rtt: number; offset: number }[] = [];

  /** @param keep how many recent samples to remember; @param best how many of the fastest to average. */
  constructor(
    private readonly keep = 12,
    private readonly best = 3,
  ) {}

  add(sample: ClockSample): void {
    const rtt = sample.receivedAt - sample.sentAt;
    if (!Number.isFinite(rtt) || rtt < 0) return;
    // The reply was stamped somewhere in the round trip; the middle is the best guess.
    const offset = sample.serverNow - (sample.sentAt + rtt / 2);
    this.samples.push({ rtt, offset });
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** serverTime ≈ localTime + offset. Uses only low-round-trip samples: queueing delay is one-sided noise. */
  get offsetMs(): number {
    if (this.samples.length === 0) return 0;
    const fastest = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, this.best);
    const offsets = fastest.map((s) => s.offset).sort((a, b) => a - b);
    return offsets[Math.floor(offsets.length / 2)] ?? 0;
  }

  /** Round trip of the best sample: how far the estimate can be off, at most half of it. */
  get bestRttMs(): number {
    if (this.samples.length === 0) return Infinity;
    return Math.min(...this.samples.map((s) => s.rtt));
  }

  serverNow(localNow: number): number {
    return localNow + this.offsetMs;
  }
}
