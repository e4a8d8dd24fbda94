/**
 * Bootstrap confidence intervals for Bradley-Terry ratings. Each round draws a multinomial resample
 * of the battle counts — total fixed at the number of battles, probabilities the observed cell
 * frequencies — and refits; intervals are percentiles of the refitted ratings.
 */
import { type BootstrapCells, type BootstrapJob, type BootstrapSampler, runBootstrapRounds } from './bootstrap-rounds.ts';
import { type BradleyTerryOptions, fitBradleyTerry, scoreTable } from './bradley-terry.ts';
import { type BattleCounts, sortedModelIds } from './counts.ts';

export { type BootstrapCells, type BootstrapJob, type RoundsRunner, runBootstrapRound, runBootstrapRounds } from './bootstrap-rounds.ts';

export interface BootstrapOptions extends BradleyTerryOptions {
  /** Number of resamples. */
  rounds?: number;
  seed?: number;
  /** How rounds draw their resample (default `table`). */
  sampler?: BootstrapSampler;
}

export const DEFAULT_BOOTSTRAP_ROUNDS = 100;
export const DEFAULT_SEED = 1;

export interface BootstrapResult {
  readonly rounds: number;
  readonly seed: number;
  /** 2.5%, 50% and 97.5% percentiles of each model's resampled rating. */
  readonly lower: Float64Array;
  readonly median: Float64Array;
  readonly upper: Float64Array;
  /** rounds × models, row-major; NaN where a model had no battle in that resample. */
  readonly samples: Float64Array;
  /** Resamples whose fit did not meet the tolerance or had separated models. */
  readonly nonConverged: number;
}

export function bootstrapCells(counts: BattleCounts): BootstrapCells {
  const m = counts.models.length;
  const first: number[] = [];
  const second: number[] = [];
  const kind: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const cellWeights = [counts.wins[i * m + j]!, counts.wins[j * m + i]!, counts.ties[i * m + j]!];
      cellWeights.forEach((w, k) => {
        if (w <= 0) return;
        first.push(i);
        second.push(j);
        kind.push(k);
        weight.push(w);
      });
    }
  }
  return {
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    kind: Uint8Array.from(kind),
    weight: Float64Array.from(weight),
  };
}

/**
 * The same votes give the same numbers whatever order their models come in (a file, the votes, the
 * maintained counts): the job holds the counts with the models in id order.
 */
export function bootstrapJob(counts: BattleCounts, options: BootstrapOptions = {}, pointTheta?: Float64Array): BootstrapJob {
  const { rounds: _rounds, seed = DEFAULT_SEED, sampler = 'table', ...fitOptions } = options;
  const ids = counts.models;
  const position = new Map(ids.map((id, i) => [id, i]));
  const order = Int32Array.from(sortedModelIds(ids), (id) => position.get(id)!);
  const sorted = permuteCounts(counts, order);
  const start = pointTheta ?? fitBradleyTerry(counts, fitOptions).theta;
  return {
    models: sorted.models,
    order,
    battles: counts.battles,
    cells: bootstrapCells(sorted),
    score: scoreTable(sorted),
    start: Float64Array.from(order, (at) => start[at]!),
    seed,
    sampler,
    options: fitOptions,
  };
}

/** The counts with model `order[i]` as model i. */
function permuteCounts(counts: BattleCounts, order: Int32Array): BattleCounts {
  const m = order.length;
  const wins = new Float64Array(m * m);
  const ties = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      wins[i * m + j] = counts.wins[order[i]! * m + order[j]!]!;
      ties[i * m + j] = counts.ties[order[i]! * m + order[j]!]!;
    }
  }
  return { models: Array.from(order, (at) => counts.models[at]!), wins, ties, battles: counts.battles };
}

/** Percentiles of all rounds' samples (rounds × models in id order, row-major), in the order of the counts the job was made from. */
export function bootstrapResult(job: Pick<BootstrapJob, 'models' | 'order' | 'seed'>, sortedSamples: Float64Array, nonConverged: number): BootstrapResult {
  const m = job.models.length;
  const rounds = m === 0 ? 0 : sortedSamples.length / m;
  const samples = new Float64Array(sortedSamples.length);
  for (let r = 0; r < rounds; r++) for (let i = 0; i < m; i++) samples[r * m + job.order[i]!] = sortedSamples[r * m + i]!;
  const { lower, median, upper } = percentiles(samples, rounds, m);
  return { rounds, seed: job.seed, lower, median, upper, samples, nonConverged };
}

/**
 * `pointTheta` (the full-data θ) is the warm start of every refit; computed when omitted.
 * Deterministic: the same counts, options and seed give identical numbers.
 */
export function bootstrapBradleyTerry(counts: BattleCounts, options: BootstrapOptions = {}, pointTheta?: Float64Array): BootstrapResult {
  const rounds = options.rounds ?? DEFAULT_BOOTSTRAP_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  const job = bootstrapJob(counts, options, pointTheta);
  const { samples, nonConverged } = runBootstrapRounds(job, 0, rounds);
  return bootstrapResult(job, samples, nonConverged);
}

function percentiles(samples: Float64Array, rounds: number, m: number) {
  const lower = new Float64Array(m);
  const median = new Float64Array(m);
  const upper = new Float64Array(m);
  const column = new Float64Array(rounds);
  for (let i = 0; i < m; i++) {
    let n = 0;
    for (let r = 0; r < rounds; r++) {
      const value = samples[r * m + i]!;
      if (!Number.isNaN(value)) column[n++] = value;
    }
    const sorted = column.subarray(0, n).sort();
    lower[i] = quantileOfSorted(sorted, 0.025);
    median[i] = quantileOfSorted(sorted, 0.5);
    upper[i] = quantileOfSorted(sorted, 0.975);
  }
  return { lower, median, upper };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default). NaN if empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/**
 * Rank (UB): 1 + the number of models whose lower bound is above this model's upper bound, i.e.
 * the best rank the model can claim without being statistically beaten.
 */
export function rankUpperBound(lower: ArrayLike<number>, upper: ArrayLike<number>): Int32Array {
  const m = lower.length;
  const ranks = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let above = 0;
    for (let j = 0; j < m; j++) if (lower[j]! > upper[i]!) above++;
    ranks[i] = 1 + above;
  }
  return ranks;
}
