/**
 * Worker thread of `arena ratings` (bootstrap-pool.ts starts it): reads its share of a battle file
 * into columns, and runs the bootstrap rounds it is sent. Each round's numbers depend only on the
 * job and the round number.
 */
import { parentPort } from 'node:worker_threads';
import { type LineFailure, readRatingRange } from '../interop/battle-scan.ts';
import { type BootstrapJob, runBootstrapRounds } from '../ratings/bootstrap.ts';
import { BattleColumnsBuilder } from '../ratings/counts.ts';
import { type BattleFilterOptions, fieldsUsedBy, makeBattlePredicate } from '../ratings/filters.ts';

export interface ReadRequest {
  kind: 'read';
  path: string;
  start: number;
  end: number;
  filters: BattleFilterOptions;
  skipInvalid: boolean;
}

/** The battles of one share that passed the filters, in file order. */
export interface ReadShare {
  kind: 'read';
  models: string[];
  modelA: Int32Array;
  modelB: Int32Array;
  outcome: Uint8Array;
  records: number;
  lines: number;
  failures: LineFailure[];
}

export type RatingsWorkerRequest = ReadRequest | { kind: 'job'; job: BootstrapJob } | { kind: 'rounds'; from: number; to: number };
export type RatingsWorkerResponse =
  | ReadShare
  | { kind: 'rounds'; from: number; to: number; samples: Float64Array; nonConverged: number }
  | { kind: 'error'; message: string };

async function readShare(request: ReadRequest): Promise<ReadShare> {
  const keep = makeBattlePredicate(request.filters);
  const builder = new BattleColumnsBuilder();
  const read = await readRatingRange(
    request.path,
    { start: request.start, end: request.end },
    (battle) => {
      if (keep(battle)) builder.add(battle.model_a, battle.model_b, battle.winner);
    },
    { skipInvalid: request.skipInvalid, fields: fieldsUsedBy(request.filters) },
  );
  const columns = builder.build();
  return { kind: 'read', models: [...columns.models], modelA: columns.modelA, modelB: columns.modelB, outcome: columns.outcome, ...read };
}

let job: BootstrapJob | null = null;
parentPort!.on('message', (request: RatingsWorkerRequest) => {
  if (request.kind === 'job') {
    job = request.job;
  } else if (request.kind === 'read') {
    readShare(request).then(
      (share) => parentPort!.postMessage(share, [share.modelA.buffer as ArrayBuffer, share.modelB.buffer as ArrayBuffer, share.outcome.buffer as ArrayBuffer]),
      (error: Error) => parentPort!.postMessage({ kind: 'error', message: error.message } satisfies RatingsWorkerResponse),
    );
  } else {
    const { samples, nonConverged } = runBootstrapRounds(job!, request.from, request.to);
    const response: RatingsWorkerResponse = { kind: 'rounds', from: request.from, to: request.to, samples, nonConverged };
    parentPort!.postMessage(response, [samples.buffer as ArrayBuffer]);
  }
});
