/**
 * The Bradley-Terry likelihood's damped Newton solver on the m×m score table (server/ratings/
 * bradley-terry.ts fits with it; the bootstrap refits with one instance the resamples that
 * pair-refit.ts leaves to it).
 */
import { choleskySolveInPlace } from './cholesky.ts';
import { analyseComparisons, type ComparisonStructure } from './comparison-graph.ts';

const LN10 = Math.LN10;

/** When Newton stops: gradient norm below `tolerance`, or after `maxIterations`. */
export interface SolverOptions {
  tolerance?: number | undefined;
  maxIterations?: number | undefined;
}

export interface SolveResult {
  iterations: number;
  gradNorm: number;
  reachedTolerance: boolean;
  structure: ComparisonStructure;
}

/**
 * Newton solver with workspace allocated once, so the bootstrap can refit many times without
 * allocating. Works in natural-log units β = θ·ln10 internally.
 */
/**
 * Adds one pair's weight `w` to the information matrix (free × free, row-major) of the free models:
 * on both diagonals, off the diagonal with the opposite sign; `-1` for a pinned model, which has no row.
 */
export function addPairInformation(info: Float64Array, free: number, fi: number, fj: number, w: number): void {
  if (fi >= 0) info[fi * free + fi]! += w;
  if (fj >= 0) info[fj * free + fj]! += w;
  if (fi >= 0 && fj >= 0) {
    info[fi * free + fj]! -= w;
    info[fj * free + fi]! -= w;
  }
}

export class BradleyTerrySolver {
  readonly tolerance: number;
  readonly maxIterations: number;
  readonly #m: number;
  readonly #beta: Float64Array;
  readonly #trial: Float64Array;
  readonly #gradient: Float64Array;
  readonly #step: Float64Array;
  readonly #freeIndex: Int32Array;
  readonly #reducedGradient: Float64Array;
  readonly #information: Float64Array;

  constructor(m: number, options: SolverOptions = {}) {
    this.tolerance = options.tolerance ?? 1e-8;
    this.maxIterations = options.maxIterations ?? 100;
    this.#m = m;
    this.#beta = new Float64Array(m);
    this.#trial = new Float64Array(m);
    this.#gradient = new Float64Array(m);
    this.#step = new Float64Array(m);
    this.#freeIndex = new Int32Array(m);
    this.#reducedGradient = new Float64Array(m);
    this.#information = new Float64Array(m * m);
  }

