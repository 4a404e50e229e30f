import { describe, expect, it } from 'vitest';
import { ClockOffsetEstimator } from '../../shared/clock';

describe('clock offset estimator', () => {
  it('finds the offset of a device clock 30 s behind, ignoring slow round trips', () => {
    const trueOffset = 30_000;
    const estimator = new ClockOffsetEstimator();
    let local = 1_000_000;
    // Symmetric 20 ms trips, plus some with 400 ms of one-sided queueing on the way back.
    for (let i = 0; i < 12; i++) {
      const slowBack = i % 3 === 0 ? 400 : 0;
      const sentAt = local;
      const serverNow = sentAt + 10 + trueOffset;
      const receivedAt = sentAt + 20 + slowBack;
      estimator.add({ sentAt, serverNow, receivedAt });
      local += 1000;
    }
    expect(Math.abs(estimator.offsetMs - trueOffset)).toBeLessThanOrEqual(1);
    expect(estimator.bestRttMs).toBe(20);
  });

  it('is zero before any sample and drops impossible samples', () => {
    const estimator = new ClockOffsetEstimator();
    expect(estimator.offsetMs).toBe(0);
    estimator.add({ sentAt: 10, serverNow: 5000, receivedAt: 5 });
    expect(estimator.sampleCount).toBe(0);
  });

  it('forgets old samples beyond its window', () => {
    const estimator = new ClockOffsetEstimator(4, 1);
    for (let i = 0; i < 4; i++) estimator.add({ sentAt: i * 100, serverNow: i * 100 + 5 + 1000, receivedAt: i * 100 + 10 });
    for (let i = 4; i < 8; i++) estimator.add({ sentAt: i * 100, serverNow: i * 100 + 25 + 2000, receivedAt: i * 100 + 50 });
    expect(estimator.offsetMs).toBe(2000);
  });
});
