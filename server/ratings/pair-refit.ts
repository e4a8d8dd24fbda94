/**
 * The bootstrap's refits on the list of compared pairs (pure). A resample lies near the full data,
 * so each refit starts from the full-data θ and takes chord steps: Newton steps with the full
 * data's information matrix, factorised once per job, so a step costs O(pairs + m²), not an O(m³)
 * factorisation, and the fixed point (gradient zero, same tolerance) is the same. A resample whose
 * pairs scored the same way round as the full data's (every pair's "i scored against j" and "j
 * against i" as in the full data) has the full data's comparison structure; any other, or one the
 * chord does not settle, is left to the dense solver (bt-solver.ts).
 */
import { addPairInformation } from './bt-solver.ts';
import { choleskyFactorInPlace } from './cholesky.ts';
import { analyseComparisons } from './comparison-graph.ts';

const LN10 = Math.LN10;
/** Chord steps before a refit gives up (they converge linearly, fast near the reference point). */
const CHORD_ITERATIONS = 30;

export class PairRefit {
  readonly #m: number;
  readonly #first: Int32Array;
  readonly #second: Int32Array;
  /** Per pair: 1 when the first scored against the second in the full data, 2 when the reverse, 3 both. */
  readonly #pattern: Uint8Array;
  readonly #componentOf: Int32Array;
  readonly #componentCount: number;
  /** Free-variable index of each model (−1: pinned, one per component), the factor L and Lᵀ row by row. */
  readonly #freeIndex: Int32Array;
  readonly #free: number;
  readonly #lower: Float64Array;
  readonly #upper: Float64Array;
  readonly #tolerance: number;
  readonly #beta: Float64Array;
  readonly #strength: Float64Array;
  readonly #gradient: Float64Array;
  readonly #rhs: Float64Array;

  /**
   * For pairs (first[p] < second[p]) of m models, the full data's score table (bradley-terry.ts
   * scoreTable) and its solution θ; null when the full data has separated models (the dense solver
   * then refits every round).
   */
  static of(m: number, first: Int32Array, second: Int32Array, score: Float64Array, theta: Float64Array, tolerance: number): PairRefit | null {
    const structure = analyseComparisons(score, m);
    if (structure.separated.length > 0) return null;
    return new PairRefit(m, first, second, score, theta, tolerance, structure.componentOf, structure.componentCount);
  }

