/**
 * Style-controlled Bradley-Terry, as LMArena computes it (FastChat rating_systems.py
 * preprocess_for_style, the "Does style matter?" blog post, Aug 2024): per vote and per style
 * feature the covariate (a − b)/(a + b + 1), standardized over the data set, enters the logistic
 * model beside the model indicators. The model coefficients are the ratings with the style effect
 * removed; the feature coefficients say how much style alone moves a vote.
 */
import { type Interval, type IntervalOptions, modelIntervals } from './intervals.ts';
import { fitPairModel, type PairModelFit, type PairModelOptions } from './pair-model.ts';
import { type PairVote, rowsFromVotes } from './pair-rows.ts';
import { STYLE_FEATURES, type StyleCounts, type StyleFeature } from './style-features.ts';

export interface StyleVote extends PairVote {
  style_a: StyleCounts;
  style_b: StyleCounts;
}

export interface StyleCoefficient extends Interval {
  feature: StyleFeature;
  /** Mean and population standard deviation of the raw covariate, used to standardize it. */
  mean: number;
  sd: number;
}

export interface StyleControlResult {
  readonly models: readonly string[];
  /** Ratings with the style effect removed (covariates at their mean), with intervals. */
  readonly ratings: Interval[];
  /** Covariance of those ratings, m×m, rating points² (for neighboursFromCovariance). */
  readonly covariance: Float64Array;
  /** Log-odds per standard deviation of each covariate; features constant in the data are left out. */
  readonly coefficients: StyleCoefficient[];
  readonly fit: PairModelFit;
  readonly warnings: readonly string[];
}

/** (a − b)/(a + b + 1): a relative difference, bounded in (−1, 1), 0 for equal counts. */
export function styleDifference(a: number, b: number): number {
  return (a - b) / (a + b + 1);
}

/** Raw covariates, votes × features, and their standardization (features with zero spread dropped). */
export function styleCovariates(votes: readonly StyleVote[], features: readonly StyleFeature[] = STYLE_FEATURES) {
  const n = votes.length;
  const kept: Array<{ feature: StyleFeature; mean: number; sd: number; values: Float64Array }> = [];
  const dropped: StyleFeature[] = [];
  for (const feature of features) {
    const values = Float64Array.from(votes, (v) => styleDifference(v.style_a[feature], v.style_b[feature]));
    let mean = 0;
    for (const x of values) mean += x;
    mean /= Math.max(n, 1);
    let variance = 0;
    for (const x of values) variance += (x - mean) ** 2;
    const sd = Math.sqrt(variance / Math.max(n, 1));
    if (!(sd > 1e-12)) {
      dropped.push(feature);
      continue;
    }
    for (let k = 0; k < n; k++) values[k] = (values[k]! - mean) / sd;
    kept.push({ feature, mean, sd, values });
  }
  const matrix = new Float64Array(n * kept.length);
  kept.forEach(({ values }, f) => {
    for (let k = 0; k < n; k++) matrix[k * kept.length + f] = values[k]!;
  });
  return { kept, dropped, matrix };
}

/**
 * Fits the style-controlled model on vote-level rows (self-battles dropped). Options: `priorSd`
 * for small samples, `coefficientRidge`, the interval method (sandwich by default) and clustering
 * by `voter`.
 */
export function styleControlledRatings(
  votes: readonly StyleVote[],
  options: PairModelOptions & IntervalOptions & { features?: readonly StyleFeature[] } = {},
): StyleControlResult {
  const kept = votes.filter((v) => v.model_a !== v.model_b);
  const covariates = styleCovariates(kept, options.features ?? STYLE_FEATURES);
  const base = rowsFromVotes(kept);
  const rows = { ...base, features: covariates.matrix, featureNames: covariates.kept.map((k) => k.feature) };
  const fit = fitPairModel(rows, options);
  const intervals = modelIntervals(rows, fit, options);
  const warnings = [...fit.warnings];
  if (covariates.dropped.length > 0) warnings.push(`left out, constant in these votes: ${covariates.dropped.join(', ')}`);
  return {
    models: rows.models,
    ratings: intervals.ratingIntervals,
    covariance: intervals.covariance,
    coefficients: covariates.kept.map(({ feature, mean, sd }, f) => ({ feature, mean, sd, ...intervals.coefficientIntervals[f]! })),
    fit,
    warnings,
  };
}
