// The phone's store (client/src/lib/me.svelte.ts) without a server: which messages it keeps
// (a message older than the view shown is dropped, a seat left out stays), and the rating
// outbox (shown at once, kept across a reload, sent when the socket is back, one at a time,
// dropped when the server refuses for good, kept when it is busy). The socket is a fake
// that records what is sent and answers as the test says.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/protocol';
import type { MeView, Seat } from '../../shared/domain';
import type { RatingPayload } from '../../client/src/lib/socket';

/** A stand-in for the phone's Socket.IO socket: handlers by event, and rating answers on demand. */
class FakeSocket {
  connected = false;
  readonly sent: RatingPayload[] = [];
  private handlers = new Map<string, ((payload?: any) => void)[]>();
  private answers: ((ack: Ack<unknown>) => void)[] = [];

  on(event: string, handler: (payload?: any) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  /** What the server would do: a message arriving, or the connection coming up. */
  receive(event: string, payload?: unknown): void {
    if (event === 'connect') this.connected = true;
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }

  timeout() {
    return {
      emitWithAck: (event: string, rating: RatingPayload) => {
        expect(event).toBe('rating:submit');
        this.sent.push(rating);
        return new Promise<Ack<unknown>>((resolve) => this.answers.push(resolve));
      },
    };
  }

  /** Answers the oldest rating still waiting for its ack. */
  async answer(ack: Ack<unknown>): Promise<void> {
    const next = this.answers.shift();
    if (!next) throw new Error('no rating is waiting for an answer');
    next(ack);
    await settle();
  }
}

let socket: FakeSocket;

vi.mock('../../client/src/lib/connection.svelte', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../client/src/lib/connection.svelte')>();
  return {
    ...actual,
    LiveConnection: class {
      readonly socket = socket;
      open() {}
      close() {}
      markGone() {}
    },
  };
});

const { MeStore } = await import('../../client/src/lib/me.svelte');

