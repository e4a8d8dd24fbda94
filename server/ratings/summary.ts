/**
 * Leaderboard projection: per-model tallies, pairwise tables, and `rankModels`, which combines the
 * Bradley-Terry fit, bootstrap intervals and online Elo into one sorted list.
 */
import {
  type BootstrapJob,
  type BootstrapResult,
  bootstrapJob,
  bootstrapResult,
  DEFAULT_BOOTSTRAP_ROUNDS,
  DEFAULT_SEED,
  type RoundsRunner,
  rankUpperBound,
  runBootstrapRounds,
} from './bootstrap.ts';
import type { BootstrapSampler } from './bootstrap-rounds.ts';
import { type BradleyTerryFit, type BradleyTerryOptions, fitBradleyTerry, RATING_SCALE, scoreTable } from './bradley-terry.ts';
import { analyseComparisons } from './comparison-graph.ts';
import { type BattleColumns, type BattleCounts, columnsFromBattles, countBattles } from './counts.ts';
import { type EloOptions, onlineEloFromColumns } from './elo.ts';
import { type NeighbourResolution, neighboursFromSamples } from './neighbours.ts';
import type { BattleResult } from './outcomes.ts';

export interface ModelTally {
  battles: number;
  wins: number;
  losses: number;
  ties: number;
}

export function modelTallies(counts: BattleCounts): ModelTally[] {
  const m = counts.models.length;
  return counts.models.map((_, i) => {
    let wins = 0;
    let losses = 0;
    let ties = 0;
    for (let j = 0; j < m; j++) {
      wins += counts.wins[i * m + j]!;
      losses += counts.wins[j * m + i]!;
      ties += counts.ties[i * m + j]!;
    }
    return { battles: wins + losses + ties, wins, losses, ties };
  });
}

/** A models×models table; `values[i][j]` concerns row model i against column model j. */
export interface PairTable {
  models: readonly string[];
  values: Array<Array<number | null>>;
}

function pairTable(models: readonly string[], cell: (i: number, j: number) => number | null): PairTable {
  return { models, values: models.map((_, i) => models.map((_, j) => (i === j ? null : cell(i, j)))) };
}

/** Number of battles between each pair, ties included. */
export function pairBattleCounts(counts: BattleCounts): PairTable {
  const m = counts.models.length;
  return pairTable(counts.models, (i, j) => counts.wins[i * m + j]! + counts.wins[j * m + i]! + counts.ties[i * m + j]!);
}

/** Share of decisive battles row model won against column model (ties excluded); null without any. */
export function empiricalWinRates(counts: BattleCounts): PairTable {
  const m = counts.models.length;
  return pairTable(counts.models, (i, j) => {
    const decisive = counts.wins[i * m + j]! + counts.wins[j * m + i]!;
    return decisive > 0 ? counts.wins[i * m + j]! / decisive : null;
  });
}

/** P(row beats column) implied by Bradley-Terry ratings. */
export function predictedWinRates(models: readonly string[], ratings: ArrayLike<number>): PairTable {
  return pairTable(models, (i, j) => 1 / (1 + 10 ** ((ratings[j]! - ratings[i]!) / RATING_SCALE)));
}

/** Mean of each row of a pair table over the other models (the win rate against a uniformly drawn opponent). */
export function averageWinRates(table: PairTable): Array<{ model: string; winRate: number | null }> {
  return table.models.map((model, i) => {
    const row = table.values[i]!.filter((v): v is number => v !== null);
    return { model, winRate: row.length > 0 ? row.reduce((a, b) => a + b, 0) / row.length : null };
  });
}

export type RatingMethod = 'bt' | 'elo' | 'both';

export interface RankOptions extends BradleyTerryOptions {
  /** 'bt': Bradley-Terry with intervals; 'elo': online Elo only; 'both' (default): BT rating plus an Elo column. */
  method?: RatingMethod;
  /** Bootstrap rounds for the BT intervals; 0 leaves `ci` null. */
  bootstrap?: number;
  seed?: number;
  /** How the bootstrap draws its resamples (default `table`; `chain` re-verifies older snapshots). */
  sampler?: BootstrapSampler;
  eloOptions?: EloOptions;
  /**
   * Weighted counts (same models, same order) to fit instead of the counts, e.g. after prompt
   * deduplication; the tallies (battles, wins, …) still come from the counts. The bootstrap then
   * resamples round(Σ weights) votes from the weighted cells.
   */
  fitCounts?: BattleCounts;
  /** Who runs the bootstrap's rounds (default: this thread); the numbers are the same. */
  runRounds?: RoundsRunner;
}

