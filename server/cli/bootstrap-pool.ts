/**
 * The bootstrap of `arena ratings` spread over worker threads (ratings-worker.ts) and this one:
 * rounds go out in small batches to whoever is free, so a busy core slows only its share. Round r
 * draws from its own stream of the seed, so the numbers are the same whatever the number of
 * workers, the batches or their order. Workers are started early (while the file is read) and only
 * used when the bootstrap is big enough to repay their start-up.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type BootstrapJob, type BootstrapResult, bootstrapResult, runBootstrapRounds } from '../ratings/bootstrap.ts';
import { startWorker, workerEntry } from '../transport/worker-thread.ts';
import type { RatingsWorkerRequest, RatingsWorkerResponse, ReadRequest, ReadShare } from './ratings-worker.ts';

/** Rounds per batch: small enough to balance two busy cores, big enough that messages cost nothing. */
const BATCH_ROUNDS = 4;

/**
 * Estimated milliseconds of one thread's bootstrap: per round, a binomial per cell and about
 * three Newton steps (m² pairs, an m³/6 Cholesky). Measured on the benchmark machine
 * (15k cells, 100 models: ~3.5 ms a round).
 */
export function estimatedBootstrapMs(job: BootstrapJob, rounds: number): number {
  const m = job.models.length;
  const perRoundNs = job.cells.weight.length * 130 + 3 * (m * m * 25 + (m * m * m) / 6);
  return (rounds * perRoundNs) / 1e6;
}

/** Worker start-up (module load included) is about 30–50 ms; below this, this thread alone is faster. */
export const WORKERS_PAY_OFF_MS = 120;

export class BootstrapPool {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /**
   * A pool of `threads` threads (default: one per core, os.availableParallelism()): this one, which
   * takes batches too, and `threads − 1` workers, starting now. A worker more would only compete
   * with this thread for a core.
   */
  static start(threads = availableParallelism()): BootstrapPool {
    return new BootstrapPool(Array.from({ length: Math.max(1, threads - 1) }, () => startWorker(workerEntry(import.meta.url, 'ratings-worker'))));
  }

  /** A pool without workers: everything on this thread. */
  static none(): BootstrapPool {
    return new BootstrapPool([]);
  }

  /** Worker threads (this thread not counted). */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * All rounds of `job`. `meanwhile` runs on this thread once the workers have their first batches
   * (online Elo, say); then this thread takes batches too.
   */
  async run(job: BootstrapJob, rounds: number, meanwhile: () => void = () => {}): Promise<BootstrapResult> {
    const m = job.models.length;
    const samples = new Float64Array(rounds * m);
    let nonConverged = 0;
    let next = 0;
    const take = (): [number, number] | null => {
      if (next >= rounds) return null;
      const from = next;
      next = Math.min(rounds, next + BATCH_ROUNDS);
      return [from, next];
    };
    const store = (from: number, part: Float64Array, failed: number) => {
      samples.set(part, from * m);
      nonConverged += failed;
    };
    const workersDone = this.#workers.map((worker) => this.#feed(worker, job, take, store));
    meanwhile();
    for (let batch = take(); batch; batch = take()) {
      const result = runBootstrapRounds(job, batch[0], batch[1]);
      store(batch[0], result.samples, result.nonConverged);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let the workers' answers in
    }
    await Promise.all(workersDone);
    return bootstrapResult(job, samples, nonConverged);
  }

  /** Keeps two batches queued at the worker, so it never waits for this thread to hand out the next. */
  #feed(
    worker: Worker,
    job: BootstrapJob,
    take: () => [number, number] | null,
    store: (from: number, part: Float64Array, failed: number) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let inFlight = 0;
      const finish = (error?: Error) => {
        worker.off('message', onMessage);
        worker.off('error', finish);
        worker.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const send = () => {
        const batch = take();
        if (!batch) {
          if (inFlight === 0) finish();
          return;
        }
        inFlight++;
        worker.postMessage({ kind: 'rounds', from: batch[0], to: batch[1] } satisfies RatingsWorkerRequest);
      };
      const onMessage = (response: RatingsWorkerResponse) => {
        if (response.kind !== 'rounds') return;
        inFlight--;
        store(response.from, response.samples, response.nonConverged);
        send();
      };
      const onExit = (code: number) => finish(new Error(`bootstrap worker exited with code ${code}`));
      worker.on('message', onMessage);
      worker.on('error', finish);
      worker.on('exit', onExit);
      worker.postMessage({ kind: 'job', job } satisfies RatingsWorkerRequest);
      send();
      send();
    });
  }

  /** The first worker reads a share of a battle file (the file's I/O happens in that thread). */
  readShare(request: Omit<ReadRequest, 'kind'>): Promise<ReadShare> {
    const worker = this.#workers[0]!;
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', reject);
        worker.off('exit', onExit);
      };
      const onMessage = (response: RatingsWorkerResponse) => {
        if (response.kind === 'rounds') return;
        done();
        if (response.kind === 'read') resolve(response);
        else reject(new Error(response.message));
      };
      const onExit = (code: number) => {
        done();
        reject(new Error(`ratings worker exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.on('exit', onExit);
      worker.postMessage({ kind: 'read', ...request } satisfies RatingsWorkerRequest);
    });
  }

  /** Stops the workers (they hold the process open otherwise). */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
