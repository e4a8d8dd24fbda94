/**
 * The general pairwise logistic model behind robust intervals, the small-sample prior and style
 * control: logit P(a beats b) = βa − βb + Σf γf·xf, fitted by damped Newton on weighted rows
 * (server/ratings/pair-rows.ts), with an optional Gaussian prior on the ratings and a ridge on γ.
 * Natural-log units inside; ratings are reported as 400/ln10·β + 1000, the scale of bradley-terry.ts.
 */
import { RATING_CENTER, RATING_SCALE } from './bradley-terry.ts';
import { choleskySolveInPlace } from './cholesky.ts';
import { analyseComparisons } from './comparison-graph.ts';
import { type PairRows, totalWeight } from './pair-rows.ts';

/** Rating points per natural-log unit of strength: 400 / ln 10 ≈ 173.7. */
export const POINTS_PER_NAT = RATING_SCALE / Math.LN10;

export interface PairModelOptions {
  /**
   * Standard deviation, in rating points, of an independent N(1000, priorSd²) prior on every rating:
   * the small-sample method (a penalized fit). Ratings are then finite whatever the data. Omit for
   * the maximum-likelihood fit.
   */
  priorSd?: number | undefined;
  /** Ridge λ on the covariate coefficients (objective − λ/2·Σγ², natural units). Default 0. */
  coefficientRidge?: number | undefined;
  /** Converged when ‖∂(objective / votes)/∂params‖₂ is below this (natural units). */
  tolerance?: number | undefined;
  maxIterations?: number | undefined;
}

export interface PairModelFit {
  readonly models: readonly string[];
  readonly featureNames: readonly string[];
  /** β (models, natural log, mean zero) then γ (covariates): the Newton variables. */
  readonly params: Float64Array;
  /** POINTS_PER_NAT·β + 1000. */
  readonly ratings: Float64Array;
  /** γ, log-odds per unit of each covariate. */
  readonly coefficients: Float64Array;
  /** Observed information of the objective at the solution (prior included), (m+F)², row-major. */
  readonly information: Float64Array;
  /** Penalty per variable (natural units): 1/τ² for ratings under a prior, the ridge for covariates. */
  readonly penalty: Float64Array;
  /** Σ count·weight. */
  readonly votes: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly gradNorm: number;
  readonly warnings: readonly string[];
}

/** Logistic σ(η), 1 − σ(η) and log σ(η), log(1 − σ(η)) without overflow or cancellation. */
export function logistic(eta: number): { p: number; q: number; logP: number; logQ: number } {
  const e = Math.exp(-Math.abs(eta));
  const large = 1 / (1 + e);
  const small = e / (1 + e);
  const logLarge = -Math.log1p(e);
  const logSmall = -Math.abs(eta) + logLarge;
  return eta >= 0 ? { p: large, q: small, logP: logLarge, logQ: logSmall } : { p: small, q: large, logP: logSmall, logQ: logLarge };
}

/** Linear predictor of row r: βa − βb + Σ γf·x(r,f). */
export function linearPredictor(rows: PairRows, params: Float64Array, r: number): number {
  const m = rows.models.length;
  const f = rows.featureNames?.length ?? 0;
  let eta = params[rows.a[r]!]! - params[rows.b[r]!]!;
  for (let k = 0; k < f; k++) eta += params[m + k]! * rows.features![r * f + k]!;
  return eta;
}

/** Fills gradient and information (prior included) at `params`; returns the penalized log-likelihood. */
function derivatives(rows: PairRows, params: Float64Array, penalty: Float64Array, gradient: Float64Array, info: Float64Array | null): number {
  const m = rows.models.length;
  const f = rows.featureNames?.length ?? 0;
  const n = m + f;
  gradient.fill(0);
  info?.fill(0);
  let objective = 0;
  for (let r = 0; r < rows.length; r++) {
    const c = rows.count[r]! * (rows.weight?.[r] ?? 1);
    if (c === 0) continue;
    const a = rows.a[r]!;
    const b = rows.b[r]!;
    const y = rows.y[r]!;
    const { p, q, logP, logQ } = logistic(linearPredictor(rows, params, r));
    objective += c * (y * logP + (1 - y) * logQ);
    const residual = c * (y - p);
    gradient[a]! += residual;
    gradient[b]! -= residual;
    for (let k = 0; k < f; k++) gradient[m + k]! += residual * rows.features![r * f + k]!;
    if (!info) continue;
    const h = c * p * q;
    info[a * n + a]! += h;
    info[b * n + b]! += h;
    info[a * n + b]! -= h;
    info[b * n + a]! -= h;
    for (let k = 0; k < f; k++) {
      const xk = rows.features![r * f + k]!;
      info[a * n + m + k]! += h * xk;
      info[(m + k) * n + a]! += h * xk;
      info[b * n + m + k]! -= h * xk;
      info[(m + k) * n + b]! -= h * xk;
      for (let l = 0; l < f; l++) info[(m + k) * n + m + l]! += h * xk * rows.features![r * f + l]!;
    }
  }
  for (let i = 0; i < n; i++) {
    objective -= 0.5 * penalty[i]! * params[i]! * params[i]!;
    gradient[i]! -= penalty[i]! * params[i]!;
    if (info) info[i * n + i]! += penalty[i]!;
  }
  return objective;
}