export interface ConfidenceInterval {
  lower: number;
  median: number;
  upper: number;
}

export interface LeaderboardModel extends ModelTally {
  model: string;
  rating: number;
  ci: ConfidenceInterval | null;
  rankUB: number;
  elo: number | null;
}

export interface RatingsLeaderboard {
  battles: number;
  method: RatingMethod;
  /** False when the BT fit did not converge or has no finite MLE; always true for 'elo'. */
  converged: boolean;
  iterations: number | null;
  gradNorm: number | null;
  componentCount: number;
  separatedModels: string[];
  warnings: string[];
  bootstrap: { rounds: number; seed: number; nonConverged: number } | null;
  /** Sorted by rating, highest first. */
  models: LeaderboardModel[];
  /** Each pair of adjacent models, from the bootstrap's resamples; empty without them. */
  neighbours: NeighbourResolution[];
}

/** The bootstrap's resampled ratings (rounds × models, in `models` order) behind a leaderboard. */
export interface Resamples {
  models: readonly string[];
  ratings: Float64Array;
  samples: Float64Array;
}

/** The leaderboard from battle records, in the order given (which online Elo depends on). */
export function rankModels(battles: Iterable<BattleResult>, options: RankOptions = {}): RatingsLeaderboard {
  return rankModelsFromColumns(columnsFromBattles(battles), options);
}

export function rankModelsFromColumns(columns: BattleColumns, options: RankOptions = {}): RatingsLeaderboard {
  const method = options.method ?? 'both';
  const elo = method === 'bt' ? null : onlineEloFromColumns(columns, options.eloOptions);
  return leaderboardOf(countBattles(columns), elo, { ...options, method }).board;
}

/**
 * The leaderboard from pre-aggregated counts (see countsFromOutcomeCounts). Online Elo cannot be
 * recomputed from counts, so pass `eloRatings` (by model name) for 'elo' or 'both'.
 */
export function rankModelsFromCounts(counts: BattleCounts, options: RankOptions & { eloRatings?: ReadonlyMap<string, number> } = {}): RatingsLeaderboard {
  return rankModelsWithResamples(counts, options).board;
}

/** rankModelsFromCounts, and the resamples behind its intervals (null without a bootstrap). */
export function rankModelsWithResamples(
  counts: BattleCounts,
  options: RankOptions & { eloRatings?: ReadonlyMap<string, number> } = {},
): { board: RatingsLeaderboard; resamples: Resamples | null } {
  const method = options.method ?? (options.eloRatings ? 'both' : 'bt');
  let elo: Float64Array | null = null;
  if (method !== 'bt') {
    const given = options.eloRatings;
    if (!given) throw new RangeError(`method "${method}" needs eloRatings when ranking from counts`);
    elo = Float64Array.from(counts.models, (model) => given.get(model) ?? NaN);
  }
  return leaderboardOf(counts, elo, { ...options, method });
}

function leaderboardRows(counts: BattleCounts, tallies: ModelTally[], elo: Float64Array | null) {
  return (ratings: ArrayLike<number>, ci: ConfidenceInterval[] | null, ranks: Int32Array): LeaderboardModel[] =>
    counts.models
      .map((model, i) => ({ model, rating: ratings[i]!, ci: ci?.[i] ?? null, rankUB: ranks[i]!, ...tallies[i]!, elo: elo?.[i] ?? null }))
      .sort((x, y) => y.rating - x.rating || x.model.localeCompare(y.model));
}

