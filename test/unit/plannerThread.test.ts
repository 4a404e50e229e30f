// Rounds are planned on a thread of their own (server/events/plannerThread.ts): it must
// seat people exactly as planning on the main thread would, history and moves included;
// the plan cache (server/events/planCache.ts) makes each seating once per version of the lists.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { EventRecord, Participant, SeatingPlan } from '../../shared/domain';
import { PlanCache } from '../../server/events/planCache';
import { planInThread, planned } from '../../server/events/plannerThread';
import { planFor } from '../../server/events/roundPlanning';
import { mulberry32 } from '../support/random';

const event = { id: 'e1', seatsPerTable: 3, seed: 42 } as EventRecord;

function room(mentors: number, mentees: number): Participant[] {
  const random = mulberry32(7);
  const topics = ['ai', 'design', 'sales', 'data', 'ops', 'hiring'];
  const pick = () => topics.filter(() => random() < 0.4);
  return [
    ...Array.from({ length: mentors }, (_, i): Participant => ({ id: `m${i}`, name: `Mentor ${i}`, role: 'mentor', topics: pick(), table: i + 1, joinedAt: 0, joinedRound: 0 })),
    ...Array.from({ length: mentees }, (_, i): Participant => ({ id: `e${i}`, name: `Mentee ${i}`, role: 'mentee', topics: pick(), joinedAt: 0, joinedRound: 0 })),
  ];
}

describe('planInThread', () => {
  it('seats every round exactly as the main thread would, with history, absences and moves', async () => {
    const before = { ...planned };
    const people = room(12, 40);
    people[3] = { ...people[3]!, absent: true };
    const plans: SeatingPlan[] = [];
    for (let round = 1; round <= 4; round++) {
      // An organizer's move for this round: the planner must honour it on either thread.
      const moved = people.map((p) => (p.id === `e${round}` ? { ...p, pin: { round, table: 2 } } : p));
      const here = planFor(event, round, moved, plans);
      const there = await planInThread(event, round, moved, plans);
      expect(there).toEqual(here);
      expect(there.tables.find((t) => t.table === 2)?.menteeIds).toContain(`e${round}`);
      plans.push(there);
    }
    expect(planned.onThread - before.onThread).toBe(4);
    expect(planned.onMainThread).toBe(before.onMainThread);
  });

  it('plans rounds asked for at the same time, each its own', async () => {
    const people = room(5, 14);
    const [one, two] = await Promise.all([planInThread(event, 1, people, []), planInThread({ ...event, seed: 43 }, 1, people, [])]);
    expect(one).toEqual(planFor(event, 1, people, []));
    expect(two).toEqual(planFor({ ...event, seed: 43 }, 1, people, []));
  });

  it('the plan cache answers the same versions with the plan it made from them, and plans again when they move', async () => {
    const cache = new PlanCache();
    const people = room(4, 10);
    const lists = (participants: readonly Participant[], versions: { participants: number; plans: number }) => ({ participants, plans: [] as SeatingPlan[], versions });
    const before = planned.onThread;
    // Asked twice at once (the round seated ahead, then the changeover): one plan.
    const [ahead, atChangeover] = await Promise.all([cache.plan(event, 1, lists(people, { participants: 3, plans: 0 })), cache.plan(event, 1, lists(people, { participants: 3, plans: 0 }))]);
    expect(atChangeover).toBe(ahead);
    // Other objects with the same versions are the same lists: nothing is planned again.
    expect(await cache.plan(event, 1, lists(structuredClone(people), { participants: 3, plans: 0 }))).toBe(ahead);
    expect(planned.onThread - before).toBe(1);
    expect(ahead).toEqual({ ...planFor(event, 1, people, []), madeFrom: { participants: 3, plans: 0 } });
    expect(Object.isFrozen(ahead.tables[0]!.menteeIds)).toBe(true);
    // Someone arrived (the people's version moved), the plans moved, another round or another event: planned afresh.
    const arrived = [...people, { ...people.at(-1)!, id: 'late' }];
    const again = await cache.plan(event, 1, lists(arrived, { participants: 4, plans: 0 }));
    expect(again.tables.some((t) => t.menteeIds.includes('late'))).toBe(true);
    expect(await cache.plan(event, 1, lists(people, { participants: 3, plans: 1 }))).not.toBe(ahead);
    expect(await cache.plan(event, 2, lists(people, { participants: 3, plans: 0 }))).toEqual({ ...planFor(event, 2, people, []), madeFrom: { participants: 3, plans: 0 } });
    expect(await cache.plan({ ...event, id: 'e2', seed: 9 }, 1, lists(people, { participants: 3, plans: 0 }))).toEqual({
      ...planFor({ ...event, seed: 9 }, 1, people, []),
      madeFrom: { participants: 3, plans: 0 },
    });
    expect(planned.onThread - before).toBe(5);
    // A deleted event's plans are forgotten.
    cache.forget(event.id);
    await cache.plan(event, 1, lists(people, { participants: 3, plans: 0 }));
    expect(planned.onThread - before).toBe(6);
  });

  it('plans on the thread in a process started with other --import files, TypeScript ones too', async () => {
    // bench:fanout starts the server like this, with its memory probe; the thread must not inherit them.
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './test/support/people.ts', 'test/support/planOnce.ts'], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ planned: { onThread: 1, onMainThread: 0 }, seated: 2 });
  });
});
