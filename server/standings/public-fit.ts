/**
 * One public Bradley-Terry fit (pure, runs in the worker): the votes → prompt deduplication →
 * ratings with intervals by the chosen method (bootstrap, sandwich, model-based; style control) →
 * the rows of the standings, each pair of neighbours resolved from the same resamples or
 * covariance, pair tables, and for matchmaking the fit's ratings and covariance.
 */

import type { StyleControlSummary, StyleFeatureName } from '../../protocol/standings.ts';
import type { BtLeaderboardEntry, NeighbourResolution, PromptDedupSummary } from '../../protocol/types.ts';
import { type RoundsRunner, rankUpperBound } from '../ratings/bootstrap.ts';
import type { BootstrapSampler } from '../ratings/bootstrap-rounds.ts';
import type { BattleCounts } from '../ratings/counts.ts';
import { onlineEloFromColumns } from '../ratings/elo.ts';
import { robustRatings } from '../ratings/intervals.ts';
import { neighboursFromCovariance, neighboursFromSamples } from '../ratings/neighbours.ts';
import type { FitSummary } from '../ratings/pair-information.ts';
import { rowsFromCounts } from '../ratings/pair-rows.ts';
import { modelTallies, pairBattleCounts, predictedWinRates } from '../ratings/summary.ts';
import { type FitInput, inputOfVotes } from './fit-input.ts';
import { bootstrapRated, type IntervalChoice, modelRated, type Rated, styleRated, type Uncertainty } from './fit-methods.ts';
import type { FitVotes } from './fit-votes.ts';

export interface PublicFitOptions {
  intervals: IntervalChoice;
  bootstrap: number;
  seed: number;
  /** How the bootstrap draws its resamples (default `table`; a snapshot published before it: `chain`). */
  sampler?: BootstrapSampler | undefined;
  /** Prompt deduplication's top share; 0 switches it off. */
  dedupTopShare: number;
  styleControl: boolean;
  /** Stored online Elo by model id; without it, online Elo is replayed over the votes with `eloK`. */
  eloRatings?: ReadonlyMap<string, number> | undefined;
  eloK: number;
  /** Also fit the ratings and covariance the active matchmaking policy draws from. */
  matchmaking?: boolean | undefined;
  /** Who runs the bootstrap's rounds (default: this thread); the numbers are the same. */
  runRounds?: RoundsRunner | undefined;
}

type Table = Array<Array<number | null>>;

/** A model's standing as far as the votes decide it (names and speed are added on the main thread). */
export type BtFitModel = Omit<BtLeaderboardEntry, 'name' | 'demo' | 'speed'>;

export interface PublicFit {
  votes: number;
  converged: boolean;
  componentCount: number;
  /** The rating engine's own words (the views turn the facts below into plain ones). */
  warnings: string[];
  bootstrap: { rounds: number; seed: number } | null;
  intervals: Rated['intervals'];
  /** Every model with a vote in the fit, best first. */
  models: BtFitModel[];
  /** Between adjacent `models`. */
  neighbours: NeighbourResolution[];
  uncertainty: Uncertainty | null;
  pairs: { models: string[]; battles: Table; predicted: Table; observed: Table };
  /** Model ids of each group never compared with the others; empty when everyone is connected. */
  groups: string[][];
  bootstrapFailures: number;
  solverStopped: boolean;
  promptDedup: PromptDedupSummary | null;
  style: StyleControlSummary | null;
  matchmaking: FitSummary | null;
}

const POWERS = [1, 10, 100, 1000, 10_000];
const round = (x: number, digits: number) => {
  const scale = POWERS[digits] ?? 10 ** digits;
  return Math.round(x * scale) / scale;
};
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function emptyPublicFit(intervals: Rated['intervals']): PublicFit {
  return {
    votes: 0,
    converged: true,
    componentCount: 0,
    warnings: [],
    bootstrap: null,
    intervals,
    models: [],
    neighbours: [],
    uncertainty: null,
    pairs: { models: [], battles: [], predicted: [], observed: [] },
    groups: [],
    bootstrapFailures: 0,
    solverStopped: false,
    promptDedup: null,
    style: null,
    matchmaking: null,
  };
}

