/**
 * Intervals from the fitted model instead of resamples: the model-based (Fisher, or with a prior
 * the Laplace posterior) covariance, and the sandwich (robust) covariance, optionally clustered by
 * voter (LMArena's method since 2025, as in lmarena/arena-rank). Covariances are of centred ratings,
 * in rating points², so a difference's variance is cᵀΣc whatever the anchor.
 */
import { centreCovariance, inverseSpd, sandwich } from './dense.ts';
import { addGauge, fitPairModel, linearPredictor, logistic, type PairModelFit, type PairModelOptions, POINTS_PER_NAT } from './pair-model.ts';
import type { PairRows } from './pair-rows.ts';

/** The 97.5% point of the standard normal: 95% two-sided intervals. */
export const Z95 = 1.959963984540054;

export type IntervalMethod = 'fisher' | 'sandwich';

export interface IntervalOptions {
  /** 'fisher': inverse information (with a prior, the Laplace posterior); 'sandwich': robust. Default 'sandwich'. */
  method?: IntervalMethod | undefined;
  /** Sandwich only: sum scores within `rows.cluster` (votes of one voter are not independent). */
  clustered?: boolean | undefined;
  /** Normal quantile for the interval; default Z95. */
  z?: number | undefined;
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  se: number;
}

export interface ModelIntervals {
  readonly models: readonly string[];
  readonly featureNames: readonly string[];
  readonly method: IntervalMethod;
  readonly clustered: boolean;
  /** Rating points. */
  readonly ratings: Float64Array;
  readonly ratingIntervals: Interval[];
  /** Log-odds per unit of each covariate. */
  readonly coefficientIntervals: Interval[];
  /** Covariance of the centred ratings, m×m, rating points². */
  readonly covariance: Float64Array;
  /** Covariance of all variables (β, γ) in natural units, (m+F)². */
  readonly paramCovariance: Float64Array;
}

/** Σ_clusters s sᵀ with s the clusters' (or rows', unclustered) score vectors; C/(C−1) when clustered. */
function scoreCovariance(rows: PairRows, fit: PairModelFit, clustered: boolean): Float64Array {
  const m = rows.models.length;
  const f = fit.featureNames.length;
  const n = m + f;
  const meat = new Float64Array(n * n);
  const addOuter = (s: Float64Array, scale: number) => {
    for (let i = 0; i < n; i++) {
      if (s[i] === 0) continue;
      for (let j = 0; j < n; j++) meat[i * n + j]! += scale * s[i]! * s[j]!;
    }
  };
  const residualOf = (r: number) => rows.y[r]! - logistic(linearPredictor(rows, fit.params, r)).p;
  if (!clustered) {
    // Rows stand for `count` independent votes with the same score vector w·(y − p)·x.
    const s = new Float64Array(n);
    for (let r = 0; r < rows.length; r++) {
      const w = rows.weight?.[r] ?? 1;
      const e = w * residualOf(r);
      if (e === 0 || rows.count[r] === 0) continue;
      s.fill(0);
      s[rows.a[r]!] = e;
      s[rows.b[r]!] = -e;
      for (let k = 0; k < f; k++) s[m + k] = e * rows.features![r * f + k]!;
      addOuter(s, rows.count[r]!);
    }
    return meat;
  }
  if (!rows.cluster) throw new RangeError('clustered intervals need rows.cluster');
  const sums = new Map<number, Float64Array>();
  for (let r = 0; r < rows.length; r++) {
    const e = rows.count[r]! * (rows.weight?.[r] ?? 1) * residualOf(r);
    if (e === 0) continue;
    const key = rows.cluster[r]!;
    let s = sums.get(key);
    if (!s) {
      s = new Float64Array(n);
      sums.set(key, s);
    }
    s[rows.a[r]!]! += e;
    s[rows.b[r]!]! -= e;
    for (let k = 0; k < f; k++) s[m + k]! += e * rows.features![r * f + k]!;
  }
  const clusters = new Set(rows.cluster).size;
  const correction = clusters > 1 ? clusters / (clusters - 1) : 1;
  for (const s of sums.values()) addOuter(s, correction);
  return meat;
}

/** Covariance of (β, γ) in natural units, centred on the ratings. */
export function parameterCovariance(rows: PairRows, fit: PairModelFit, options: IntervalOptions = {}): Float64Array {
  const m = rows.models.length;
  const n = m + fit.featureNames.length;
  const hasPrior = fit.penalty[0] !== undefined && fit.penalty[0] > 0;
  const system = new Float64Array(fit.information);
  if (!hasPrior) addGauge(system, n, m); // v = 1/√m is then an eigenvector; centring removes it
  const inverse = inverseSpd(system, n);
  const method = options.method ?? 'sandwich';
  const raw = method === 'fisher' ? inverse : sandwich(inverse, scoreCovariance(rows, fit, options.clustered ?? false), n);
  return centreCovariance(raw, n, m);
}

function interval(estimate: number, variance: number, z: number, scale: number): Interval {
  const se = Math.sqrt(Math.max(variance, 0)) * scale;
  return { estimate, lower: estimate - z * se, upper: estimate + z * se, se };
}

/** Ratings and covariate coefficients of a fit with z-intervals from the chosen covariance. */
export function modelIntervals(rows: PairRows, fit: PairModelFit, options: IntervalOptions = {}): ModelIntervals {
  const m = rows.models.length;
  const f = fit.featureNames.length;
  const n = m + f;
  const z = options.z ?? Z95;
  const paramCovariance = parameterCovariance(rows, fit, options);
  const covariance = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) covariance[i * m + j] = paramCovariance[i * n + j]! * POINTS_PER_NAT ** 2;
  return {
    models: rows.models,
    featureNames: fit.featureNames,
    method: options.method ?? 'sandwich',
    clustered: options.clustered ?? false,
    ratings: fit.ratings,
    ratingIntervals: Array.from(fit.ratings, (rating, i) => interval(rating, paramCovariance[i * n + i]!, z, POINTS_PER_NAT)),
    coefficientIntervals: Array.from(fit.coefficients, (coefficient, k) => interval(coefficient, paramCovariance[(m + k) * n + m + k]!, z, 1)),
    covariance,
    paramCovariance,
  };
}

export interface RobustRatings extends ModelIntervals {
  readonly fit: PairModelFit;
}

/**
 * One call for the leaderboard: fit (with `priorSd` for the small-sample method) and intervals.
 * Plain data in (rows from rowsFromCounts or rowsFromVotes), plain data out.
 */
export function robustRatings(rows: PairRows, options: PairModelOptions & IntervalOptions = {}): RobustRatings {
  const fit = fitPairModel(rows, options);
  return { ...modelIntervals(rows, fit, options), fit };
}
