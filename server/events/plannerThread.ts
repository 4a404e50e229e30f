// Seating a round is the heaviest thing Tablehop does: for thousands of people it takes a
// noticeable part of a second (bench:match). On the main thread it would stop every socket for
// that long at the busiest moment, a changeover, and leave its garbage to be collected in
// the middle of the fan-out that follows (measured by bench:fanout). So rounds are planned
// on a thread of their own, one at a time; should that thread fail, on the main thread.
import { Worker } from 'node:worker_threads';
import type { EventRecord, Participant, SeatingPlan } from '../../shared/domain';
import type { PlanJob, PlanReply } from './planWorker';
import { planFor } from './roundPlanning';

/** After this many failures in a row the thread is not started again. */
const GIVE_UP_AFTER = 3;

/** Rounds planned so far on the thread and, because it failed, on the main thread. */
export const planned = { onThread: 0, onMainThread: 0 };

let thread: Worker | null = null;
let failures = 0;
let nextJob = 0;
const waiting = new Map<number, { resolve(plan: SeatingPlan): void; reject(error: Error): void }>();

function failAll(error: Error): void {
  for (const job of waiting.values()) job.reject(error);
  waiting.clear();
}

function plannerThread(): Worker | null {
  if (thread || failures >= GIVE_UP_AFTER) return thread;
  // Its first file sets the thread up (tsx included); flags the process was started with
  // (a profiler, another --import) stay with the main thread: bench:fanout's memory probe,
  // a TypeScript file, made every start of the thread fail before this.
  const worker = new Worker(new URL('./planWorker.boot.mjs', import.meta.url), { workerData: { entry: new URL('./planWorker.ts', import.meta.url).href }, execArgv: [] });
  worker.on('message', (reply: PlanReply) => {
    const job = waiting.get(reply.id);
    waiting.delete(reply.id);
    failures = 0;
    if (waiting.size === 0) worker.unref();
    if ('error' in reply) job?.reject(new Error(reply.error));
    else job?.resolve(reply.plan);
  });
  const lost = (error: Error) => {
    if (thread !== worker) return;
    thread = null;
    failures++;
    failAll(error);
  };
  worker.on('error', lost);
  worker.on('exit', (code) => lost(new Error(`the planner thread stopped (exit code ${code})`)));
  // Idle, it never keeps a process alive on its own; a plan being made does, since someone
  // awaits it. (Unref after the listeners: adding one for 'message' refs the worker again.)
  worker.unref();
  thread = worker;
  return worker;
}

/** Starts the planner thread ahead of the first round, so that round does not wait for it. */
export function warmPlanner(): void {
  plannerThread();
}

/** `planFor` on the planner thread: the same plan, without holding up the main thread. */
export async function planInThread(event: Pick<EventRecord, 'seatsPerTable' | 'seed'>, round: number, participants: readonly Participant[], plans: readonly SeatingPlan[]): Promise<SeatingPlan> {
  const worker = plannerThread();
  if (worker) {
    try {
      const plan = await new Promise<SeatingPlan>((resolve, reject) => {
        const id = nextJob++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        const job: PlanJob = { id, event: { seatsPerTable: event.seatsPerTable, seed: event.seed }, round, participants, plans };
        worker.postMessage(job);
      });
      planned.onThread++;
      return plan;
    } catch {
      // The thread failed (or the planner threw there): plan here, which gives the same plan or the same error.
    }
  }
  planned.onMainThread++;
  return planFor(event, round, participants, plans);
}
