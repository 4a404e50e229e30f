// The planner thread (see plannerThread.ts): seats one round per message, the same way
// the main thread would.
import { parentPort } from 'node:worker_threads';
import type { EventRecord, Participant, SeatingPlan } from '../../shared/domain';
import { planFor } from './roundPlanning';

export interface PlanJob {
  id: number;
  event: Pick<EventRecord, 'seatsPerTable' | 'seed'>;
  round: number;
  participants: readonly Participant[];
  plans: readonly SeatingPlan[];
}

export type PlanReply = { id: number; plan: SeatingPlan } | { id: number; error: string };

parentPort?.on('message', (job: PlanJob) => {
  let reply: PlanReply;
  try {
    reply = { id: job.id, plan: planFor(job.event, job.round, job.participants, job.plans) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
