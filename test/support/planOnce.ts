// Run as its own process by test/unit/plannerThread.test.ts: plans one round through the
// planner thread and prints where it was planned.
import { planInThread, planned } from '../../server/events/plannerThread';
import type { EventRecord } from '../../shared/domain';
import { person } from './people';

const people = [person('m1', 'mentor', ['ai']), person('e1', 'mentee', ['ai']), person('e2', 'mentee', ['data'])].map((p, i) => (i === 0 ? { ...p, table: 1 } : p));
const plan = await planInThread({ id: 'e', seatsPerTable: 2, seed: 1 } as EventRecord, 1, people, []);
console.log(JSON.stringify({ planned, seated: plan.tables.flatMap((t) => t.menteeIds).length }));
