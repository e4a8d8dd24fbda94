import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry, quantileOfSorted, rankUpperBound } from '../../../server/ratings/bootstrap.ts';
import { fitBradleyTerry, ratingsFromTheta, scoreTable } from '../../../server/ratings/bradley-terry.ts';
import { BattleColumnsBuilder, countBattles, countsFromOutcomeCounts } from '../../../server/ratings/counts.ts';
import { PairRefit } from '../../../server/ratings/pair-refit.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';
import { centredRatings, simulateBattles } from './simulate.ts';

const theta = [0.6, 0.35, 0.2, 0.1, 0, -0.05, -0.2, -0.3, -0.45, -0.7];
const counts = countBattles(simulateBattles(theta, 4000, 11));

describe('bootstrapBradleyTerry', () => {
  it('gives identical numbers for the same seed and different ones for another seed', () => {
    const one = bootstrapBradleyTerry(counts, { rounds: 30, seed: 7 });
    const again = bootstrapBradleyTerry(counts, { rounds: 30, seed: 7 });
    const other = bootstrapBradleyTerry(counts, { rounds: 30, seed: 8 });
    expect(again.samples).toEqual(one.samples);
    expect(again.lower).toEqual(one.lower);
    expect(other.samples).not.toEqual(one.samples);
  });

  it('brackets the point estimate with ordered percentiles', () => {
    const point = fitBradleyTerry(counts);
    const boot = bootstrapBradleyTerry(counts, { rounds: 100, seed: 1 }, point.theta);
    expect(boot.nonConverged).toBe(0);
    for (let i = 0; i < counts.models.length; i++) {
      expect(boot.lower[i]).toBeLessThan(boot.median[i]!);
      expect(boot.median[i]).toBeLessThan(boot.upper[i]!);
      expect(point.ratings[i]).toBeGreaterThan(boot.lower[i]!);
      expect(point.ratings[i]).toBeLessThan(boot.upper[i]!);
      // Bootstrap medians sit close to the full-data fit.
      expect(Math.abs(boot.median[i]! - point.ratings[i]!)).toBeLessThan(10);
    }
  });

  it('keeps the anchor model fixed in every resample', () => {
    const boot = bootstrapBradleyTerry(counts, { rounds: 20, seed: 3, anchor: { model: 'model-4', rating: 1200 } });
    expect(boot.lower[4]).toBeCloseTo(1200, 9);
    expect(boot.upper[4]).toBeCloseTo(1200, 9);
  });

  it('covers the true ratings at about the nominal 95% rate', () => {
    // Three independent data sets × 12 models; the truth should fall inside most intervals.
    const strengths = Array.from({ length: 12 }, (_, i) => (i - 5.5) / 8);
    const truth = centredRatings(strengths);
    let covered = 0;
    let total = 0;
    for (const seed of [101, 202, 303]) {
      const simulated = countBattles(simulateBattles(strengths, 6000, seed));
      const boot = bootstrapBradleyTerry(simulated, { rounds: 100, seed });
      truth.forEach((t, i) => {
        total++;
        if (boot.lower[i]! <= t && t <= boot.upper[i]!) covered++;
      });
    }
    expect(covered / total).toBeGreaterThanOrEqual(0.85);
  });

  it('marks a model absent from a resample as missing instead of rating it 1000', () => {
    // C played a single battle, so some resamples leave it out entirely.
    const sparse = countsFromOutcomeCounts([
      { model_a: 'A', model_b: 'B', winner: 'model_a', count: 60 },
      { model_a: 'A', model_b: 'B', winner: 'model_b', count: 40 },
      { model_a: 'C', model_b: 'B', winner: 'tie', count: 1 },
    ]);
    const boot = bootstrapBradleyTerry(sparse, { rounds: 200, seed: 5 });
    const cValues = Array.from({ length: 200 }, (_, r) => boot.samples[r * 3 + 2]!);
    expect(cValues.some(Number.isNaN)).toBe(true);
    expect(Number.isFinite(boot.median[2]!)).toBe(true);
  });
});

describe('quantileOfSorted', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    const values = [1, 2, 3, 4, 5];
    expect(quantileOfSorted(values, 0.5)).toBe(3);
    expect(quantileOfSorted(values, 0.025)).toBeCloseTo(1.1, 12);
    expect(quantileOfSorted(values, 0.975)).toBeCloseTo(4.9, 12);
    expect(quantileOfSorted([7], 0.3)).toBe(7);
    expect(quantileOfSorted([], 0.5)).toBeNaN();
  });
});

