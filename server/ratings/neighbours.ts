/**
 * Neighbour resolution: for each pair of models adjacent in rating order, the 95% interval of
 * rating(above) − rating(below), whether it excludes zero, and how many more direct votes between
 * them would make it so at the current win rate. From bootstrap resamples or from a covariance.
 */
import { quantileOfSorted } from './bootstrap.ts';
import { RATING_SCALE } from './bradley-terry.ts';
import { Z95 } from './intervals.ts';

export interface NeighbourResolution {
  above: string;
  below: string;
  /** 95% interval of rating(above) − rating(below), rating points. */
  diff: { lower: number; upper: number };
  /** diff.lower > 0. */
  separated: boolean;
  /** More direct votes between the two that would separate them at the current win rate (0 if separated); null when they look tied. */
  votesToSeparate: number | null;
}

export interface NeighbourOptions {
  /** Beyond this many votes the pair is reported as tied (null). Default 1,000,000. */
  maxVotes?: number | undefined;
}

export const DEFAULT_MAX_VOTES_TO_SEPARATE = 1_000_000;

/** Indices sorted by rating, best first (name breaks ties, as in the leaderboard). */
function ratingOrder(models: readonly string[], ratings: ArrayLike<number>): number[] {
  return models.map((_, i) => i).sort((x, y) => ratings[y]! - ratings[x]! || models[x]!.localeCompare(models[y]!));
}

/**
 * Direct votes k that would bring the lower bound of a difference `estimate` (rating points) above
 * zero, given its current standard error `se`. k votes at win rate p add k·p(1−p) to the information
 * on this difference (exact for a rank-one update of the same contrast: 1/var' = 1/var + k·p(1−p)),
 * so the bound clears zero once 1/var + k·p(1−p) > (z/d)² in natural units.
 */
export function votesToSeparate(estimate: number, se: number, options: NeighbourOptions & { z?: number } = {}): number | null {
  const z = options.z ?? Z95;
  const maxVotes = options.maxVotes ?? DEFAULT_MAX_VOTES_TO_SEPARATE;
  if (!(estimate > 0) || !Number.isFinite(se)) return null;
  if (estimate - z * se > 0) return 0;
  const d = (estimate * Math.LN10) / RATING_SCALE;
  const variance = ((se * Math.LN10) / RATING_SCALE) ** 2;
  const p = 1 / (1 + Math.exp(-d));
  const needed = ((z / d) ** 2 - (variance > 0 ? 1 / variance : 0)) / (p * (1 - p));
  const votes = Math.max(1, Math.ceil(needed));
  return votes > maxVotes ? null : votes;
}

/** From a covariance of the ratings (m×m, rating points², e.g. ModelIntervals.covariance). */
export function neighboursFromCovariance(
  fit: { models: readonly string[]; ratings: ArrayLike<number>; covariance: ArrayLike<number> },
  options: NeighbourOptions = {},
): NeighbourResolution[] {
  const { models, ratings, covariance } = fit;
  const m = models.length;
  const order = ratingOrder(models, ratings);
  return order.slice(1).map((below, k) => {
    const above = order[k]!;
    const estimate = ratings[above]! - ratings[below]!;
    const variance = covariance[above * m + above]! + covariance[below * m + below]! - 2 * covariance[above * m + below]!;
    const se = Math.sqrt(Math.max(variance, 0));
    const lower = estimate - Z95 * se;
    return {
      above: models[above]!,
      below: models[below]!,
      diff: { lower, upper: estimate + Z95 * se },
      separated: lower > 0,
      votesToSeparate: votesToSeparate(estimate, se, options),
    };
  });
}

/**
 * From bootstrap resamples (BootstrapResult.samples: rounds × models, NaN where a model sat a round
 * out): the percentile interval of the per-round differences, so the correlation between the two
 * ratings is kept. The standard error for votesToSeparate is read off the lower side, (d − lower)/z.
 */
export function neighboursFromSamples(
  fit: { models: readonly string[]; ratings: ArrayLike<number>; samples: Float64Array },
  options: NeighbourOptions = {},
): NeighbourResolution[] {
  const { models, ratings, samples } = fit;
  const m = models.length;
  const rounds = m > 0 ? samples.length / m : 0;
  const order = ratingOrder(models, ratings);
  const diffs = new Float64Array(rounds);
  return order.slice(1).map((below, k) => {
    const above = order[k]!;
    let n = 0;
    for (let r = 0; r < rounds; r++) {
      const d = samples[r * m + above]! - samples[r * m + below]!;
      if (!Number.isNaN(d)) diffs[n++] = d;
    }
    const sorted = diffs.subarray(0, n).sort();
    const lower = quantileOfSorted(sorted, 0.025);
    const upper = quantileOfSorted(sorted, 0.975);
    const estimate = ratings[above]! - ratings[below]!;
    const separated = lower > 0;
    const se = n === 0 ? Infinity : Math.max(estimate - lower, 0) / Z95;
    return {
      above: models[above]!,
      below: models[below]!,
      diff: { lower, upper },
      separated,
      votesToSeparate: separated ? 0 : votesToSeparate(estimate, se, options),
    };
  });
}
