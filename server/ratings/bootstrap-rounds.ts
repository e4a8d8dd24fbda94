/**
 * The bootstrap's rounds (pure): each draws a multinomial resample of the job's cells
 * (multinomial.ts) and refits it from the full-data θ, by chord steps on the pair list
 * (pair-refit.ts) or, for a resample of another structure, by Newton (bt-solver.ts).
 */
import { type BradleyTerryOptions, ratingsFromTheta } from './bradley-terry.ts';
import { BradleyTerrySolver } from './bt-solver.ts';
import { MultinomialSampler } from './multinomial.ts';
import { PairRefit } from './pair-refit.ts';
import { multinomial, Xoshiro128 } from './random.ts';

/** How rounds draw their resample: `table` (multinomial.ts) or `chain` (random.ts, for snapshots published before it); protocol/types.ts BootstrapSampler. */
export type BootstrapSampler = 'table' | 'chain';

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
  /** The full data's score table (bradley-terry.ts scoreTable): the chord steps' reference point (pair-refit.ts). */
  readonly score: Float64Array;
  /** The full-data θ, every refit's warm start. */
  readonly start: Float64Array;
  readonly seed: number;
  readonly sampler: BootstrapSampler;
  readonly options: BradleyTerryOptions;
}

interface Workspace {
  sampler: MultinomialSampler;
  /** Null when the full data has separated models: every round is then refitted by Newton. */
  refit: PairRefit | null;
  solver: BradleyTerrySolver;
  /** The pairs of the cells (in cell order) and each cell's pair. */
  first: Int32Array;
  second: Int32Array;
  pairOf: Int32Array;
  drawn: Float64Array;
  firstScore: Float64Array;
  secondScore: Float64Array;
  score: Float64Array;
  present: Uint8Array;
  theta: Float64Array;
}

/** A job's sampler, solvers and buffers, made once per thread however many batches of its rounds the thread runs. */
const workspaces = new WeakMap<BootstrapJob, Workspace>();

function workspaceOf(job: BootstrapJob): Workspace {
  const known = workspaces.get(job);
  if (known) return known;
  const m = job.models.length;
  const { cells } = job;
  const pairOf = new Int32Array(cells.first.length);
  const first: number[] = [];
  const second: number[] = [];
  for (let c = 0; c < pairOf.length; c++) {
    const last = first.length - 1;
    if (last < 0 || first[last] !== cells.first[c] || second[last] !== cells.second[c]) {
      first.push(cells.first[c]!);
      second.push(cells.second[c]!);
    }
    pairOf[c] = first.length - 1;
  }
  const pairs = { first: Int32Array.from(first), second: Int32Array.from(second) };
  const solver = new BradleyTerrySolver(m, job.options);
  const workspace: Workspace = {
    sampler: new MultinomialSampler(job.battles, cells.weight),
    refit: PairRefit.of(m, pairs.first, pairs.second, job.score, job.start, solver.tolerance),
    solver,
    ...pairs,
    pairOf,
    drawn: new Float64Array(cells.weight.length),
    firstScore: new Float64Array(first.length),
    secondScore: new Float64Array(first.length),
    score: new Float64Array(m * m),
    present: new Uint8Array(m),
    theta: new Float64Array(m),
  };
  workspaces.set(job, workspace);
  return workspace;
}

/** Round `round` of a job into `row` (its models' ratings, NaN where absent); false when its fit did not converge or had separated models. */
export function runBootstrapRound(job: BootstrapJob, round: number, row: Float64Array): boolean {
  const m = job.models.length;
  const w = workspaceOf(job);
  const { drawn, firstScore, secondScore, pairOf, present, theta } = w;
  const { kind } = job.cells;
  const random = new Xoshiro128(job.seed, round + 1);
  if (job.sampler === 'chain') multinomial(random, job.battles, job.cells.weight, drawn);
  else w.sampler.draw(random, drawn);
  firstScore.fill(0);
  secondScore.fill(0);
  for (let c = 0; c < drawn.length; c++) {
    const x = drawn[c]!;
    if (x === 0) continue;
    const p = pairOf[c]!;
    const k = kind[c]!;
    if (k === 0) firstScore[p]! += x;
    else if (k === 1) secondScore[p]! += x;
    else {
      firstScore[p]! += x / 2;
      secondScore[p]! += x / 2;
    }
  }
  present.fill(0);
  for (let p = 0; p < firstScore.length; p++) {
    if (firstScore[p]! + secondScore[p]! === 0) continue;
    present[w.first[p]!] = 1;
    present[w.second[p]!] = 1;
  }
  theta.set(job.start);
  let converged = w.refit?.refit(firstScore, secondScore, job.battles, theta) ?? false;
  if (!converged) {
    // Another structure than the full data's (a pair lost a side), or a chord that did not settle: Newton on the table.
    const { score } = w;
    score.fill(0);
    for (let p = 0; p < firstScore.length; p++) {
      score[w.first[p]! * m + w.second[p]!] = firstScore[p]!;
      score[w.second[p]! * m + w.first[p]!] = secondScore[p]!;
    }
    theta.set(job.start);
    const result = w.solver.solve(score, job.battles, theta);
    converged = result.reachedTolerance && result.structure.separated.length === 0;
  }
  writeRoundRatings(row, theta, present, job.models, job.options);
  return converged;
}

/** Rounds [from, to) of a job: their ratings (rows of `models`, NaN where absent) and how many did not converge. */
export function runBootstrapRounds(job: BootstrapJob, from: number, to: number): { samples: Float64Array; nonConverged: number } {
  const m = job.models.length;
  const samples = new Float64Array(Math.max(0, to - from) * m);
  let nonConverged = 0;
  for (let round = from; round < to; round++) {
    const row = round - from;
    if (!runBootstrapRound(job, round, samples.subarray(row * m, (row + 1) * m))) nonConverged++;
  }
  return { samples, nonConverged };
}

/** All rounds of a job, [0, rounds): runBootstrapRounds on this thread, or spread over threads with the same numbers. */
export type RoundsRunner = (job: BootstrapJob, rounds: number) => { samples: Float64Array; nonConverged: number };

function writeRoundRatings(row: Float64Array, theta: Float64Array, present: Uint8Array, models: readonly string[], options: BradleyTerryOptions): void {
  const anchorIndex = options.anchor ? models.indexOf(options.anchor.model) : -1;
  if (anchorIndex >= 0 && !present[anchorIndex]) {
    row.fill(NaN); // Without the anchor model the round has no common scale with the others.
    return;
  }
  row.set(ratingsFromTheta(theta, models, options.anchor));
  for (let i = 0; i < row.length; i++) if (!present[i]) row[i] = NaN;
}
