/**
 * The live fit's bootstrap rounds on two threads, synchronously: the thread that fits (the
 * standings worker, or a benchmark) posts the job to a helper thread and both take rounds from one
 * shared counter (Atomics), writing each round's ratings into shared memory. Round r draws from
 * stream r + 1 of the seed (server/ratings/bootstrap.ts), so the numbers are those of one thread,
 * whoever ran which round. The fitting thread never depends on the helper: rounds it has not
 * finished after a short wait (a busy core, a helper still starting or gone) are run again here,
 * which writes the same numbers.
 */
import type { Worker } from 'node:worker_threads';
import { type BootstrapJob, type RoundsRunner, runBootstrapRound, runBootstrapRounds } from '../ratings/bootstrap.ts';

/** What the helper is sent; the typed arrays are views of SharedArrayBuffers (shared, not copied). */
export interface RoundsMessage {
  kind: 'rounds';
  job: BootstrapJob;
  rounds: number;
  /** [next round to take, rounds finished]. */
  control: Int32Array;
  /** Per round: 0 not finished, 1 converged, 2 did not converge. */
  status: Int32Array;
  /** rounds × models, row-major. */
  samples: Float64Array;
}

const NEXT = 0;
const FINISHED = 1;
/** How long the fitting thread waits for a round the helper took before running it itself. */
const HELPER_WAIT_MS = 200;
/**
 * Cells × rounds below which a job runs on the fitting thread alone: about 15 ms of rounds there
 * (a round costs some tens of nanoseconds per cell), less than handing half of them over is worth.
 * An arena of a few models never starts the helper, nor pays for its thread (about 30 MB).
 */
export const MIN_SHARED_WORK = 500_000;

/** Takes rounds from the shared counter until none is left (both threads run this). */
export function takeRounds(message: Omit<RoundsMessage, 'kind'>): void {
  const { job, rounds, control, status, samples } = message;
  const m = job.models.length;
  for (;;) {
    const round = Atomics.add(control, NEXT, 1);
    if (round >= rounds) return;
    const converged = runBootstrapRound(job, round, samples.subarray(round * m, (round + 1) * m));
    Atomics.store(status, round, converged ? 1 : 2);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}

function shared<T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(bytes, 8)));
}

/** A RoundsRunner over this thread and one helper, started by `startHelper` on the first job big enough to share. */
export class ParallelRounds {
  readonly #startHelper: () => Worker;
  readonly #minSharedWork: number;
  #helper: Worker | null = null;

  constructor(startHelper: () => Worker, opts: { minSharedWork?: number } = {}) {
    this.#startHelper = startHelper;
    this.#minSharedWork = opts.minSharedWork ?? MIN_SHARED_WORK;
  }

  readonly run: RoundsRunner = (job, rounds) => {
    if (job.cells.weight.length * rounds < this.#minSharedWork) return runBootstrapRounds(job, 0, rounds);
    const m = job.models.length;
    const message: RoundsMessage = {
      kind: 'rounds',
      job,
      rounds,
      control: shared((b) => new Int32Array(b), 8),
      status: shared((b) => new Int32Array(b), 4 * rounds),
      samples: shared((b) => new Float64Array(b, 0, rounds * m), 8 * rounds * m),
    };
    this.#post(message);
    takeRounds(message);
    const { control, status } = message;
    const deadline = performance.now() + HELPER_WAIT_MS;
    for (let finished = Atomics.load(control, FINISHED); finished < rounds; finished = Atomics.load(control, FINISHED)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(control, FINISHED, finished, left);
    }
    let nonConverged = 0;
    for (let round = 0; round < rounds; round++) {
      let state = Atomics.load(status, round);
      if (state === 0) state = runBootstrapRound(job, round, message.samples.subarray(round * m, (round + 1) * m)) ? 1 : 2;
      if (state === 2) nonConverged++;
    }
    return { samples: Float64Array.from(message.samples), nonConverged };
  };

  /** Starts the helper now rather than with the first run (it takes a moment to load). */
  start(): void {
    this.#ensureHelper();
  }

  async close(): Promise<void> {
    const helper = this.#helper;
    this.#helper = null;
    if (helper) await helper.terminate();
  }

  #ensureHelper(): Worker {
    if (this.#helper) return this.#helper;
    const helper = this.#startHelper();
    helper.unref();
    // A helper that fails is started again for the next fit; the rounds it held are run here.
    const drop = () => {
      if (this.#helper === helper) this.#helper = null;
    };
    helper.on('error', drop);
    helper.on('exit', drop);
    this.#helper = helper;
    return helper;
  }

  #post(message: RoundsMessage): void {
    try {
      this.#ensureHelper().postMessage(message);
    } catch {
      this.#helper = null;
    }
  }
}