function leaderboardOf(
  counts: BattleCounts,
  elo: Float64Array | null,
  options: RankOptions & { method: RatingMethod },
): { board: RatingsLeaderboard; resamples: Resamples | null } {
  if (options.method === 'elo') {
    const rows = leaderboardRows(counts, modelTallies(counts), elo);
    const board: RatingsLeaderboard = {
      battles: counts.battles,
      method: 'elo',
      converged: true,
      iterations: null,
      gradNorm: null,
      componentCount: analyseComparisons(scoreTable(counts), counts.models.length).componentCount,
      separatedModels: [],
      warnings: [],
      bootstrap: null,
      models: rows(elo!, null, rankUpperBound(elo!, elo!)),
      neighbours: [],
    };
    return { board, resamples: null };
  }

  const plan = planBradleyTerry(counts, options);
  const boot = plan.job ? bootstrapResultOf(plan.job, plan.rounds, options.runRounds) : null;
  return leaderboardFromFit(counts, elo, options, plan.fit, boot);
}

/** The full-data fit and the bootstrap job behind a Bradley-Terry leaderboard (null without rounds). */
export interface BradleyTerryPlan {
  fit: BradleyTerryFit;
  job: BootstrapJob | null;
  rounds: number;
}

/**
 * The first half of a Bradley-Terry leaderboard: the fit, and the bootstrap to run (in this thread
 * or spread over workers: every round's numbers depend only on the job and the round number).
 */
export function planBradleyTerry(counts: BattleCounts, options: RankOptions = {}): BradleyTerryPlan {
  const fitCounts = options.fitCounts ?? counts;
  if (fitCounts.models.length !== counts.models.length || fitCounts.models.some((m, i) => m !== counts.models[i])) {
    throw new RangeError('fitCounts must have the models of the counts, in the same order');
  }
  const fit = fitBradleyTerry(fitCounts, options);
  const rounds = options.bootstrap ?? DEFAULT_BOOTSTRAP_ROUNDS;
  const seed = options.seed ?? DEFAULT_SEED;
  const resampled = fitCounts === counts ? counts : { ...fitCounts, battles: Math.round(fitCounts.battles) };
  const job =
    rounds > 0 && resampled.battles > 0
      ? bootstrapJob(resampled, { ...bradleyTerryOptions(options), seed, ...(options.sampler && { sampler: options.sampler }) }, fit.theta)
      : null;
  return { fit, job, rounds };
}

function bradleyTerryOptions(options: BradleyTerryOptions): BradleyTerryOptions {
  return {
    ...(options.anchor && { anchor: options.anchor }),
    ...(options.tolerance !== undefined && { tolerance: options.tolerance }),
    ...(options.maxIterations !== undefined && { maxIterations: options.maxIterations }),
  };
}

function bootstrapResultOf(job: BootstrapJob, rounds: number, runRounds: RoundsRunner = (j, n) => runBootstrapRounds(j, 0, n)): BootstrapResult {
  const { samples, nonConverged } = runRounds(job, rounds);
  return bootstrapResult(job, samples, nonConverged);
}

/** The second half: the leaderboard from the fit and the bootstrap's result (null without one). */
export function leaderboardFromFit(
  counts: BattleCounts,
  elo: Float64Array | null,
  options: RankOptions & { method: RatingMethod },
  fit: BradleyTerryFit,
  boot: BootstrapResult | null,
): { board: RatingsLeaderboard; resamples: Resamples | null } {
  const tallies = modelTallies(counts);
  const rows = leaderboardRows(counts, tallies, elo);
  const ci = boot ? counts.models.map((_, i) => ({ lower: boot.lower[i]!, median: boot.median[i]!, upper: boot.upper[i]! })) : null;
  const ranks = boot ? rankUpperBound(boot.lower, boot.upper) : rankUpperBound(fit.ratings, fit.ratings);
  const warnings = [...fit.warnings];
  if (boot && boot.nonConverged > 0) {
    warnings.push(`${boot.nonConverged} of ${boot.rounds} bootstrap resamples had no finite MLE or did not converge`);
  }
  const resamples = boot ? { models: counts.models, ratings: fit.ratings, samples: boot.samples } : null;
  const board: RatingsLeaderboard = {
    battles: counts.battles,
    method: options.method,
    converged: fit.converged,
    iterations: fit.iterations,
    gradNorm: fit.gradNorm,
    componentCount: fit.componentCount,
    separatedModels: [...fit.separatedModels],
    warnings,
    bootstrap: boot ? { rounds: boot.rounds, seed: boot.seed, nonConverged: boot.nonConverged } : null,
    models: rows(fit.ratings, ci, ranks),
    neighbours: resamples ? neighboursFromSamples(resamples) : [],
  };
  return { board, resamples };
}
