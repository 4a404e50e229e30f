import { describe, expect, it } from 'vitest';
import { CATCH_UP_LIMIT_MS, SHORTEST_LATE_PHASE_MS, advanceDue, applyAction, followSchedule, lobbyState, remainingMsAt, roundNeedingPlan } from '../../shared/roundEngine';
import type { RoundState } from '../../shared/domain';

const timing = { rounds: 2, roundSeconds: 300, changeoverSeconds: 60 };
const T0 = 1_700_000_000_000;

function act(state: RoundState, action: Parameters<typeof applyAction>[2], now: number, seconds?: number): RoundState {
  const result = applyAction(state, timing, action, now, seconds);
  if (!result.ok) throw new Error(result.message);
  return result.state;
}

describe('round engine', () => {
  it('runs lobby → talk 1 → changeover 1 → talk 2 → changeover 2 → ended on absolute deadlines', () => {
    let s = act(lobbyState(), 'start', T0);
    expect(s).toMatchObject({ status: 'running', phase: 'talk', round: 1, phaseEndsAt: T0 + 300_000 });
    s = advanceDue(s, timing, T0 + 299_999);
    expect(s.phase).toBe('talk');
    s = advanceDue(s, timing, T0 + 300_000);
    expect(s).toMatchObject({ phase: 'changeover', round: 1, phaseEndsAt: T0 + 360_000 });
    s = advanceDue(s, timing, T0 + 360_500);
    // The next phase starts at the missed deadline, not at the moment it was noticed.
    expect(s).toMatchObject({ phase: 'talk', round: 2, phaseEndsAt: T0 + 660_000 });
    s = advanceDue(s, timing, T0 + 660_000);
    expect(s).toMatchObject({ phase: 'changeover', round: 2 });
    s = advanceDue(s, timing, T0 + 720_000);
    expect(s).toMatchObject({ status: 'ended', phase: 'ended', round: 2, phaseEndsAt: null });
  });

  it('returns the very same object when nothing is due, and bumps the version on every change', () => {
    const s = act(lobbyState(), 'start', T0);
    expect(advanceDue(s, timing, T0 + 1000)).toBe(s);
    expect(s.version).toBe(lobbyState().version + 1);
    expect(advanceDue(s, timing, T0 + 300_000).version).toBe(s.version + 1);
  });

  it('freezes the countdown on pause and gives it back on resume', () => {
    let s = act(lobbyState(), 'start', T0);
    s = act(s, 'pause', T0 + 100_000);
    expect(s).toMatchObject({ status: 'paused', phaseEndsAt: null, remainingMs: 200_000 });
    expect(advanceDue(s, timing, T0 + 10_000_000)).toBe(s);
    expect(remainingMsAt(s, T0 + 999_999)).toBe(200_000);
    s = act(s, 'resume', T0 + 500_000);
    expect(s).toMatchObject({ status: 'running', phaseEndsAt: T0 + 700_000, remainingMs: null });
  });

  it('extends by 60 s by default, or by the seconds asked, running or paused', () => {
    let s = act(lobbyState(), 'start', T0);
    s = act(s, 'extend', T0 + 1);
    expect(s.phaseEndsAt).toBe(T0 + 360_000);
    s = act(s, 'pause', T0 + 60_000);
    s = act(s, 'extend', T0 + 60_000, 30);
    expect(s.remainingMs).toBe(330_000);
  });

  it('skips to the next phase at once and keeps a paused event paused', () => {
    let s = act(lobbyState(), 'start', T0);
    s = act(s, 'skip', T0 + 5000);
    expect(s).toMatchObject({ phase: 'changeover', round: 1, phaseEndsAt: T0 + 65_000 });
    s = act(s, 'pause', T0 + 6000);
    s = act(s, 'skip', T0 + 7000);
    expect(s).toMatchObject({ status: 'paused', phase: 'talk', round: 2, remainingMs: 300_000 });
  });

  it('refuses with 409 what does not make sense now', () => {
    const lobby = lobbyState();
    for (const action of ['pause', 'resume', 'extend', 'skip'] as const) {
      expect(applyAction(lobby, timing, action, T0)).toMatchObject({ ok: false, status: 409 });
    }
    const running = act(lobby, 'start', T0);
    expect(applyAction(running, timing, 'start', T0)).toMatchObject({ ok: false, status: 409 });
    expect(applyAction(running, timing, 'resume', T0)).toMatchObject({ ok: false, status: 409 });
    const ended = act(running, 'end', T0 + 1);
    for (const action of ['start', 'pause', 'resume', 'extend', 'skip', 'end'] as const) {
      const result = applyAction(ended, timing, action, T0 + 2);
      expect(result).toMatchObject({ ok: false, status: 409 });
    }
  });

  it('settles a due phase before applying an action, so pause pauses what people see', () => {
    const s = act(lobbyState(), 'start', T0);
    const paused = act(s, 'pause', T0 + 310_000);
    expect(paused).toMatchObject({ phase: 'changeover', round: 1, status: 'paused', remainingMs: 50_000 });
  });

  it('after a long outage gives the next phase its whole length from now', () => {
    const s = act(lobbyState(), 'start', T0);
    const late = T0 + 300_000 + CATCH_UP_LIMIT_MS + 5000;
    expect(advanceDue(s, timing, late)).toMatchObject({ phase: 'changeover', phaseEndsAt: late + 60_000 });
  });

  it('never skips the changeover after an outage: a talk that ended meanwhile is followed by a changeover that phones get to show', () => {
    // The case the outside probe saw: an outage (11.8 s) across a short changeover's deadlines.
    const short = { rounds: 3, roundSeconds: 30, changeoverSeconds: 5 };
    const start = applyAction(lobbyState(), short, 'start', T0);
    if (!start.ok) throw new Error('start refused');
    const talkEnd = T0 + 30_000;
    for (const late of [1_500, 6_800, 11_800, 3_600_000]) {
      const now = talkEnd + late;
      const after = advanceDue(start.state, short, now);
      expect(after, `${late} ms late`).toMatchObject({ phase: 'changeover', round: 1, status: 'running' });
      // At least min(changeover, 20 s) from now; the whole changeover when more than 10 s late.
      expect(after.phaseEndsAt! - now, `${late} ms late`).toBe(5_000);
      // One phase per advance: the next tick moves on from the changeover, to talk 2.
      expect(advanceDue(after, short, after.phaseEndsAt!)).toMatchObject({ phase: 'talk', round: 2, phaseEndsAt: after.phaseEndsAt! + 30_000 });
    }
  });

  it('keeps the schedule when a little late, but leaves a late phase at least 20 s', () => {
    const s = act(lobbyState(), 'start', T0);
    const talkEnd = T0 + 300_000;
    // 8 s late into a 60 s changeover: 52 s are left, the schedule stands.
    expect(advanceDue(s, timing, talkEnd + 8_000)).toMatchObject({ phase: 'changeover', phaseEndsAt: talkEnd + 60_000 });
    // 8 s late into a 25 s changeover: only 17 s would be left, so it lasts 20 s from now.
    const tight = { ...timing, changeoverSeconds: 25 };
    expect(advanceDue(s, tight, talkEnd + 8_000)).toMatchObject({ phase: 'changeover', phaseEndsAt: talkEnd + 8_000 + SHORTEST_LATE_PHASE_MS });
    // An ordinary tick (under a second late) keeps the schedule to the millisecond.
    expect(advanceDue(s, tight, talkEnd + 400)).toMatchObject({ phase: 'changeover', phaseEndsAt: talkEnd + 25_000 });
  });

  it('moves one phase per advance even hours late, while a screen offline follows the schedule', () => {
    const s = act(lobbyState(), 'start', T0);
    const hoursLater = T0 + 5 * 3_600_000;
    expect(advanceDue(s, timing, hoursLater)).toMatchObject({ phase: 'changeover', round: 1, phaseEndsAt: hoursLater + 60_000 });
    expect(followSchedule(s, timing, T0 + 360_500)).toMatchObject({ phase: 'talk', round: 2, phaseEndsAt: T0 + 660_000 });
    expect(followSchedule(s, timing, hoursLater)).toMatchObject({ phase: 'ended' });
  });

  it('passes straight through a zero-second changeover', () => {
    const quick = { rounds: 3, roundSeconds: 10, changeoverSeconds: 0 };
    const start = applyAction(lobbyState(), quick, 'start', T0);
    if (!start.ok) throw new Error('start refused');
    expect(advanceDue(start.state, quick, T0 + 10_000)).toMatchObject({ phase: 'talk', round: 2, phaseEndsAt: T0 + 20_000 });
  });

  it('says which round needs a seating plan', () => {
    expect(roundNeedingPlan(lobbyState(), 2)).toBeNull();
    const base = { ...lobbyState(), status: 'running' as const };
    expect(roundNeedingPlan({ ...base, phase: 'talk', round: 1 }, 2)).toBe(1);
    expect(roundNeedingPlan({ ...base, phase: 'changeover', round: 1 }, 2)).toBe(2);
    expect(roundNeedingPlan({ ...base, phase: 'changeover', round: 2 }, 2)).toBeNull();
  });
});
