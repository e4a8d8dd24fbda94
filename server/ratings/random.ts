/**
 * Seedable randomness for the bootstrap: xoshiro128** (seeded through splitmix32), exact binomial
 * variates (inversion for small means, Hörmann's BTRS transformed rejection otherwise) and a
 * multinomial drawn as a chain of conditional binomials. Same seed, same numbers, on every platform.
 */

export interface RandomSource {
  /** Uniform on [0, 1) with 53 random bits. */
  nextFloat(): number;
}

/** xoshiro128** (Blackman & Vigna): 128-bit state, period 2^128 − 1, 32-bit outputs. */
export class Xoshiro128 implements RandomSource {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /**
   * `stream` picks one of many independent sequences of the same seed (stream 0 is the seed's own):
   * the bootstrap gives round r stream r + 1, so a round's numbers do not depend on which thread
   * runs it or on the rounds before it.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`stream must be a non-negative safe integer, got ${stream}`);
    const base = (seed % 0x100000000) ^ (Math.floor(seed / 0x100000000) * 0x632be5ab);
    // splitmix32 spreads any seed (including 0) over a state that is never all zero in practice;
    // a stream moves its starting point by a hash of the stream number.
    const next = splitmix32(stream === 0 ? base : base ^ mix32(stream));
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next() | 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A 32-bit avalanche of an integer (a bijection below 2^32): distinct streams start far apart. */
function mix32(n: number): number {
  let z = Math.imul((n % 0x100000000) ^ Math.floor(n / 0x100000000), 0x9e3779b1) ^ 0x5bd1e995;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state ^ (state >>> 16);
    z = Math.imul(z, 0x21f0aaad);
    z ^= z >>> 15;
    z = Math.imul(z, 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

const LOG_FACTORIAL_TABLE_SIZE = 1024;
const logFactorialTable = (() => {
  const table = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
  for (let k = 1; k < LOG_FACTORIAL_TABLE_SIZE; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
})();
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) — a table below 1024, Stirling's series (error < 1e-17 relative) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return logFactorialTable[k]!;
  const inv = 1 / k;
  const inv2 = inv * inv;
  return (k + 0.5) * Math.log(k) - k + HALF_LOG_2PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** An exact Binomial(n, p) variate. */
export function binomial(random: RandomSource, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  return n * p < 10 ? binomialByInversion(random, n, p) : binomialBtrs(random, n, p);
}

/** Sequential search of the CDF from 0: expected n·p + 1 steps, so only for small means. */
function binomialByInversion(random: RandomSource, n: number, p: number): number {
  const q = 1 - p;
  const ratio = p / q;
  const start = q ** n;
  for (;;) {
    let u = random.nextFloat();
    let probability = start;
    let x = 0;
    while (u > probability && x < n) {
      u -= probability;
      x++;
      probability *= ((n - x + 1) / x) * ratio;
    }
    // Rounding can leave u above the whole remaining mass; draw again rather than bias the tail.
    if (u <= probability) return x;
  }
}

/**
 * BTRS (W. Hörmann, "The generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993):
 * transformed rejection with a squeeze; exact, about 1.15 uniforms pairs per variate for n·p ≥ 10.
 */
function binomialBtrs(random: RandomSource, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const acceptQuickly = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  // What only the slow test needs (about one draw in six) is computed on its first use.
  let logOdds = Number.NaN;
  let mode = 0;
  let logModeMass = 0;
  for (;;) {
    const u = random.nextFloat() - 0.5;
    let v = random.nextFloat();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= acceptQuickly) return k;
    if (Number.isNaN(logOdds)) {
      logOdds = Math.log(p / q);
      mode = Math.floor((n + 1) * p);
      logModeMass = logFactorial(mode) + logFactorial(n - mode);
    }
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= logModeMass - logFactorial(k) - logFactorial(n - k) + (k - mode) * logOdds) return k;
  }
}

/**
 * Multinomial(total; weights/Σweights) into `out`, as conditional binomials cell by cell: cell k gets
 * Binomial(remaining draws, w_k / remaining weight). Exact; cost O(cells) plus the binomials.
 */
export function multinomial(random: RandomSource, total: number, weights: Float64Array, out: Float64Array): void {
  let remainingWeight = 0;
  let last = -1;
  for (let k = 0; k < weights.length; k++) {
    remainingWeight += weights[k]!;
    if (weights[k]! > 0) last = k;
  }
  let remaining = total;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    // The last cell takes what is left: rounding in the running weight must not decide whether it
    // draws (and so shift every later draw of the stream).
    const x = remaining > 0 && w > 0 ? (k === last ? remaining : binomial(random, remaining, w >= remainingWeight ? 1 : w / remainingWeight)) : 0;
    out[k] = x;
    remaining -= x;
    remainingWeight -= w;
  }
}