describe('rankUpperBound', () => {
  it('counts the models whose lower bound is above this upper bound', () => {
    const lower = [1100, 1090, 1000, 950];
    const upper = [1200, 1150, 1095, 1005];
    expect([...rankUpperBound(lower, upper)]).toEqual([1, 1, 2, 3]);
  });

  it('is the plain rank with shared places when there are no intervals', () => {
    const ratings = [1200, 1100, 1100, 900];
    expect([...rankUpperBound(ratings, ratings)]).toEqual([1, 2, 2, 4]);
  });
});

describe('bootstrap refits', () => {
  const strengths = [0.5, 0.3, 0.2, 0.05, 0, -0.1, -0.3, -0.5];
  const pairsOf = (m: number) => {
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) first.push(i), second.push(j);
    return { first: Int32Array.from(first), second: Int32Array.from(second) };
  };

  it('chord steps on the pair list from the full-data θ reach the cold-start Newton fit (1e-6 points)', () => {
    const full = countBattles(simulateBattles(strengths, 8000, 31));
    const m = full.models.length;
    const point = fitBradleyTerry(full);
    const { first, second } = pairsOf(m);
    const refit = PairRefit.of(m, first, second, scoreTable(full), point.theta, 1e-8)!;
    expect(refit).not.toBeNull();
    for (const seed of [32, 33, 34]) {
      // Another data set of the same models and pairs: what a resample looks like to the refit.
      const other = countBattles(simulateBattles(strengths, 8000, seed));
      const score = scoreTable(other);
      const firstScore = Float64Array.from(first, (i, p) => score[i * m + second[p]!]!);
      const secondScore = Float64Array.from(first, (i, p) => score[second[p]! * m + i]!);
      const theta = point.theta.slice();
      expect(refit.refit(firstScore, secondScore, other.battles, theta)).toBe(true);
      const cold = fitBradleyTerry(other);
      const warm = ratingsFromTheta(theta, other.models);
      for (let i = 0; i < m; i++) expect(Math.abs(warm[i]! - cold.ratings[i]!)).toBeLessThan(1e-6);
    }
  });

  it('leaves a resample whose pairs scored another way round to Newton', () => {
    const full = countBattles(simulateBattles(strengths, 8000, 31));
    const m = full.models.length;
    const { first, second } = pairsOf(m);
    const refit = PairRefit.of(m, first, second, scoreTable(full), fitBradleyTerry(full).theta, 1e-8)!;
    const firstScore = new Float64Array(first.length).fill(10);
    const secondScore = new Float64Array(first.length).fill(10);
    secondScore[0] = 0; // the second model of pair 0 never scored against the first
    const theta = new Float64Array(m);
    expect(refit.refit(firstScore, secondScore, 20 * first.length, theta)).toBe(false);
    expect([...theta]).toEqual(new Array(m).fill(0));
  });

  it('has the spread of resampling the votes one by one (FastChat: sample with replacement)', () => {
    const columns = simulateBattles(strengths, 6000, 41);
    const full = countBattles(columns);
    const m = full.models.length;
    const rounds = 300;
    const ours = bootstrapBradleyTerry(full, { rounds, seed: 2 });
    // Per vote: draw 6,000 of the votes with replacement, count, fit.
    const random = new Xoshiro128(77);
    const perVote = new Float64Array(rounds * m);
    for (let r = 0; r < rounds; r++) {
      const builder = new BattleColumnsBuilder();
      for (const id of columns.models) builder.idOf(id);
      for (let k = 0; k < columns.length; k++) {
        const v = Math.floor(random.nextFloat() * columns.length);
        builder.addIds(columns.modelA[v]!, columns.modelB[v]!, columns.outcome[v]!);
      }
      perVote.set(fitBradleyTerry(countBattles(builder.build())).ratings, r * m);
    }
    const sd = (samples: Float64Array, i: number) => {
      const column = Array.from({ length: rounds }, (_, r) => samples[r * m + i]!);
      const mean = column.reduce((a, b) => a + b, 0) / rounds;
      return Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / (rounds - 1));
    };
    for (let i = 0; i < m; i++) {
      // Each sd from 300 rounds carries ~4% Monte Carlo error; 20% is five of their differences' errors.
      expect(sd(ours.samples, i) / sd(perVote, i)).toBeGreaterThan(0.8);
      expect(sd(ours.samples, i) / sd(perVote, i)).toBeLessThan(1.25);
    }
  });
});
