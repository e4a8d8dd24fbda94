/**
 * The three ways a public fit rates models (pure), each answering in the order of the counts'
 * models: the bootstrap (FastChat's, unchanged), intervals from the fitted model (sandwich or
 * model-based, with the small-sample prior), and style control (covariates for length and Markdown).
 */
import type { IntervalMethod, IntervalsUsed } from '../../protocol/types.ts';
import type { RoundsRunner } from '../ratings/bootstrap.ts';
import type { BootstrapSampler } from '../ratings/bootstrap-rounds.ts';
import { scoreTable } from '../ratings/bradley-terry.ts';
import { analyseComparisons } from '../ratings/comparison-graph.ts';
import { type BattleColumns, type BattleCounts, countBattles } from '../ratings/counts.ts';
import { type Interval, robustRatings } from '../ratings/intervals.ts';
import { OUTCOME_CODE } from '../ratings/outcomes.ts';
import type { PairRows } from '../ratings/pair-rows.ts';
import { rowsFromCounts } from '../ratings/pair-rows.ts';
import { type StyleVote, styleControlledRatings } from '../ratings/style-control.ts';
import { rankModelsWithResamples } from '../ratings/summary.ts';
import { type FitVotes, styleAt } from './fit-votes.ts';

/** What the configuration or a view asks for. */
export interface IntervalChoice {
  method: IntervalMethod;
  /** Sandwich only: cluster by voter. */
  clustered: boolean;
  /** The prior's sd (rating points) for model-based intervals; null for none. The bootstrap never uses one. */
  priorSd: number | null;
}

/** How sure the fit is about each model, kept to resolve neighbours among any subset of them. */
export type Uncertainty = { models: readonly string[]; ratings: Float64Array } & (
  | { kind: 'samples'; samples: Float64Array }
  | { kind: 'covariance'; covariance: Float64Array }
);

export interface Rated {
  /** The models rated, with their tallies' counts (the votes they were fitted on). */
  counts: BattleCounts;
  ratings: Float64Array;
  /** 95% bounds, or null without intervals; `median` is the bootstrap median (the rating otherwise). */
  ci: { lower: Float64Array; median: Float64Array; upper: Float64Array } | null;
  converged: boolean;
  componentCount: number;
  separated: ReadonlySet<string>;
  warnings: string[];
  bootstrap: { rounds: number; seed: number; nonConverged: number } | null;
  uncertainty: Uncertainty | null;
  intervals: IntervalsUsed;
  /** Style control's coefficients and how many votes had no features. */
  style: { coefficients: Array<Interval & { feature: string; mean: number; sd: number }>; votesWithoutFeatures: number } | null;
}

export function bootstrapRated(
  counts: BattleCounts,
  fitCounts: BattleCounts | undefined,
  run: { rounds: number; seed: number; sampler?: BootstrapSampler | undefined; runRounds?: RoundsRunner | undefined },
): Rated {
  const { rounds, seed, sampler, runRounds } = run;
  const { board, resamples } = rankModelsWithResamples(counts, {
    method: 'bt',
    bootstrap: rounds,
    seed,
    ...(sampler && { sampler }),
    ...(fitCounts && { fitCounts }),
    ...(runRounds && { runRounds }),
  });
  const byId = new Map(board.models.map((m) => [m.model, m]));
  const column = (pick: (m: (typeof board.models)[number]) => number) => Float64Array.from(counts.models, (id) => pick(byId.get(id)!));
  return {
    counts,
    ratings: column((m) => m.rating),
    ci: board.bootstrap ? { lower: column((m) => m.ci!.lower), median: column((m) => m.ci!.median), upper: column((m) => m.ci!.upper) } : null,
    converged: board.converged,
    componentCount: board.componentCount,
    separated: new Set(board.separatedModels),
    warnings: board.warnings,
    bootstrap: board.bootstrap,
    uncertainty: resamples ? { kind: 'samples', models: counts.models, ratings: resamples.ratings, samples: resamples.samples } : null,
    intervals: { method: 'bootstrap', clustered: false, prior: null },
    style: null,
  };
}

/** One row per distinct (pair, outcome, weight, voter): vote-level where weights or clusters need it, compact otherwise. */
function voteRows(columns: BattleColumns, weights: Float64Array | null, clusters: Int32Array | null): PairRows {
  const groups = new Map<string, number>();
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const count: number[] = [];
  const weight: number[] = [];
  const cluster: number[] = [];
  let unknown = 0;
  for (let k = 0; k < columns.length; k++) {
    const i = columns.modelA[k]!;
    const j = columns.modelB[k]!;
    if (i === j) continue;
    const code = columns.outcome[k]!;
    const score = code === OUTCOME_CODE.model_a ? 1 : code === OUTCOME_CODE.model_b ? 0 : 0.5;
    const w = weights ? weights[k]! : 1;
    // A vote of an unknown voter is its own cluster.
    const c = clusters ? (clusters[k]! >= 0 ? clusters[k]! : -1 - unknown++) : 0;
    const key = `${i} ${j} ${score} ${w} ${c}`;
    const at = groups.get(key);
    if (at !== undefined) {
      count[at]!++;
      continue;
    }
    groups.set(key, a.length);
    a.push(i);
    b.push(j);
    y.push(score);
    count.push(1);
    weight.push(w);
    cluster.push(c);
  }
  return {
    models: columns.models,
    length: a.length,
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    y: Float64Array.from(y),
    count: Float64Array.from(count),
    weight: weights ? Float64Array.from(weight) : undefined,
    cluster: clusters ? Int32Array.from(cluster) : undefined,
  };
}

