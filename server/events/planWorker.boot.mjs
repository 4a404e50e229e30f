// The planner thread's first file. A worker thread does not get the main thread's tsx
// hooks, so it registers tsx for itself and then loads the planner (planWorker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
