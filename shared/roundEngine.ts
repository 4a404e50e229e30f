// The event's clock as pure functions: (state, action, now) → new state.
// lobby → talk 1 → changeover 1 → talk 2 → … → talk n → changeover n → ended,
// with pause/resume/extend/skip/end from the organizer. No timers live here:
// a phase ends at an absolute `phaseEndsAt`, and whoever looks after it is due
// calls `advanceDue`.
import type { EventSettings, OrganizerActionName, RoundState } from './domain';

export const DEFAULT_EXTEND_SECONDS = 60;

/**
 * A phase found overdue by more than this (the server or its store was down, say) starts
 * its successor from "now" rather than from the missed deadline, so people still get a
 * whole changeover to find their tables instead of a countdown that is already over.
 */
export const CATCH_UP_LIMIT_MS = 10_000;

/** Lateness of an ordinary tick (TICK_MS ≤ 1 s): the next phase keeps the original schedule. */
export const ON_TIME_MS = 1_000;

/**
 * A phase entered late, but not late enough for a fresh start, still lasts at least this
 * long (or its whole length, if shorter) from now: phones get to show the next seat and
 * the rating window, never a changeover that is over before it is seen.
 */
export const SHORTEST_LATE_PHASE_MS = 20_000;

export function lobbyState(): RoundState {
  return { status: 'lobby', phase: 'lobby', round: 0, phaseEndsAt: null, remainingMs: null, version: 1 };
}

export type ActionResult = { ok: true; state: RoundState } | { ok: false; status: 409; message: string };

type Timing = Pick<EventSettings, 'rounds' | 'roundSeconds' | 'changeoverSeconds'>;

/** The phase after this one, as [phase, round, durationMs]; `ended` has no duration. */
function following(state: RoundState, timing: Timing): { phase: RoundState['phase']; round: number; durationMs: number } {
  switch (state.phase) {
    case 'lobby':
      return { phase: 'talk', round: 1, durationMs: timing.roundSeconds * 1000 };
    case 'talk':
      // Even the last talk is followed by a changeover: that is when people rate.
      return { phase: 'changeover', round: state.round, durationMs: timing.changeoverSeconds * 1000 };
    case 'changeover':
      return state.round < timing.rounds
        ? { phase: 'talk', round: state.round + 1, durationMs: timing.roundSeconds * 1000 }
        : { phase: 'ended', round: state.round, durationMs: 0 };
    case 'ended':
      return { phase: 'ended', round: state.round, durationMs: 0 };
  }
}

function ended(state: RoundState): RoundState {
  return { ...state, status: 'ended', phase: 'ended', phaseEndsAt: null, remainingMs: null, version: state.version + 1 };
}

/** Moves to the following phase, starting at `startAt`; keeps a paused event paused. */
export function stepPhase(state: RoundState, timing: Timing, startAt: number): RoundState {
  const next = following(state, timing);
  if (next.phase === 'ended') return ended(state);
  const base = { ...state, phase: next.phase, round: next.round, version: state.version + 1 };
  return state.status === 'paused'
    ? { ...base, phaseEndsAt: null, remainingMs: next.durationMs }
    : { ...base, status: 'running', phaseEndsAt: startAt + next.durationMs, remainingMs: null };
}

/**
 * The server's advance of a due phase: one phase at a time, never skipping one. On time
 * (≤ ON_TIME_MS late) the next phase keeps the schedule; after an outage it still happens:
 * more than CATCH_UP_LIMIT_MS late, it gets its whole length from now; in between it keeps
 * the schedule but lasts at least min(its length, SHORTEST_LATE_PHASE_MS) from now.
 * A zero-length phase (a changeover of 0 s) is passed straight through, as configured.
 * Returns the same object when nothing was due.
 */