function fromIntervals(intervals: readonly Interval[]): Rated['ci'] {
  return {
    lower: Float64Array.from(intervals, (x) => x.lower),
    median: Float64Array.from(intervals, (x) => x.estimate),
    upper: Float64Array.from(intervals, (x) => x.upper),
  };
}

function structureOf(counts: BattleCounts, prior: boolean): { componentCount: number; separated: Set<string> } {
  const structure = analyseComparisons(scoreTable(counts), counts.models.length);
  // With a prior every rating is an estimate: nobody is "separated".
  return { componentCount: structure.componentCount, separated: new Set(prior ? [] : structure.separated.map((i) => counts.models[i]!)) };
}

/** Sandwich or model-based intervals from the fitted model, with the small-sample prior when `priorSd` is set. */
export function modelRated(votes: FitVotes | null, counts: BattleCounts, weights: Float64Array | null, choice: IntervalChoice): Rated {
  const method = choice.method === 'fisher' ? 'fisher' : 'sandwich';
  const clustered = method === 'sandwich' && choice.clustered;
  const byVote = (weights || clustered) && votes;
  const rows = byVote ? voteRows(votes.columns, weights, clustered ? votes.voter : null) : rowsFromCounts(counts);
  const fit = robustRatings(rows, { method, clustered, ...(choice.priorSd !== null && { priorSd: choice.priorSd }) });
  return {
    counts,
    ratings: fit.ratings,
    ci: fromIntervals(fit.ratingIntervals),
    converged: fit.fit.converged,
    ...structureOf(counts, choice.priorSd !== null),
    warnings: [...fit.fit.warnings],
    bootstrap: null,
    uncertainty: { kind: 'covariance', models: counts.models, ratings: fit.ratings, covariance: fit.covariance },
    intervals: { method, clustered, prior: choice.priorSd === null ? null : { sd: choice.priorSd } },
    style: null,
  };
}

/** Style-controlled ratings on the votes whose two answers both have style features. */
export function styleRated(votes: FitVotes, weights: Float64Array | null, choice: IntervalChoice): Rated {
  const { columns } = votes;
  const kept: StyleVote[] = [];
  const sub = { modelA: [] as number[], modelB: [] as number[], outcome: [] as number[] };
  let votesWithoutFeatures = 0;
  for (let k = 0; k < columns.length; k++) {
    const i = columns.modelA[k]!;
    const j = columns.modelB[k]!;
    if (i === j) continue;
    const a = styleAt(votes, k, 0);
    const b = styleAt(votes, k, 1);
    if (!a || !b) {
      votesWithoutFeatures++;
      continue;
    }
    const code = columns.outcome[k]!;
    const voter = votes.voter[k]! >= 0 ? votes.voters[votes.voter[k]!]! : `\u0000${k}`;
    const winner = code === OUTCOME_CODE.model_a ? 'model_a' : code === OUTCOME_CODE.model_b ? 'model_b' : 'tie';
    kept.push({ model_a: columns.models[i]!, model_b: columns.models[j]!, winner, style_a: a, style_b: b, voter, ...(weights && { weight: weights[k]! }) });
    sub.modelA.push(i);
    sub.modelB.push(j);
    sub.outcome.push(code);
  }
  // Tallies over the same votes, with the models in the fit's order (first appearance among them).
  const order = [...new Set(kept.flatMap((v) => [v.model_a, v.model_b]))];
  const position = new Map(order.map((id, n) => [columns.models.indexOf(id), n]));
  const counts = countBattles({
    models: order,
    length: kept.length,
    modelA: Int32Array.from(sub.modelA, (i) => position.get(i)!),
    modelB: Int32Array.from(sub.modelB, (i) => position.get(i)!),
    outcome: Uint8Array.from(sub.outcome),
  });
  const method = choice.method === 'fisher' ? 'fisher' : 'sandwich';
  const clustered = method === 'sandwich' && choice.clustered;
  const result = styleControlledRatings(kept, { method, clustered, ...(choice.priorSd !== null && { priorSd: choice.priorSd }) });
  return {
    counts,
    ratings: Float64Array.from(result.ratings, (x) => x.estimate),
    ci: fromIntervals(result.ratings),
    converged: result.fit.converged,
    ...structureOf(counts, choice.priorSd !== null),
    warnings: [...result.warnings],
    bootstrap: null,
    uncertainty: { kind: 'covariance', models: counts.models, ratings: Float64Array.from(result.ratings, (x) => x.estimate), covariance: result.covariance },
    intervals: { method, clustered, prior: choice.priorSd === null ? null : { sd: choice.priorSd } },
    style: { coefficients: result.coefficients, votesWithoutFeatures },
  };
}
