/**
 * What one more vote on a pair is worth to the leaderboard: the expected shrinkage of the
 * intervals of the neighbour differences (adjacent models in rating order), from the latest fit's
 * ratings and covariance. Used by the active matchmaking policy (server/arena/matchmaking.ts).
 */
import { RATING_SCALE } from './bradley-terry.ts';
import { Z95 } from './intervals.ts';

/** The part of a fit that matchmaking needs: ratings and their covariance (rating points, points²). */
export interface FitSummary {
  readonly models: readonly string[];
  readonly ratings: ArrayLike<number>;
  /** models × models, row-major. */
  readonly covariance: ArrayLike<number>;
}

export interface PairGainOptions {
  /** Standard deviation (rating points) assumed for a model the fit does not know yet. Default 400. */
  unknownSd?: number | undefined;
  /**
   * How strongly already-separated neighbours are discounted: each neighbour difference counts with
   * weight 1/(1 + exp(sharpness·(d/se − z))), about 1 while unresolved and ½ at the 95% boundary.
   * 0 weighs every neighbour alike (plain mean interval width). Default 1.7.
   */
  sharpness?: number | undefined;
}

export const DEFAULT_UNKNOWN_SD = 400;
const NAT = Math.LN10 / RATING_SCALE;

/** Ratings (natural units) and covariance of `ids` from the fit; unknown models get the mean rating and `unknownSd`, uncorrelated. */
function restrict(ids: readonly string[], fit: FitSummary | null, unknownSd: number): { theta: Float64Array; sigma: Float64Array } {
  const n = ids.length;
  const index = new Map((fit?.models ?? []).map((name, i) => [name, i]));
  const m = fit?.models.length ?? 0;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += fit!.ratings[i]!;
  mean = m > 0 ? mean / m : 0;
  const at = ids.map((id) => index.get(id));
  const theta = new Float64Array(n);
  const sigma = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const fi = at[i];
    theta[i] = ((fi === undefined ? mean : fit!.ratings[fi]!) - mean) * NAT;
    for (let j = 0; j < n; j++) {
      const fj = at[j];
      const known = fi !== undefined && fj !== undefined;
      const value = known ? fit!.covariance[fi * m + fj]! : i === j ? unknownSd * unknownSd : 0;
      sigma[i * n + j] = value * NAT * NAT;
    }
  }
  return { theta, sigma };
}

/**
 * Expected gain of one vote on each pair (i < j) of `ids`, in the order (0,1), (0,2), …, (n−2,n−1).
 * A vote on (i, j) at the fitted win rate p adds information w = p(1−p) along x = eᵢ − eⱼ, so by
 * Sherman–Morrison the variance of a neighbour difference cᵀθ falls by w·(cᵀΣx)² / (1 + w·xᵀΣx).
 * The gain is the weighted sum, over neighbour differences, of the fall in their standard error.
 * It grows with p(1−p) and with how uncertain the differences still are (Chiang et al. 2024, §5,
 * sample where a vote shrinks the confidence intervals most).
 */
export function pairGains(ids: readonly string[], fit: FitSummary | null, options: PairGainOptions = {}): Float64Array {
  const n = ids.length;
  const { theta, sigma } = restrict(ids, fit, options.unknownSd ?? DEFAULT_UNKNOWN_SD);
  const sharpness = options.sharpness ?? 1.7;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => theta[y]! - theta[x]! || ids[x]!.localeCompare(ids[y]!));
  // u_k = Σ c_k for neighbour difference k (c_k = e_above − e_below); its variance and weight.
  const neighbours = order.slice(1).map((below, k) => {
    const above = order[k]!;
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = sigma[i * n + above]! - sigma[i * n + below]!;
    const variance = Math.max(u[above]! - u[below]!, 1e-300);
    const z = (theta[above]! - theta[below]!) / Math.sqrt(variance);
    const weight = sharpness === 0 ? 1 : 1 / (1 + Math.exp(sharpness * (z - Z95)));
    return { u, variance, weight };
  });
  const gains = new Float64Array((n * (n - 1)) / 2);
  let pair = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, pair++) {
      const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
      const w = p * (1 - p);
      const pairVariance = sigma[i * n + i]! + sigma[j * n + j]! - 2 * sigma[i * n + j]!;
      const denominator = 1 + w * pairVariance;
      let gain = 0;
      for (const { u, variance, weight } of neighbours) {
        const projection = u[i]! - u[j]!;
        const fall = Math.min((w * projection * projection) / denominator, variance);
        gain += weight * (Math.sqrt(variance) - Math.sqrt(variance - fall));
      }
      gains[pair] = gain;
    }
  }
  return gains;
}