/** The interval method as reported, before anything is fitted. */
export function intervalsUsed(choice: IntervalChoice, styleControl: boolean): Rated['intervals'] {
  const method = choice.method === 'bootstrap' && styleControl ? 'sandwich' : choice.method;
  if (method === 'bootstrap') return { method, clustered: false, prior: null };
  return { method, clustered: method === 'sandwich' && choice.clustered, prior: choice.priorSd === null ? null : { sd: choice.priorSd } };
}

/** Connected groups of the comparison graph (a pair is connected by any battle), in first-appearance order. */
export function groupsOf(counts: BattleCounts): string[][] {
  const m = counts.models.length;
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    // Path compression: later finds are one step.
    for (let at = i; at !== root; ) {
      const next = parent[at]!;
      parent[at] = root;
      at = next;
    }
    return root;
  };
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (counts.wins[i * m + j]! + counts.wins[j * m + i]! + counts.ties[i * m + j]! > 0) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, string[]>();
  counts.models.forEach((model, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(model);
    else groups.set(root, [model]);
  });
  return groups.size > 1 ? [...groups.values()] : [];
}

/** Observed share of battles row model won against column model, ties half; null without battles. */
export function observedWinRates(counts: BattleCounts): Table {
  const m = counts.models.length;
  return counts.models.map((_, i) =>
    counts.models.map((_, j) => {
      if (i === j) return null;
      const ties = counts.ties[i * m + j]!;
      const battles = counts.wins[i * m + j]! + counts.wins[j * m + i]! + ties;
      return battles > 0 ? (counts.wins[i * m + j]! + ties / 2) / battles : null;
    }),
  );
}

/**
 * Neighbours among some of the fit's models (those a list shows), from the same resamples or
 * covariance as the intervals; the difference intervals are rounded like the ratings.
 */
export function neighboursAmong(uncertainty: Uncertainty, ids: readonly string[]): NeighbourResolution[] {
  const m = uncertainty.models.length;
  const index = new Map(uncertainty.models.map((id, i) => [id, i]));
  const at = ids.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
  const k = at.length;
  const models = at.map((i) => uncertainty.models[i]!);
  const ratings = Float64Array.from(at, (i) => uncertainty.ratings[i]!);
  let list: NeighbourResolution[];
  if (uncertainty.kind === 'samples') {
    const rounds = m > 0 ? uncertainty.samples.length / m : 0;
    const samples = new Float64Array(rounds * k);
    for (let r = 0; r < rounds; r++) for (let c = 0; c < k; c++) samples[r * k + c] = uncertainty.samples[r * m + at[c]!]!;
    list = neighboursFromSamples({ models, ratings, samples });
  } else {
    const covariance = new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) covariance[r * k + c] = uncertainty.covariance[at[r]! * m + at[c]!]!;
    list = neighboursFromCovariance({ models, ratings, covariance });
  }
  return list.map((n) => ({ ...n, diff: { lower: round(n.diff.lower, 2), upper: round(n.diff.upper, 2) } }));
}

function rate(input: FitInput, options: PublicFitOptions): Rated {
  const { all, dedup, votes } = input;
  if (options.intervals.method === 'bootstrap' && !options.styleControl) {
    return bootstrapRated(all, dedup?.weighted ?? undefined, {
      rounds: options.bootstrap,
      seed: options.seed,
      sampler: options.sampler,
      runRounds: options.runRounds,
    });
  }
  // Style features, voter clusters and weighted model-based intervals need one row per vote.
  const needsVotes = options.styleControl || (options.intervals.method === 'sandwich' && options.intervals.clustered) || dedup?.weighted;
  if (needsVotes && !votes) throw new Error('this fit needs the votes, not only their counts');
  if (options.styleControl) return styleRated(votes!, dedup?.weights ?? null, options.intervals);
  return modelRated(votes, all, dedup?.weights ?? null, options.intervals);
}

