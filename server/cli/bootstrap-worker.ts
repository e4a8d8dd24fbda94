/**
 * Worker thread of `arena ratings`: runs the bootstrap rounds it is sent (bootstrap-pool.ts) and
 * sends back their ratings. Each round's numbers depend only on the job and the round number.
 */
import { parentPort } from 'node:worker_threads';
import { type BootstrapJob, runBootstrapRounds } from '../ratings/bootstrap.ts';

export type BootstrapWorkerRequest = { kind: 'job'; job: BootstrapJob } | { kind: 'rounds'; from: number; to: number };
export interface BootstrapWorkerResponse {
  from: number;
  to: number;
  samples: Float64Array;
  nonConverged: number;
}

let job: BootstrapJob | null = null;
parentPort!.on('message', (request: BootstrapWorkerRequest) => {
  if (request.kind === 'job') {
    job = request.job;
    return;
  }
  const { samples, nonConverged } = runBootstrapRounds(job!, request.from, request.to);
  const response: BootstrapWorkerResponse = { from: request.from, to: request.to, samples, nonConverged };
  parentPort!.postMessage(response, [samples.buffer as ArrayBuffer]);
});
