/** Neighbour resolution (server/ratings/neighbours.ts). */
import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry } from '../../../server/ratings/bootstrap.ts';
import { fitBradleyTerry } from '../../../server/ratings/bradley-terry.ts';
import { countBattles } from '../../../server/ratings/counts.ts';
import { robustRatings } from '../../../server/ratings/intervals.ts';
import { neighboursFromCovariance, neighboursFromSamples, votesToSeparate } from '../../../server/ratings/neighbours.ts';
import { POINTS_PER_NAT } from '../../../server/ratings/pair-model.ts';
import { rowsFromCounts } from '../../../server/ratings/pair-rows.ts';
import { simulateBattles } from './simulate.ts';

/** Two models, x won `share` of `votes` decisive votes (fractional counts: exactly that win rate). */
function twoModels(votes: number, share: number) {
  const rows = {
    models: ['x', 'y'],
    length: 2,
    a: Int32Array.of(0, 0),
    b: Int32Array.of(1, 1),
    y: Float64Array.of(1, 0),
    count: Float64Array.of(votes * share, votes * (1 - share)),
  };
  return robustRatings(rows, { method: 'fisher' });
}

describe('votesToSeparate', () => {
  it('predicts exactly how many direct votes at the current win rate clear zero (constructed case: 55 of 100)', () => {
    // d = ln(55/45) ≈ 0.2007, Var = 1/(100·0.55·0.45): (z/d)² ≈ 95.4 against 1/Var = 24.75, at p(1−p) = 0.2475 per vote.
    const now = twoModels(100, 0.55);
    const [pair] = neighboursFromCovariance(now);
    expect(pair).toMatchObject({ above: 'x', below: 'y', separated: false });
    const d = Math.log(55 / 45);
    const expected = Math.ceil(((1.959963984540054 / d) ** 2 - 100 * 0.2475) / 0.2475);
    expect(pair!.votesToSeparate).toBe(expected);
    expect(expected).toBe(286);
    // The same win rate over that many more votes separates them; one vote fewer does not.
    expect(neighboursFromCovariance(twoModels(100 + expected, 0.55))[0]!.separated).toBe(true);
    expect(neighboursFromCovariance(twoModels(100 + expected - 1, 0.55))[0]!.separated).toBe(false);
  });

  it('is 0 once separated and null when the pair looks tied', () => {
    const [separated] = neighboursFromCovariance(twoModels(400, 0.7));
    expect(separated).toMatchObject({ separated: true, votesToSeparate: 0 });
    expect(votesToSeparate(0, 30)).toBeNull();
    expect(votesToSeparate(0.01, 30)).toBeNull(); // billions of votes: as good as tied
    expect(votesToSeparate(20, Infinity)).toBeNull();
    expect(votesToSeparate(20, 30, { maxVotes: 10 })).toBeNull();
    expect(votesToSeparate(20, 30)).toBeGreaterThan(0);
  });
});

describe('neighboursFromCovariance and neighboursFromSamples', () => {
  const theta = [0.6, 0.35, 0.3, 0.0, -0.45, -0.8];
  const counts = countBattles(simulateBattles(theta, 6000, 3));

  it('lists each adjacent pair in rating order with the interval of the difference', () => {
    const robust = robustRatings(rowsFromCounts(counts));
    const neighbours = neighboursFromCovariance(robust);
    const order = counts.models.map((_, i) => i).sort((x, y) => robust.ratings[y]! - robust.ratings[x]!);
    expect(neighbours.map((n) => [n.above, n.below])).toEqual(order.slice(1).map((below, k) => [counts.models[order[k]!], counts.models[below]]));
    for (const n of neighbours) {
      const i = counts.models.indexOf(n.above);
      const j = counts.models.indexOf(n.below);
      const estimate = robust.ratings[i]! - robust.ratings[j]!;
      expect(n.diff.lower).toBeLessThan(estimate);
      expect(n.diff.upper).toBeGreaterThan(estimate);
      expect(n.separated).toBe(n.diff.lower > 0);
      expect(n.votesToSeparate === 0).toBe(n.separated);
    }
    // 0.35 vs 0.3 (20 points) is close; 0.0 vs −0.45 (180 points) is clear.
    expect(neighbours.find((n) => n.above === 'model-1')?.separated).toBe(false);
    expect(neighbours.find((n) => n.above === 'model-3')?.separated).toBe(true);
  });

  it('from bootstrap resamples, agrees with the covariance intervals on well-measured pairs', () => {
    const fit = fitBradleyTerry(counts);
    const boot = bootstrapBradleyTerry(counts, { rounds: 200, seed: 4 }, fit.theta);
    const fromSamples = neighboursFromSamples({ models: counts.models, ratings: fit.ratings, samples: boot.samples });
    const fromCovariance = neighboursFromCovariance(robustRatings(rowsFromCounts(counts)));
    expect(fromSamples.map((n) => n.above)).toEqual(fromCovariance.map((n) => n.above));
    fromSamples.forEach((n, k) => {
      const other = fromCovariance[k]!;
      expect(Math.abs(n.diff.lower - other.diff.lower)).toBeLessThan(12);
      expect(Math.abs(n.diff.upper - other.diff.upper)).toBeLessThan(12);
      expect(n.separated).toBe(n.diff.lower > 0);
    });
  });

  it('skips rounds a model sat out', () => {
    const samples = Float64Array.of(1100, 1000, NaN, 1000, 1120, 990, 1090, 1010);
    const [pair] = neighboursFromSamples({ models: ['x', 'y'], ratings: [1100, 1000], samples });
    expect(pair!.diff.lower).toBeGreaterThan(0);
    expect(pair!.separated).toBe(true);
    expect(POINTS_PER_NAT).toBeCloseTo(400 / Math.LN10, 12);
  });
});