export function fitPublic(votes: FitVotes, options: PublicFitOptions): PublicFit {
  return fitPublicInput(inputOfVotes(votes, options.dedupTopShare), options);
}

/** The fit from votes or from maintained counts (fit-input.ts); the same counts give the same fit. */
export function fitPublicInput(input: FitInput, options: PublicFitOptions): PublicFit {
  const { all, dedup, votes } = input;
  if (all.battles === 0) return { ...emptyPublicFit(intervalsUsed(options.intervals, options.styleControl)), promptDedup: dedup?.summary ?? null };
  const rated = rate(input, options);
  const { counts } = rated;
  const elo =
    options.eloRatings ??
    (() => {
      if (!votes) return new Map<string, number>();
      const replayed = onlineEloFromColumns(votes.columns, { k: options.eloK });
      return new Map(votes.columns.models.map((id, i) => [id, replayed[i]!]));
    })();
  const tallies = modelTallies(counts);
  const ranks = rated.ci ? rankUpperBound(rated.ci.lower, rated.ci.upper) : rankUpperBound(rated.ratings, rated.ratings);
  const order = counts.models.map((_, i) => i).sort((x, y) => rated.ratings[y]! - rated.ratings[x]! || counts.models[x]!.localeCompare(counts.models[y]!));
  const models: BtFitModel[] = order.map((i) => {
    const id = counts.models[i]!;
    const ci = rated.ci;
    const bounds = ci && [ci.lower[i], ci.median[i], ci.upper[i]];
    return {
      id,
      rating: round(rated.ratings[i]!, 2),
      ci: bounds?.every(finite) ? { lower: round(bounds[0]!, 2), median: round(bounds[1]!, 2), upper: round(bounds[2]!, 2) } : null,
      rankUB: ranks[i]!,
      ...tallies[i]!,
      elo: finite(elo.get(id)) ? round(elo.get(id)!, 2) : null,
      separated: rated.separated.has(id),
    };
  });
  const reorder = (table: Table, digits: number) => order.map((i) => order.map((j) => (table[i]![j] === null ? null : round(table[i]![j]!, digits))));
  const uncertainty = rated.uncertainty;
  return {
    votes: counts.battles,
    converged: rated.converged,
    componentCount: rated.componentCount,
    warnings: rated.warnings,
    bootstrap: rated.bootstrap && { rounds: rated.bootstrap.rounds, seed: rated.bootstrap.seed },
    intervals: rated.intervals,
    models,
    neighbours: uncertainty ? neighboursAmong(uncertainty, counts.models) : [],
    uncertainty,
    pairs: {
      models: models.map((m) => m.id),
      battles: reorder(pairBattleCounts(counts).values, 0),
      predicted: reorder(predictedWinRates(counts.models, rated.ratings).values, 4),
      observed: reorder(observedWinRates(counts), 4),
    },
    groups: groupsOf(counts),
    bootstrapFailures: rated.bootstrap?.nonConverged ?? 0,
    solverStopped: rated.warnings.some((w) => w.startsWith('the solver stopped')),
    promptDedup: dedup?.summary ?? null,
    style: rated.style && {
      coefficients: rated.style.coefficients.map((c) => ({
        feature: c.feature as StyleFeatureName,
        estimate: round(c.estimate, 4),
        lower: round(c.lower, 4),
        upper: round(c.upper, 4),
        mean: round(c.mean, 4),
        sd: round(c.sd, 4),
      })),
      votesWithoutFeatures: rated.style.votesWithoutFeatures,
    },
    matchmaking: options.matchmaking ? matchmakingSummary(dedup?.weighted ?? all) : null,
  };
}

/**
 * What the active policy draws from: ratings and covariance of the penalized model-based fit
 * (prior sd 400) on the same (deduplicated) counts, as in the matchmaking benchmark; finite
 * however few the votes.
 */
function matchmakingSummary(fitCounts: BattleCounts): FitSummary {
  const fit = robustRatings(rowsFromCounts(fitCounts), { priorSd: 400, method: 'fisher' });
  return { models: fitCounts.models, ratings: fit.ratings, covariance: fit.covariance };
}
