import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry, quantileOfSorted, rankUpperBound } from '../../../server/ratings/bootstrap.ts';
import { fitBradleyTerry } from '../../../server/ratings/bradley-terry.ts';
import { countBattles, countsFromOutcomeCounts } from '../../../server/ratings/counts.ts';
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