function centreRatings(params: Float64Array, m: number): void {
  let mean = 0;
  for (let i = 0; i < m; i++) mean += params[i]!;
  mean /= m;
  for (let i = 0; i < m; i++) params[i]! -= mean;
}

/** Damped Newton (Armijo backtracking); deterministic, from zero. */
export function fitPairModel(rows: PairRows, options: PairModelOptions = {}): PairModelFit {
  const m = rows.models.length;
  const featureNames = rows.featureNames ?? [];
  const f = featureNames.length;
  const n = m + f;
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 100;
  const penalty = new Float64Array(n);
  const prior = options.priorSd;
  if (prior !== undefined && !(prior > 0)) throw new RangeError(`priorSd must be positive, got ${prior}`);
  if (prior !== undefined) penalty.fill((POINTS_PER_NAT / prior) ** 2, 0, m);
  penalty.fill(options.coefficientRidge ?? 0, m, n);

  const votes = totalWeight(rows);
  const params = new Float64Array(n);
  const trial = new Float64Array(n);
  const gradient = new Float64Array(n);
  const scratch = new Float64Array(n);
  const info = new Float64Array(n * n);
  const system = new Float64Array(n * n);
  const perVote = 1 / Math.max(votes, 1);
  let iterations = 0;
  let gradNorm = Infinity;
  let reachedTolerance = false;
  let polished = false;
  for (;;) {
    const objective = derivatives(rows, params, penalty, gradient, info);
    gradNorm = Math.hypot(...gradient) * perVote;
    if (gradNorm < tolerance) {
      reachedTolerance = true;
      if (polished || gradNorm === 0) break; // one more step takes quadratic convergence to rounding level
      polished = true;
    } else if (iterations === maxIterations) {
      break;
    }
    iterations++;
    system.set(info);
    if (prior === undefined) addGauge(system, n, m);
    const step = Float64Array.from(gradient);
    choleskySolveInPlace(system, step, n);
    if (!lineSearch(rows, params, trial, step, gradient, objective, penalty, scratch)) break;
    if (prior === undefined) centreRatings(params, m);
  }
  derivatives(rows, params, penalty, gradient, info);
  const warnings = prior === undefined ? identifiabilityWarnings(rows) : [];
  if (!reachedTolerance) warnings.push(`the solver stopped after ${iterations} iterations with gradient norm ${gradNorm.toExponential(2)}`);
  const ratings = new Float64Array(m);
  for (let i = 0; i < m; i++) ratings[i] = POINTS_PER_NAT * params[i]! + RATING_CENTER;
  return {
    models: rows.models,
    featureNames,
    params,
    ratings,
    coefficients: params.slice(m),
    information: info,
    penalty,
    votes,
    converged: reachedTolerance && warnings.length === 0,
    iterations,
    gradNorm,
    warnings,
  };
}

/**
 * Without a prior the likelihood is flat along "all ratings + c": adding κ·vvᵀ (v = 1/√m on the
 * ratings) makes the system positive definite without changing steps orthogonal to v, and the
 * gradient always is (each vote adds +r and −r).
 */
export function addGauge(matrix: Float64Array, n: number, m: number): void {
  let trace = 0;
  for (let i = 0; i < m; i++) trace += matrix[i * n + i]!;
  const kappa = Math.max(trace / m, 1e-12) / m;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) matrix[i * n + j]! += kappa;
}

function lineSearch(
  rows: PairRows,
  params: Float64Array,
  trial: Float64Array,
  step: Float64Array,
  gradient: Float64Array,
  objective: number,
  penalty: Float64Array,
  scratch: Float64Array,
): boolean {
  let longest = 0;
  let slope = 0;
  for (let i = 0; i < step.length; i++) {
    longest = Math.max(longest, Math.abs(step[i]!));
    slope += step[i]! * gradient[i]!;
  }
  if (!Number.isFinite(longest) || !(slope > 0)) return false;
  if (longest <= 0.1) {
    for (let i = 0; i < params.length; i++) params[i]! += step[i]!;
    return true;
  }
  for (let t = longest > 10 ? 10 / longest : 1, halvings = 0; halvings < 50; halvings++, t /= 2) {
    for (let i = 0; i < params.length; i++) trial[i] = params[i]! + t * step[i]!;
    if (derivatives(rows, trial, penalty, scratch, null) >= objective + 1e-4 * t * slope) {
      params.set(trial);
      return true;
    }
  }
  return false;
}

/** The maximum-likelihood ratings exist only on a connected, strongly connected comparison graph. */
function identifiabilityWarnings(rows: PairRows): string[] {
  const m = rows.models.length;
  const score = new Float64Array(m * m);
  for (let r = 0; r < rows.length; r++) {
    const c = rows.count[r]! * (rows.weight?.[r] ?? 1);
    score[rows.a[r]! * m + rows.b[r]!]! += c * rows.y[r]!;
    score[rows.b[r]! * m + rows.a[r]!]! += c * (1 - rows.y[r]!);
  }
  const structure = analyseComparisons(score, m);
  const warnings: string[] = [];
  if (structure.componentCount > 1)
    warnings.push(`the comparison graph has ${structure.componentCount} disconnected groups; use priorSd for comparable ratings`);
  if (structure.separated.length > 0) {
    const names = structure.separated.map((i) => rows.models[i]!).join(', ');
    warnings.push(`no finite maximum-likelihood ratings: ${names} never lost or never won against the rest; use priorSd for finite ratings`);
  }
  return warnings;
}
