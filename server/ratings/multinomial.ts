/**
 * Many Multinomial(N; weights) draws over the same cells (the bootstrap's resamples), exact and
 * about one uniform per cell, by Poissonization: cell k first gets Poisson(s·wₖ) with s·Σw a little
 * below N (T = their sum is then Poisson, and given T they are the counts of T independent draws
 * of a cell), then the N − T draws still missing are drawn one by one from an alias table. Given
 * any T ≤ N that is N independent draws, so exactly Multinomial(N; w/Σw); when T > N (about once in
 * 10⁹ rounds) the round is drawn by the conditional binomials of random.ts instead.
 *
 * Poisson(s·w) is Poisson(s·B) q times, plus Poisson(s·r), plus Poisson(s·f) for w = q·B + r + f
 * (r < B an integer, f < 1): each integer mean has a cumulative table searched from a guide table
 * (about one comparison), shared by every cell with that many votes; f's small mean, left by prompt
 * deduplication's fractional weights, is drawn by inversion from its precomputed e^(−s·f).
 */
import { multinomial, type RandomSource } from './random.ts';

/** Votes per shared Poisson table; larger cells add several of its draws. */
const BLOCK = 256;
/** Relative distance below which a weight counts as the integer it rounds to. */
const SNAP = 1e-9;
/** The largest Poisson mean per unit of weight the tables serve (a block's mean is then at most 512). */
const MAX_SCALE = 2;
/**
 * The Poisson part aims this many standard deviations below N: T > N (a round drawn again by the
 * chain) about once in 700 rounds, and about 3√N draws left for the alias table.
 */
const MARGIN_SD = 3;
/** A Poisson table ends where the next term is below this (the tail beyond is never reached in 2⁵³ draws). */
const TAIL = 2 ** -60;

/** Inverse-CDF table of one Poisson mean, with a guide table of equal length. */
interface PoissonTable {
  cdf: Float64Array;
  guide: Int32Array;
}

function poissonTable(mean: number): PoissonTable {
  const terms: number[] = [];
  let pmf = Math.exp(-mean);
  let cumulative = 0;
  for (let k = 0; ; k++) {
    if (k > 0) pmf *= mean / k;
    cumulative += pmf;
    terms.push(cumulative);
    if (k > mean && pmf < TAIL) break;
  }
  const cdf = Float64Array.from(terms);
  const n = cdf.length;
  const guide = new Int32Array(n);
  for (let g = 0, k = 0; g < n; g++) {
    while (k < n - 1 && cdf[k]! <= g / n) k++;
    guide[g] = k;
  }
  return { cdf, guide };
}

/** Uniforms as xoshiro128** gives them: 32 random bits at a time (random.ts). */
export type Uniform32 = RandomSource & { nextUint32(): number };

const TWO_POW_32 = 2 ** -32;
const TWO_POW_53 = 2 ** -53;

/**
 * A Poisson variate from its table, by inversion of a 53-bit uniform u whose high 32 bits come
 * first: they place u in an interval of width 2⁻³², and the last 21 bits are drawn only when a
 * table entry falls inside it (about once in 10⁷ draws). Beyond the table's last entry (mass < 2⁻⁵⁰)
 * the variate is drawn again.
 */
function fromTable(random: Uniform32, table: PoissonTable): number {
  const { cdf, guide } = table;
  const n = cdf.length;
  for (;;) {
    const high = random.nextUint32();
    const u = high * TWO_POW_32;
    let k = guide[Math.floor(u * n)]!;
    while (k < n && cdf[k]! <= u) k++;
    if (k < n && cdf[k]! >= u + TWO_POW_32) return k;
    const exact = (high * 2097152 + (random.nextUint32() >>> 11)) * TWO_POW_53;
    while (k < n && cdf[k]! <= exact) k++;
    if (k < n) return k;
  }
}

/**
 * Below this an alias table's cell is "small". Integer weights often leave a cell at exactly 1 in
 * exact arithmetic; without the margin, rounding would decide which way it goes, and the same votes
 * counted in another order (the maintained counts, the votes) would give other tables and draws.
 */
const BELOW_ONE = 1 - 1e-9;

/** Vose's alias table over the cells: one uniform cell index, then one accept-or-alias test. */
function aliasTable(weights: Float64Array, total: number): { accept: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const accept = new Float64Array(n);
  const alias = new Int32Array(n);
  // Two stacks in one array: cells below one from the front, the others from the back.
  const stack = new Int32Array(n);
  let small = 0;
  let large = n;
  for (let k = 0; k < n; k++) {
    accept[k] = (weights[k]! * n) / total;
    alias[k] = k;
    if (accept[k]! < BELOW_ONE) stack[small++] = k;
    else stack[--large] = k;
  }
  while (small > 0 && large < n) {
    const s = stack[--small]!;
    const l = stack[large]!;
    alias[s] = l;
    accept[l] = accept[l]! + accept[s]! - 1;
    if (accept[l]! < BELOW_ONE) {
      large++;
      stack[small++] = l;
    }
  }
  // Rounding leftovers keep their own cell; an empty cell never (it then always takes its alias).
  const positive = weights.findIndex((w) => w > 0);
  const leftover = (k: number) => {
    accept[k] = weights[k]! > 0 ? 1 : 0;
    if (accept[k] === 0) alias[k] = positive;
  };
  for (let i = 0; i < small; i++) leftover(stack[i]!);
  for (let i = large; i < n; i++) leftover(stack[i]!);
  return { accept, alias };
}

