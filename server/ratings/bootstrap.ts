/**
 * Bootstrap confidence intervals for Bradley-Terry ratings. Each round draws a multinomial resample
 * of the battle counts — total fixed at the number of battles, probabilities the observed cell
 * frequencies — and refits; intervals are percentiles of the refitted ratings.
 */
import { type BradleyTerryOptions, fitBradleyTerry, ratingsFromTheta, scoreTable } from './bradley-terry.ts';
import { BradleyTerrySolver } from './bt-solver.ts';
import { type BattleCounts, sortedModelIds } from './counts.ts';
import { multinomial, Xoshiro128 } from './random.ts';

export interface BootstrapOptions extends BradleyTerryOptions {
  /** Number of resamples. */
  rounds?: number;
  seed?: number;
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

/**
 * Cells are (unordered pair, outcome) — first wins, second wins, tie. Merging the ordered
 * (model_a, model_b, winner) cells into these loses nothing: a multinomial summed over groups of
 * cells is the multinomial of the groups, and the fit only sees the merged counts.
 */
export interface BootstrapCells {
  first: Int32Array;
  second: Int32Array;
  /** 0 first won, 1 second won, 2 tie. */
  kind: Uint8Array;
  weight: Float64Array;
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
 * Everything a round needs, as plain data (typed arrays and numbers), so rounds can run in any
 * thread: round r draws from stream r + 1 of `seed`, whoever runs it and whatever ran before.
 */
export interface BootstrapJob {
  /** The models in id order: rounds run on them so, whatever order the counts listed them in. */
  readonly models: readonly string[];
  /** order[i]: where models[i] is in the counts the job was made from (results are put back there). */
  readonly order: Int32Array;
  /** Battles per resample. */
  readonly battles: number;
  readonly cells: BootstrapCells;
  /** The full data's score table (bradley-terry.ts scoreTable): the chord steps' reference point. */
  readonly score: Float64Array;
  /** The full-data θ, every refit's warm start. */
  readonly start: Float64Array;
  readonly seed: number;
  readonly options: BradleyTerryOptions;
}

/**
 * The same votes give the same numbers whatever order their models come in (a file, the votes, the
 * maintained counts): the job holds the counts with the models in id order.
 */
export function bootstrapJob(counts: BattleCounts, options: BootstrapOptions = {}, pointTheta?: Float64Array): BootstrapJob {
  const { rounds: _rounds, seed = DEFAULT_SEED, ...fitOptions } = options;
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

/** Rounds [from, to) of a job: their ratings (rows of `models`, NaN where absent) and how many did not converge. */
export function runBootstrapRounds(job: BootstrapJob, from: number, to: number): { samples: Float64Array; nonConverged: number } {
  const m = job.models.length;
  const { cells } = job;
  const solver = new BradleyTerrySolver(m, job.options);
  // Resamples lie near the full data: their refits reuse its information's factorisation.
  solver.prepareChord(job.score, job.start);
  const drawn = new Float64Array(cells.weight.length);
  const score = new Float64Array(m * m);
  const present = new Uint8Array(m);
  const theta = new Float64Array(m);
  const samples = new Float64Array(Math.max(0, to - from) * m);
  let nonConverged = 0;
  for (let round = from; round < to; round++) {
    multinomial(new Xoshiro128(job.seed, round + 1), job.battles, cells.weight, drawn);
    score.fill(0);
    present.fill(0);
    for (let c = 0; c < drawn.length; c++) {
      const x = drawn[c]!;
      if (x === 0) continue;
      const i = cells.first[c]!;
      const j = cells.second[c]!;
      const kind = cells.kind[c]!;
      if (kind === 0) score[i * m + j]! += x;
      else if (kind === 1) score[j * m + i]! += x;
      else {
        score[i * m + j]! += x / 2;
        score[j * m + i]! += x / 2;
      }
      present[i] = 1;
      present[j] = 1;
    }
    theta.set(job.start);
    const result = solver.solve(score, job.battles, theta);
    if (!result.reachedTolerance || result.structure.separated.length > 0) nonConverged++;
    const row = round - from;
    writeRoundRatings(samples.subarray(row * m, (row + 1) * m), theta, present, job.models, job.options);
  }
  return { samples, nonConverged };
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

function writeRoundRatings(row: Float64Array, theta: Float64Array, present: Uint8Array, models: readonly string[], options: BradleyTerryOptions): void {
  const anchorIndex = options.anchor ? models.indexOf(options.anchor.model) : -1;
  if (anchorIndex >= 0 && !present[anchorIndex]) {
    row.fill(NaN); // Without the anchor model the round has no common scale with the others.
    return;
  }
  row.set(ratingsFromTheta(theta, models, options.anchor));
  for (let i = 0; i < row.length; i++) if (!present[i]) row[i] = NaN;
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
