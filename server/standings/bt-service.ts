/**
 * Live Bradley-Terry standings. The fit (aggregate query, Newton, 100 bootstrap rounds) runs in a
 * worker thread, so the event loop only ever posts a message and receives the result. Recomputed
 * after votes, at most once per `minIntervalMs`, and only while someone looks (a socket in the
 * 'leaderboard' room, or an earlier HTTP request); requests are answered from the latest result.
 */
import type { Db } from '../../db/client.ts';
import type { BtLeaderboard, ModelSpeed } from '../../protocol/types.ts';
import type { FitSummary } from '../ratings/pair-information.ts';
import { AppError } from '../transport/errors.ts';
import type { BtFit } from './bt-fit.ts';
import type { BtRequest } from './bt-worker.ts';
import type { IntervalChoice } from './fit-methods.ts';
import { readBtInput } from './ratings-repo.ts';
import type { StandingsWorker } from './worker-client.ts';

export interface BradleyTerryServiceOptions {
  /** The database file the worker reads (':memory:' is read here and sent over). */
  databasePath: string;
  db: Db;
  /** The standings' worker thread (shared with the views). */
  worker: StandingsWorker;
  /** Display name and demo flag of a model id. */
  describe: (id: string) => { name: string; demo: boolean } | undefined;
  /** Speed and cost of a model (from the Elo leaderboard's figures). */
  speedOf: (id: string) => ModelSpeed | undefined;
  broadcast: (leaderboard: BtLeaderboard) => void;
  /** True while a client is subscribed to the live standings. */
  hasAudience: () => boolean;
  minIntervalMs?: number;
  bootstrap?: number;
  seed?: number;
  /** Interval method and prior (config `standings.intervals`); bootstrap without a prior by default. */
  intervals?: IntervalChoice;
  /** Prompt deduplication's top share (config `standings.promptDedup.topShare`); 0 switches it off. */
  dedupTopShare?: number;
  /**
   * The active matchmaking policy draws from the latest fit: keep it fresh after votes even with
   * nobody looking (still at most one fit per `minIntervalMs`).
   */
  keepFresh?: boolean;
  onError?: (error: Error) => void;
  /** Called with the worker's timings after each fit (benchmarks, logs). */
  onFit?: (timing: { readMs: number; fitMs: number; totalMs: number }) => void;
  /** Clock for `computedAt` (scheduling uses real time: timers do). */
  now?: () => number;
}

export const BT_MIN_INTERVAL_MS = 2000;

interface Result {
  fit: BtFit;
  computedAt: Date;
  /** Value of the change counter when the snapshot was requested. */
  mark: number;
}

export class BradleyTerryService {
  readonly #opts: BradleyTerryServiceOptions;
  readonly #minIntervalMs: number;
  #changes = 0;
  #result: Result | null = null;
  #running: Promise<void> | null = null;
  #wake: { fire: () => void; cancel: () => void } | null = null;
  /** End of the latest fit: the next starts `minIntervalMs` later at the earliest, so pushes are that far apart. */
  #lastEnd = -Infinity;
  /** Change counter at the start of the latest fit. */
  #dispatched = 0;
  /** When the standings were last asked for over HTTP; refits stop a while after the last ask. */
  #requestedAt = -Infinity;
  #closed = false;

  constructor(opts: BradleyTerryServiceOptions) {
    this.#opts = opts;
    this.#minIntervalMs = opts.minIntervalMs ?? BT_MIN_INTERVAL_MS;
  }

