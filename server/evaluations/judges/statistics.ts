/**
 * Small statistics for judge calibration (pure): Wilson's interval for a proportion, a seeded
 * percentile bootstrap, and rank correlations (Spearman's ρ with average ranks for ties, Kendall's τ-b).
 */
import type { Interval } from '../../../protocol/judges.ts';
import { Xoshiro128 } from '../../ratings/random.ts';

const Z95 = 1.959963984540054;

/** Wilson score interval (95%) of `successes` out of `n`; null without trials. */
export function wilsonInterval(successes: number, n: number): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * 95% percentile bootstrap of `statistic` over `items` resampled with replacement, from a fixed
 * seed (the same data give the same interval). Rounds where the statistic is undefined are dropped;
 * null when fewer than half the rounds give a value, or with fewer than two items.
 */
export function bootstrapInterval<T>(items: readonly T[], statistic: (sample: readonly T[]) => number | null, rounds = 500, seed = 1): Interval | null {
  if (items.length < 2) return null;
  const random = new Xoshiro128(seed);
  const values: number[] = [];
  const sample: T[] = new Array(items.length);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[Math.floor(random.nextFloat() * items.length)]!;
    const value = statistic(sample);
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  if (values.length < rounds / 2) return null;
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { lower: at(0.025), upper: at(0.975) };
}

/** Ranks from 1 (largest value first), ties sharing the average of their places. */
function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}

/** Spearman's ρ: Pearson's correlation of the ranks. Null with fewer than two values or no spread. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  return a.length < 2 ? null : pearson(averageRanks(a), averageRanks(b));
}

/** Kendall's τ-b (ties corrected). Null with fewer than two values or no spread. */
export function kendallTauB(a: readonly number[], b: readonly number[]): number | null {
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return a.length < 2 || denominator === 0 ? null : (concordant - discordant) / denominator;
}