export function advanceDue(state: RoundState, timing: Timing, now: number): RoundState {
  let current = state;
  while (current.status === 'running' && current.phaseEndsAt !== null && current.phaseEndsAt <= now) {
    const deadline = current.phaseEndsAt;
    const late = now - deadline;
    const { durationMs } = following(current, timing);
    current = stepPhase(current, timing, late > CATCH_UP_LIMIT_MS ? now : deadline);
    if (current.phaseEndsAt === null) break;
    if (late > ON_TIME_MS) current = { ...current, phaseEndsAt: Math.max(current.phaseEndsAt, now + Math.min(durationMs, SHORTEST_LATE_PHASE_MS)) };
    if (durationMs > 0) break;
  }
  return current;
}

/**
 * Where the schedule says the event is by `now`, stepping through every deadline passed:
 * what a screen that missed the server's messages shows meanwhile (the server's own
 * advance, above, then corrects it).
 */
export function followSchedule(state: RoundState, timing: Timing, now: number): RoundState {
  let current = state;
  while (current.status === 'running' && current.phaseEndsAt !== null && current.phaseEndsAt <= now) {
    current = stepPhase(current, timing, current.phaseEndsAt);
  }
  return current;
}

export function remainingMsAt(state: RoundState, now: number): number | null {
  if (state.status === 'paused') return state.remainingMs;
  if (state.status === 'running' && state.phaseEndsAt !== null) return Math.max(0, state.phaseEndsAt - now);
  return null;
}

const refuse = (message: string): ActionResult => ({ ok: false, status: 409, message });

/** Applies an organizer action at `now`. Refusals are 409s with a sentence saying why. */
export function applyAction(
  state: RoundState,
  timing: Timing,
  action: OrganizerActionName,
  now: number,
  seconds = DEFAULT_EXTEND_SECONDS,
): ActionResult {
  // Settle anything already due first, so "pause" pauses the phase people actually see.
  const current = advanceDue(state, timing, now);
  if (current.status === 'ended') return refuse('The event has ended; create a new event to run it again.');
  switch (action) {
    case 'start':
      if (current.status !== 'lobby') return refuse('The event is already running.');
      return { ok: true, state: stepPhase(current, timing, now) };
    case 'pause':
      if (current.status !== 'running') return refuse(current.status === 'paused' ? 'The event is already paused.' : 'Start the event before pausing it.');
      return {
        ok: true,
        state: { ...current, status: 'paused', remainingMs: remainingMsAt(current, now), phaseEndsAt: null, version: current.version + 1 },
      };
    case 'resume':
      if (current.status !== 'paused') return refuse('The event is not paused.');
      return {
        ok: true,
        state: { ...current, status: 'running', phaseEndsAt: now + (current.remainingMs ?? 0), remainingMs: null, version: current.version + 1 },
      };
    case 'extend': {
      if (current.status === 'lobby') return refuse('Start the event before extending a phase.');
      const ms = seconds * 1000;
      return {
        ok: true,
        state:
          current.status === 'paused'
            ? { ...current, remainingMs: (current.remainingMs ?? 0) + ms, version: current.version + 1 }
            : { ...current, phaseEndsAt: (current.phaseEndsAt ?? now) + ms, version: current.version + 1 },
      };
    }
    case 'skip':
      if (current.status === 'lobby') return refuse('Start the event before skipping a phase.');
      return { ok: true, state: stepPhase(current, timing, now) };
    case 'end':
      return { ok: true, state: ended(current) };
  }
}

/** The round whose seating people should be sitting in or walking to, if a plan is needed now. */
export function roundNeedingPlan(state: RoundState, rounds: number): number | null {
  if (state.phase === 'talk') return state.round;
  if (state.phase === 'changeover' && state.round < rounds) return state.round + 1;
  return null;
}

/** The next round that has not started yet (the one people move into next), or null when none is left. */
export function roundAhead(state: RoundState, rounds: number): number | null {
  if (state.phase === 'lobby') return 1;
  if ((state.phase === 'talk' || state.phase === 'changeover') && state.round < rounds) return state.round + 1;
  return null;
}