  private constructor(
    m: number,
    first: Int32Array,
    second: Int32Array,
    score: Float64Array,
    theta: Float64Array,
    tolerance: number,
    componentOf: Int32Array,
    componentCount: number,
  ) {
    this.#m = m;
    this.#first = first;
    this.#second = second;
    this.#tolerance = tolerance;
    this.#componentOf = componentOf;
    this.#componentCount = componentCount;
    const pairs = first.length;
    this.#pattern = new Uint8Array(pairs);
    for (let p = 0; p < pairs; p++) {
      const i = first[p]!;
      const j = second[p]!;
      this.#pattern[p] = (score[i * m + j]! > 0 ? 1 : 0) | (score[j * m + i]! > 0 ? 2 : 0);
    }
    const pinned = new Uint8Array(componentCount);
    this.#freeIndex = new Int32Array(m);
    let free = 0;
    for (let i = 0; i < m; i++) {
      const c = componentOf[i]!;
      if (!pinned[c]) {
        pinned[c] = 1;
        this.#freeIndex[i] = -1;
      } else {
        this.#freeIndex[i] = free++;
      }
    }
    this.#free = free;
    // The information (−Hessian) of the free variables at the full-data solution.
    const info = new Float64Array(free * free);
    for (let p = 0; p < pairs; p++) {
      const i = first[p]!;
      const j = second[p]!;
      const n = score[i * m + j]! + score[j * m + i]!;
      if (n === 0) continue;
      const prob = 1 / (1 + Math.exp(-(theta[i]! - theta[j]!) * LN10));
      const w = n * prob * (1 - prob);
      addPairInformation(info, free, this.#freeIndex[i]!, this.#freeIndex[j]!, w);
    }
    choleskyFactorInPlace(info, free);
    this.#lower = info;
    // Lᵀ row by row, so the back substitution reads memory in order too.
    this.#upper = new Float64Array(free * free);
    for (let i = 0; i < free; i++) for (let k = 0; k <= i; k++) this.#upper[k * free + i] = info[i * free + k]!;
    this.#beta = new Float64Array(m);
    this.#strength = new Float64Array(m);
    this.#gradient = new Float64Array(m);
    this.#rhs = new Float64Array(free);
  }

  /**
   * Refits the resample with pair scores `firstScore[p]` (what first[p] scored against second[p])
   * and `secondScore[p]`, from `theta` (the full-data θ): true with the solution in `theta`, centred
   * on each component, when the resample has the full data's structure and the chord reached the
   * tolerance; false (theta untouched) otherwise.
   */
  refit(firstScore: Float64Array, secondScore: Float64Array, battles: number, theta: Float64Array): boolean {
    const pairs = this.#first.length;
    for (let p = 0; p < pairs; p++) {
      if (((firstScore[p]! > 0 ? 1 : 0) | (secondScore[p]! > 0 ? 2 : 0)) !== this.#pattern[p]) return false;
    }
    const m = this.#m;
    const beta = this.#beta;
    const free = this.#free;
    const freeIndex = this.#freeIndex;
    const rhs = this.#rhs;
    for (let i = 0; i < m; i++) beta[i] = theta[i]! * LN10;
    const perBattle = LN10 / Math.max(battles, 1);
    for (let iteration = 0; iteration < CHORD_ITERATIONS; iteration++) {
      if (!this.#fillGradient(firstScore, secondScore)) return false;
      let sum = 0;
      for (let i = 0; i < m; i++) sum += this.#gradient[i]! ** 2;
      const gradNorm = Math.sqrt(sum) * perBattle;
      if (!Number.isFinite(gradNorm)) return false;
      const settled = gradNorm < this.#tolerance;
      for (let i = 0; i < m; i++) if (freeIndex[i]! >= 0) rhs[freeIndex[i]!] = this.#gradient[i]!;
      substitute(this.#lower, this.#upper, rhs, free);
      for (let i = 0; i < m; i++) if (freeIndex[i]! >= 0) beta[i]! += rhs[freeIndex[i]!]!;
      if (settled) {
        // The step from the settled gradient is taken too (it costs no gradient): as Newton's
        // polishing step, it takes θ well below the 1e-8 gradient's error (~1e-6 points).
        this.#centre(theta);
        return true;
      }
    }
    return false;
  }

  /**
   * ∂ℓ/∂β over the pairs: with strengths e_i = exp(β_i − max β), P(i beats j) = e_i / (e_i + e_j),
   * one exp per model. False when a strength would underflow (β spread over 700; the dense solver then refits).
   */
  #fillGradient(firstScore: Float64Array, secondScore: Float64Array): boolean {
    const m = this.#m;
    const beta = this.#beta;
    const strength = this.#strength;
    const gradient = this.#gradient.fill(0);
    let top = -Infinity;
    for (let i = 0; i < m; i++) top = Math.max(top, beta[i]!);
    for (let i = 0; i < m; i++) {
      strength[i] = Math.exp(beta[i]! - top);
      if (!(strength[i]! > 1e-300)) return false;
    }
    const first = this.#first;
    const second = this.#second;
    for (let p = 0; p < first.length; p++) {
      const i = first[p]!;
      const j = second[p]!;
      const ei = strength[i]!;
      const ej = strength[j]!;
      const residual = (firstScore[p]! * ej - secondScore[p]! * ei) / (ei + ej);
      gradient[i]! += residual;
      gradient[j]! -= residual;
    }
    return true;
  }

  /** θ = β/ln10 with mean zero over each component (every model is in its component's core). */
  #centre(theta: Float64Array): void {
    const m = this.#m;
    const sum = new Float64Array(this.#componentCount);
    const size = new Float64Array(this.#componentCount);
    for (let i = 0; i < m; i++) {
      sum[this.#componentOf[i]!]! += this.#beta[i]!;
      size[this.#componentOf[i]!]!++;
    }
    for (let i = 0; i < m; i++) {
      const c = this.#componentOf[i]!;
      theta[i] = (this.#beta[i]! - sum[c]! / size[c]!) / LN10;
    }
  }
}

/** Solves L·Lᵀ·x = b in place of b, from L and Lᵀ both stored row by row. */
function substitute(lower: Float64Array, upper: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const row = i * n;
    for (let k = 0; k < i; k++) s -= lower[row + k]! * b[k]!;
    b[i] = s / lower[row + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    const row = i * n;
    for (let k = i + 1; k < n; k++) s -= upper[row + k]! * b[k]!;
    b[i] = s / upper[row + i]!;
  }
}
