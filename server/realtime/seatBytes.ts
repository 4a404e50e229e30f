// Every seat of a plan as the UTF-8 bytes of its JSON, ready to go into thousands of
// seat:changed packets at once (packets.ts). Written straight into one buffer outside the
// JS heap: building thousands of seat texts as strings first, then encoding them, cost
// about three times as long at 5,000 phones and left megabytes of young strings for the
// garbage collector in the middle of the fan-out (measured by bench:fanout).
import type { ListVersions, Participant, SeatingPlan } from '../../shared/domain';

/** Bytes appended to one growing buffer; a piece is read back once everything is written. */
class ByteWriter {
  private buffer: Buffer;
  at = 0;

  constructor(expected: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(1024, expected));
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }

  // TypedArray#set, not Buffer#copy: for pieces this small the call itself is the cost.
  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Everything written. */
  get written(): Buffer {
    return this.buffer.subarray(0, this.at);
  }
}

// A person as others see them, up to their shared topics, and how their entry ends for a
// mentor (who reads the mentee's goal): the same at every table they sit at, every round.
const heads = new WeakMap<Participant, Buffer>();
const endsForMentor = new WeakMap<Participant, Buffer>();
const END = Buffer.from('}');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');
const NONE_SHARED = Buffer.from('[]');
const OPEN_LIST = Buffer.from('[');
const CLOSE_LIST = Buffer.from(']');
const NULL = Buffer.from('null');

function headOf(p: Participant): Buffer {
  let head = heads.get(p);
  if (!head) {
    head = Buffer.from(`{"id":${JSON.stringify(p.id)},"name":${JSON.stringify(p.name)},"role":${JSON.stringify(p.role)},"topics":${JSON.stringify(p.topics)},"sharedTopics":`);
    heads.set(p, head);
  }
  return head;
}

function endForMentorOf(p: Participant): Buffer {
  let end = endsForMentor.get(p);
  if (!end) {
    end = p.goal ? Buffer.from(`,"goal":${JSON.stringify(p.goal)}}`) : END;
    endsForMentor.set(p, end);
  }
  return end;
}

// A round's seats go out at its changeover (as everyone's next seat) and again when it
// starts, and a round seated ahead has its seats written before it is even committed:
// with the same seating and the same people they are the same bytes. Both are named by
// version counters (Store.listPeopleAndPlans): the seating by the versions it was made
// from (SeatingPlan.madeFrom, the same on every instance), the people by theirs.
const written = new Map<string, PlanSeats>();
/** Plans whose seats are kept: the current and the next round of a few events. */
const KEPT_SEATS = 4;

/** Where a plan's seats were read: the event, and the versions of its people and plans then. */
export interface SeatsSource {
  eventId: string;
  versions: ListVersions;
}

function seatsKey(plan: SeatingPlan, { eventId, versions }: SeatsSource): string {
  // A plan from before plans were stamped is named by the plans it was read with.
  const seating = plan.madeFrom ? `made from ${plan.madeFrom.participants} ${plan.madeFrom.plans}` : `read at ${versions.plans}`;
  return `${eventId} ${plan.round} ${seating} people ${versions.participants}`;
}

function writtenBefore(key: string): PlanSeats | undefined {
  const seats = written.get(key);
  if (seats) {
    // Used lately: to the back of the queue.
    written.delete(key);
    written.set(key, seats);
  }
  return seats;
}

/**
 * Every seat of a plan, one after another in `bytes`; person i of `index` has theirs at
 * `bytes[starts[i], ends[i])`. Offsets rather than a buffer per person: at a big event
 * that is thousands of objects fewer for the garbage collector during the fan-out.
 */
export interface PlanSeats {
  readonly bytes: Buffer;
  readonly index: ReadonlyMap<string, number>;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Where `null` lies in `bytes`: the seat of someone sitting out. */
  readonly none: number;
}

