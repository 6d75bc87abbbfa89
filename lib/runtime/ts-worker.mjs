// A worker thread's entry when kubesnap runs from its TypeScript sources: registers tsx, then loads the worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