  /**
   * Fits `score` (see scoreTable). `theta` is the starting point on entry (zeros for a cold start)
   * and the centred solution on return.
   */
  solve(score: Float64Array, battles: number, theta: Float64Array): SolveResult {
    const m = this.#m;
    const beta = this.#beta;
    const structure = analyseComparisons(score, m);
    const free = this.#pinOneModelPerComponent(structure);
    for (let i = 0; i < m; i++) beta[i] = theta[i]! * LN10;
    const perBattle = LN10 / Math.max(battles, 1);
    let iterations = 0;
    let gradNorm = Infinity;
    let reachedTolerance = false;
    let polished = false;
    for (;;) {
      const logLik = this.#derivatives(score, free);
      gradNorm = norm(this.#gradient) * perBattle;
      if (gradNorm < this.tolerance) {
        reachedTolerance = true;
        // One more step: convergence is quadratic here, so it takes θ to rounding accuracy
        // (a gradient of 1e-8 alone can leave ~1e-3 rating points for lopsided pairs).
        if (polished || gradNorm === 0) break;
        polished = true;
      } else if (iterations === this.maxIterations) {
        break;
      }
      iterations++;
      const slope = this.#newtonStep(free);
      if (!this.#lineSearch(score, logLik, slope)) break;
    }

    centreOnCores(beta, structure, m);
    for (let i = 0; i < m; i++) theta[i] = beta[i]! / LN10;
    return { iterations, gradNorm, reachedTolerance, structure };
  }

  /** Fixes the first core model of each component (translation invariance); returns the free-variable count. */
  #pinOneModelPerComponent(structure: ComparisonStructure): number {
    const pinned = new Uint8Array(structure.componentCount);
    let free = 0;
    for (let i = 0; i < this.#m; i++) {
      const c = structure.componentOf[i]!;
      if (!pinned[c] && structure.inCore[i]) {
        pinned[c] = 1;
        this.#freeIndex[i] = -1;
      } else {
        this.#freeIndex[i] = free++;
      }
    }
    return free;
  }

  /** Fills the gradient and the Fisher information (−Hessian) of the free variables; returns the log-likelihood. */
  #derivatives(score: Float64Array, free: number): number {
    const m = this.#m;
    const beta = this.#beta;
    const gradient = this.#gradient.fill(0);
    const info = this.#information;
    info.fill(0, 0, free * free);
    let logLik = 0;
    for (let i = 0; i < m; i++) {
      const fi = this.#freeIndex[i]!;
      for (let j = i + 1; j < m; j++) {
        const sij = score[i * m + j]!;
        const sji = score[j * m + i]!;
        if (sij + sji === 0) continue;
        const d = beta[i]! - beta[j]!;
        // p = σ(d), q = σ(−d), computed from exp(−|d|) so neither overflows nor cancels.
        const e = Math.exp(-Math.abs(d));
        const small = e / (1 + e);
        const large = 1 / (1 + e);
        const p = d >= 0 ? large : small;
        const q = d >= 0 ? small : large;
        const logLarge = -Math.log1p(e);
        const logSmall = -Math.abs(d) + logLarge;
        logLik += d >= 0 ? sij * logLarge + sji * logSmall : sij * logSmall + sji * logLarge;
        const residual = sij * q - sji * p;
        gradient[i]! += residual;
        gradient[j]! -= residual;
        const w = (sij + sji) * p * q;
        addPairInformation(info, free, fi, this.#freeIndex[j]!, w);
      }
    }
    return logLik;
  }

  /** Solves information · step = gradient on the free variables; returns the slope gradient·step. */
  #newtonStep(free: number): number {
    const rhs = this.#reducedGradient;
    for (let i = 0; i < this.#m; i++) {
      const fi = this.#freeIndex[i]!;
      if (fi >= 0) rhs[fi] = this.#gradient[i]!;
    }
    choleskySolveInPlace(this.#information, rhs, free);
    let slope = 0;
    for (let i = 0; i < this.#m; i++) {
      const fi = this.#freeIndex[i]!;
      this.#step[i] = fi >= 0 ? rhs[fi]! : 0;
      slope += this.#step[i]! * this.#gradient[i]!;
    }
    return slope;
  }

  /**
   * Backtracking (Armijo) along the Newton step. Short steps are taken whole: there Newton is in its
   * quadratic regime and the likelihood change is below rounding noise, which would stall the search.
   */
  #lineSearch(score: Float64Array, logLik: number, slope: number): boolean {
    const m = this.#m;
    const beta = this.#beta;
    const step = this.#step;
    let longest = 0;
    for (let i = 0; i < m; i++) longest = Math.max(longest, Math.abs(step[i]!));
    if (!Number.isFinite(longest) || !(slope > 0)) return false;
    // Cap the step so exp() stays tame when the information matrix is nearly singular.
    let t = longest > 10 ? 10 / longest : 1;
    if (longest <= 0.1) {
      for (let i = 0; i < m; i++) beta[i]! += step[i]!;
      return true;
    }
    for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
      for (let i = 0; i < m; i++) this.#trial[i] = beta[i]! + t * step[i]!;
      if (logLikelihood(score, this.#trial, m) >= logLik + 1e-4 * t * slope) {
        beta.set(this.#trial);
        return true;
      }
    }
    return false;
  }
}

function logLikelihood(score: Float64Array, beta: Float64Array, m: number): number {
  let total = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const sij = score[i * m + j]!;
      const sji = score[j * m + i]!;
      if (sij + sji === 0) continue;
      const d = beta[i]! - beta[j]!;
      const logLarge = -Math.log1p(Math.exp(-Math.abs(d)));
      const logSmall = -Math.abs(d) + logLarge;
      total += d >= 0 ? sij * logLarge + sji * logSmall : sij * logSmall + sji * logLarge;
    }
  }
  return total;
}

/** Mean zero over each component's core, where ratings are finite and comparable. */
function centreOnCores(beta: Float64Array, structure: ComparisonStructure, m: number): void {
  const sum = new Float64Array(structure.componentCount);
  const size = new Float64Array(structure.componentCount);
  for (let i = 0; i < m; i++) {
    if (!structure.inCore[i]) continue;
    sum[structure.componentOf[i]!]! += beta[i]!;
    size[structure.componentOf[i]!]!++;
  }
  for (let i = 0; i < m; i++) {
    const c = structure.componentOf[i]!;
    beta[i]! -= sum[c]! / size[c]!;
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