/** Where a person's seat lies in `seats` (`none` for someone without one). */
export function seatIndexOf(seats: PlanSeats, personId: string): number {
  return seats.index.get(personId) ?? seats.none;
}

/** One person's seat as bytes, `null` for someone without one. */
export function seatBytesFor(seats: PlanSeats, personId: string): Buffer {
  const i = seatIndexOf(seats, personId);
  return seats.bytes.subarray(seats.starts[i], seats.ends[i]);
}

/**
 * Each seated person's seat in `plan`: exactly the bytes of
 * `JSON.stringify(seatOf(plan, id, people))` (a mentor with nobody at the table has none).
 * With a `source` the seats are kept, and found again, by the versions that name them.
 */
export function seatBytesOf(plan: SeatingPlan | null | undefined, people: ReadonlyMap<string, Participant>, source?: SeatsSource): PlanSeats {
  const key = plan && source ? seatsKey(plan, source) : undefined;
  return (key && writtenBefore(key)) || writeSeats(plan, people, key);
}

// Kept apart from the lookup above: at a change the seats were usually written ahead, and
// calling this long function then (only to find them) made V8 compile it in the middle of
// the fan-out, CPU taken from the phones of that change (seen with --trace-opt under
// bench:fanout).
function writeSeats(plan: SeatingPlan | null | undefined, people: ReadonlyMap<string, Participant>, key: string | undefined): PlanSeats {
  const out = new ByteWriter(people.size * 700);
  const index = new Map<string, number>();
  const starts: number[] = [];
  const ends: number[] = [];
  // Each topic's JSON as bytes: a room has a handful of topics, shared at thousands of tables.
  const topicBytes = new Map<string, Buffer>();
  const topicOf = (t: string) => {
    let bytes = topicBytes.get(t);
    if (!bytes) topicBytes.set(t, (bytes = Buffer.from(JSON.stringify(t))));
    return bytes;
  };
  for (const table of plan?.tables ?? []) {
    if (table.menteeIds.length === 0) continue;
    const round = plan!.round;
    const seated = [table.mentorId, ...table.menteeIds];
    const members: Participant[] = [];
    const heads: Buffer[] = [];
    for (const id of seated) {
      const p = people.get(id);
      if (p) {
        members.push(p);
        heads.push(headOf(p));
      }
    }
    const opening = Buffer.from(`{"round":${JSON.stringify(round)},"table":${JSON.stringify(table.table)},"with":[`);
    for (const viewerId of new Set(seated)) {
      const start = out.at;
      const viewerIsMentor = viewerId === table.mentorId;
      const mine = people.get(viewerId)?.topics ?? [];
      out.bytes(opening);
      let first = true;
      for (let k = 0; k < members.length; k++) {
        const p = members[k]!;
        if (p.id === viewerId) continue;
        if (!first) out.bytes(COMMA);
        first = false;
        out.bytes(heads[k]!);
        // The shared topics, in the order of p's own: ["a","b"], or [].
        let shared = 0;
        for (const t of p.topics) {
          if (!mine.includes(t)) continue;
          out.bytes(shared++ === 0 ? OPEN_LIST : COMMA);
          out.bytes(topicOf(t));
        }
        out.bytes(shared === 0 ? NONE_SHARED : CLOSE_LIST);
        out.bytes(viewerIsMentor ? endForMentorOf(p) : END);
      }
      out.bytes(CLOSE);
      index.set(viewerId, starts.length);
      starts.push(start);
      ends.push(out.at);
    }
  }
  starts.push(out.at);
  out.bytes(NULL);
  ends.push(out.at);
  const seats: PlanSeats = { bytes: out.written, index, starts: Int32Array.from(starts), ends: Int32Array.from(ends), none: starts.length - 1 };
  if (key) {
    written.set(key, seats);
    for (const oldest of written.keys()) {
      if (written.size <= KEPT_SEATS) break;
      written.delete(oldest);
    }
  }
  return seats;
}