type Alias = { accept: Float64Array; alias: Int32Array };

/** One cell drawn from an alias table (two uniforms). */
function aliasDraw(random: RandomSource, table: Alias): number {
  const k = Math.floor(random.nextFloat() * table.accept.length);
  return random.nextFloat() < table.accept[k]! ? k : table.alias[k]!;
}

export class MultinomialSampler {
  readonly #total: number;
  readonly #weights: Float64Array;
  /** Per cell: whole blocks of BLOCK votes, and the table of the integer rest (−1: none). */
  readonly #blocks: Int32Array;
  readonly #rest: Int32Array;
  readonly #tables: PoissonTable[] = [];
  readonly #blockTable: PoissonTable | null;
  /** Every cell's fractional weight at once: Poisson(s·Σf) blocks and rest, then split over the cells in proportion to f. */
  readonly #fractions: { blocks: number; rest: PoissonTable; cells: Alias } | null = null;
  readonly #alias: Alias | null;
  /** Every draw by the chain of conditional binomials (too few weights for the draws, or too few draws for the Poisson part). */
  readonly #chain: boolean;

  /** `total` draws (an integer) over cells of non-negative `weights` (not all zero unless total is 0). */
  constructor(total: number, weights: Float64Array) {
    if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
    this.#total = total;
    this.#weights = weights;
    const n = weights.length;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += weights[k]!;
    if (total > 0 && !(sum > 0)) throw new RangeError('multinomial draws need a positive weight');
    const budget = Math.max(0, total - MARGIN_SD * Math.sqrt(total));
    // Tables stay small (and e^(−mean) far from underflow) while a vote's mean is at most MAX_SCALE:
    // the bootstrap draws N ≈ Σw. Other uses draw every round by the chain (scale 0).
    const scaled = sum > 0 ? budget / sum : 0;
    const scale = scaled <= MAX_SCALE ? scaled : 0;
    this.#chain = total > 0 && scale === 0;
    this.#blocks = new Int32Array(n);
    this.#rest = new Int32Array(n).fill(-1);
    const fractions = new Float64Array(n);
    let fractionSum = 0;
    const tableOf = new Int32Array(BLOCK).fill(-1);
    for (let k = 0; k < n && scale > 0; k++) {
      const w = weights[k]!;
      // A weight a rounding error away from an integer is that integer: the same votes counted in
      // another order (weighted counts summed vote by vote, or subtracted from the maintained
      // counts) then give the same draws.
      const whole = Math.floor(w + SNAP * Math.max(1, w));
      this.#blocks[k] = Math.floor(whole / BLOCK);
      const rest = whole % BLOCK;
      if (rest > 0) {
        if (tableOf[rest]! < 0) {
          tableOf[rest] = this.#tables.length;
          this.#tables.push(poissonTable(rest * scale));
        }
        this.#rest[k] = tableOf[rest]!;
      }
      fractions[k] = Math.max(0, w - whole);
      fractionSum += fractions[k]!;
    }
    this.#blockTable = scale > 0 ? poissonTable(BLOCK * scale) : null;
    if (scale > 0 && fractionSum > 0) {
      const mean = fractionSum * scale;
      const blocks = Math.floor(mean / (BLOCK * scale));
      this.#fractions = { blocks, rest: poissonTable(mean - blocks * BLOCK * scale), cells: aliasTable(fractions, fractionSum) };
    }
    this.#alias = total > 0 ? aliasTable(weights, sum) : null;
  }

  /** One Multinomial(total; weights/Σweights) draw into `out` (one entry per cell). */
  draw(random: Uniform32, out: Float64Array): void {
    const n = this.#weights.length;
    const total = this.#total;
    const blocks = this.#blocks;
    const rests = this.#rest;
    const tables = this.#tables;
    if (this.#chain) {
      multinomial(random, total, this.#weights, out);
      return;
    }
    let drawn = 0;
    for (let k = 0; k < n; k++) {
      let x = 0;
      for (let b = blocks[k]!; b > 0; b--) x += fromTable(random, this.#blockTable!);
      const rest = rests[k]!;
      if (rest >= 0) x += fromTable(random, tables[rest]!);
      out[k] = x;
      drawn += x;
    }
    for (let k = n; k < out.length; k++) out[k] = 0;
    const fractions = this.#fractions;
    if (fractions) {
      let count = fromTable(random, fractions.rest);
      for (let b = fractions.blocks; b > 0; b--) count += fromTable(random, this.#blockTable!);
      for (let d = 0; d < count; d++) out[aliasDraw(random, fractions.cells)]!++;
      drawn += count;
    }
    if (drawn > total) {
      multinomial(random, total, this.#weights, out);
      return;
    }
    for (let d = drawn; d < total; d++) out[aliasDraw(random, this.#alias!)]!++;
  }
}