/** Lets pending promise callbacks (the outbox's awaits) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function seat(round: number, table: number): Seat {
  return { round, table, with: [] } as unknown as Seat;
}

function view(version: number, patch: Partial<MeView> = {}): MeView {
  return {
    participant: { id: 'p1', name: 'Ada', role: 'mentee', present: true },
    event: { id: 'e1', name: 'Night', version, phase: 'talk', round: 1, serverNow: Date.now() } as MeView['event'],
    seat: seat(1, 1),
    nextSeat: seat(2, 2),
    met: [],
    ratingsGiven: [],
    followUp: null,
    ...patch,
  };
}

const rating = (targetId: string, score = 4): RatingPayload => ({ round: 1, targetId, score });

beforeEach(() => {
  socket = new FakeSocket();
  const saved = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => saved.get(key) ?? null,
    setItem: (key: string, value: string) => void saved.set(key, value),
    removeItem: (key: string) => void saved.delete(key),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('MeStore: merging what the server says by version', () => {
  it('takes the snapshot on connect whatever its version, then drops messages older than the view', () => {
    const store = new MeStore('token', 'CODE', () => {});
    socket.receive('connect');
    socket.receive('me:snapshot', view(5));
    expect(store.view?.event.version).toBe(5);

    socket.receive('me:snapshot', view(4, { seat: seat(1, 9) }));
    socket.receive('phase:changed', { ...view(3).event, phase: 'changeover' });
    socket.receive('seat:changed', { event: view(4).event, seat: seat(1, 7) });
    expect(store.view?.event.version).toBe(5);
    expect(store.view?.event.phase).toBe('talk');
    expect(store.view?.seat?.table).toBe(1);

    // After a reconnect the first snapshot is taken even if older (a server restarted without its counter).
    socket.receive('connect');
    socket.receive('me:snapshot', view(2, { seat: seat(1, 3) }));
    expect(store.view?.event.version).toBe(2);
    expect(store.view?.seat?.table).toBe(3);
  });

  it('applies a seat message at or after the view: seats it carries replace, seats it leaves out stay', () => {
    const store = new MeStore('token', 'CODE', () => {});
    socket.receive('connect');
    socket.receive('me:snapshot', view(5));
    socket.receive('seat:changed', { event: { ...view(6).event, phase: 'changeover' }, nextSeat: seat(2, 4) });
    expect(store.view).toMatchObject({ seat: { table: 1 }, nextSeat: { table: 4 }, event: { version: 6, phase: 'changeover' } });
    socket.receive('phase:changed', { ...view(7).event, phase: 'talk', round: 2 });
    expect(store.view?.event).toMatchObject({ version: 7, phase: 'talk', round: 2 });
    socket.receive('headcount:changed', { mentors: 3, mentees: 4 });
    expect(store.view?.event.headcount).toEqual({ mentors: 3, mentees: 4 });
  });
});

describe('MeStore: the rating outbox', () => {
  it('shows a rating at once and waits while offline; sends it on connect and marks it saved', async () => {
    const store = new MeStore('token', 'CODE', () => {});
    store.rate(rating('m1', 5));
    expect(store.scoreGiven(1, 'm1')).toBe(5);
    expect(store.delivery(1, 'm1')).toEqual({ status: 'waiting' });
    expect(socket.sent).toEqual([]);

    socket.receive('connect');
    await settle();
    expect(socket.sent).toEqual([rating('m1', 5)]);
    expect(store.delivery(1, 'm1')).toEqual({ status: 'sending' });
    await socket.answer({ ok: true, value: { round: 1, targetId: 'm1' } });
    expect(store.delivery(1, 'm1')).toEqual({ status: 'saved' });
  });

  it('keeps unsent ratings across a reload and sends them one at a time', async () => {
    const before = new MeStore('token', 'CODE', () => {});
    before.rate(rating('m1', 3));
    before.rate(rating('m2', 4));

    socket = new FakeSocket();
    const after = new MeStore('token', 'code', () => {});
    expect(after.ratingMade(1, 'm1')).toEqual(rating('m1', 3));
    expect(after.delivery(1, 'm2')).toEqual({ status: 'waiting' });
    socket.receive('connect');
    await settle();
    expect(socket.sent).toEqual([rating('m1', 3)]);
    await socket.answer({ ok: true, value: {} });
    expect(socket.sent).toEqual([rating('m1', 3), rating('m2', 4)]);
    await socket.answer({ ok: true, value: {} });
    expect([after.delivery(1, 'm1'), after.delivery(1, 'm2')]).toEqual([{ status: 'saved' }, { status: 'saved' }]);

    // Nothing is left to send after another reload.
    socket = new FakeSocket();
    new MeStore('token', 'CODE', () => {});
    socket.receive('connect');
    await settle();
    expect(socket.sent).toEqual([]);
  });

  it('sends the newer rating when one changes while the first is in flight', async () => {
    const store = new MeStore('token', 'CODE', () => {});
    socket.receive('connect');
    store.rate(rating('m1', 2));
    await settle();
    store.rate(rating('m1', 5));
    await socket.answer({ ok: true, value: {} });
    expect(socket.sent).toEqual([rating('m1', 2), rating('m1', 5)]);
    await socket.answer({ ok: true, value: {} });
    expect(store.delivery(1, 'm1')).toEqual({ status: 'saved' });
    expect(store.scoreGiven(1, 'm1')).toBe(5);
  });

  it('drops a rating the server refuses for good and says why; keeps one it is too busy for', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const store = new MeStore('token', 'CODE', () => {});
    socket.receive('connect');
    store.rate(rating('stranger'));
    await settle();
    await socket.answer({ ok: false, status: 403, message: 'You did not sit with this person.' });
    expect(store.delivery(1, 'stranger')).toEqual({ status: 'failed', message: 'You did not sit with this person.' });

    store.rate(rating('m1'));
    await settle();
    await socket.answer({ ok: false, status: 429, message: 'Too many ratings.', retryAfterSeconds: 7 });
    expect(store.delivery(1, 'm1')).toEqual({ status: 'waiting' });
    expect(socket.sent.map((r) => r.targetId)).toEqual(['stranger', 'm1']);
    await vi.advanceTimersByTimeAsync(7_000);
    expect(socket.sent.map((r) => r.targetId)).toEqual(['stranger', 'm1', 'm1']);
    await socket.answer({ ok: true, value: {} });
    expect(store.delivery(1, 'm1')).toEqual({ status: 'saved' });
    store.close();
  });
});