  #recentlyRequested(): boolean {
    return this.#opts.keepFresh === true || Date.now() - this.#requestedAt < 5 * 60_000;
  }

  /** Public votes were committed: the standings are stale. */
  votesChanged(): void {
    this.#changes++;
    if (this.#recentlyRequested() || this.#opts.hasAudience()) this.#schedule();
  }

  /**
   * The latest fit's ratings and covariance for the active matchmaking policy (synchronous: a
   * battle never waits for a fit); null before the first. Asking schedules a fit when none is
   * there yet or the latest is stale.
   */
  matchmakingFit(): FitSummary | null {
    if (!this.#result || this.#isStale()) this.#schedule(this.#result ? undefined : 0);
    return this.#result?.fit.matchmaking ?? null;
  }

  /** The latest standings; waits only for the very first fit. */
  async latest(): Promise<BtLeaderboard> {
    this.#requestedAt = Date.now();
    if (!this.#result) {
      // Nothing to serve yet: no reason to wait out the interval.
      if (this.#wake) this.#wake.fire();
      else this.#schedule(0);
      while (!this.#result && this.#running) await this.#running;
      if (!this.#result) throw new AppError('unavailable', 'the Bradley-Terry standings could not be computed; see the server log');
    } else if (this.#isStale()) {
      this.#schedule();
    }
    return this.#view(this.#result);
  }

  /** Resolves once no fit is running or scheduled (tests). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.cancel();
  }

  #isStale(): boolean {
    return !this.#result || this.#result.mark < this.#changes;
  }

  #schedule(delay?: number): void {
    if (this.#closed || this.#running) return;
    const wait = delay ?? Math.max(0, this.#lastEnd + this.#minIntervalMs - Date.now());
    // `#running` covers the wait too, so `latest()` and `idle()` can await the fit that follows.
    this.#running = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake.fire(), wait);
      const wake = {
        fire: () => {
          clearTimeout(timer);
          this.#wake = null;
          void this.#run().finally(resolve);
        },
        cancel: () => {
          clearTimeout(timer);
          this.#wake = null;
          resolve();
        },
      };
      this.#wake = wake;
    }).finally(() => {
      this.#running = null;
      // Votes that arrived during the fit; a failed fit is retried on the next vote or request, not in a loop.
      if (!this.#closed && this.#changes > this.#dispatched && (this.#recentlyRequested() || this.#opts.hasAudience())) this.#schedule();
    });
  }

  async #run(): Promise<void> {
    const mark = this.#changes;
    this.#dispatched = mark;
    const started = performance.now();
    try {
      const { databasePath, db } = this.#opts;
      const { intervals, dedupTopShare, keepFresh } = this.#opts;
      const memory = databasePath === ':memory:';
      const source: BtRequest['source'] = memory ? { snapshot: readBtInput(db.$client, { intervals, dedupTopShare }) } : { file: databasePath };
      const response = await this.#opts.worker.bt({
        source,
        bootstrap: this.#opts.bootstrap ?? 100,
        seed: this.#opts.seed ?? 1,
        ...(intervals && { intervals }),
        ...(dedupTopShare !== undefined && { dedupTopShare }),
        matchmaking: keepFresh === true,
      });
      if ('error' in response) throw new Error(`Bradley-Terry worker: ${response.error}`);
      if (this.#closed) return;
      this.#result = { fit: response.fit, computedAt: new Date((this.#opts.now ?? Date.now)()), mark };
      this.#opts.onFit?.({ readMs: response.readMs, fitMs: response.fitMs, totalMs: performance.now() - started });
      if (this.#opts.hasAudience()) this.#opts.broadcast(this.#view(this.#result));
    } catch (error) {
      if (!this.#closed) this.#opts.onError?.(error as Error);
    } finally {
      this.#lastEnd = Date.now();
    }
  }

  #view(result: Result): BtLeaderboard {
    const { fit } = result;
    return {
      method: 'bt',
      computedAt: result.computedAt.toISOString(),
      votes: fit.votes,
      stale: this.#isStale(),
      converged: fit.converged,
      componentCount: fit.componentCount,
      warnings: fit.warnings,
      bootstrap: fit.bootstrap,
      intervals: fit.intervals,
      models: fit.models.map((m) => {
        const described = this.#opts.describe(m.id);
        const s = this.#opts.speedOf(m.id);
        const { id, ...rest } = m;
        return { id, name: described?.name ?? id, demo: described?.demo ?? false, ...rest, ...(s ? { speed: s } : {}) };
      }),
      neighbours: fit.neighbours,
      pairs: fit.pairs,
      promptDedup: fit.promptDedup,
    };
  }
}
