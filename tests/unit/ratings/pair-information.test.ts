/** The value of one more vote on a pair (server/ratings/pair-information.ts), against a brute-force refit of the information. */
import { describe, expect, it } from 'vitest';
import { countBattles } from '../../../server/ratings/counts.ts';
import { inverseSpd } from '../../../server/ratings/dense.ts';
import { robustRatings } from '../../../server/ratings/intervals.ts';
import { pairGains } from '../../../server/ratings/pair-information.ts';
import { rowsFromCounts } from '../../../server/ratings/pair-rows.ts';
import { simulateBattles } from './simulate.ts';

describe('pairGains', () => {
  const counts = countBattles(simulateBattles([0.45, 0.3, 0.25, -0.1, -0.5], 800, 21));
  const result = robustRatings(rowsFromCounts(counts), { priorSd: 400, method: 'fisher' });
  const m = counts.models.length;
  const fit = { models: result.models, ratings: result.ratings, covariance: result.covariance };

  it('equals the fall in neighbour standard errors after adding the vote to the information matrix', () => {
    const gains = pairGains(counts.models, fit, { sharpness: 0 });
    const theta = Array.from(result.fit.params.subarray(0, m));
    const order = theta.map((_, i) => i).sort((x, y) => theta[y]! - theta[x]!);
    const neighbourSds = (covariance: Float64Array) =>
      order.slice(1).map((below, k) => {
        const above = order[k]!;
        return Math.sqrt(covariance[above * m + above]! + covariance[below * m + below]! - 2 * covariance[above * m + below]!);
      });
    const before = neighbourSds(inverseSpd(result.fit.information, m));
    let pair = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++, pair++) {
        const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
        const w = p * (1 - p);
        const information = new Float64Array(result.fit.information);
        information[i * m + i]! += w;
        information[j * m + j]! += w;
        information[i * m + j]! -= w;
        information[j * m + i]! -= w;
        const after = neighbourSds(inverseSpd(information, m));
        const expected = before.reduce((s, sd, k) => s + sd - after[k]!, 0);
        expect(gains[pair]).toBeCloseTo(expected, 12);
      }
    }
  });

  it('discounts neighbours that are already separated', () => {
    const plain = pairGains(counts.models, fit, { sharpness: 0 });
    const focused = pairGains(counts.models, fit);
    // model-3 vs model-4 (160 points apart, well measured) loses most of its weight; model-1 vs model-2 (20 points) keeps it.
    const index = (i: number, j: number) => i * m - (i * (i + 1)) / 2 + (j - i - 1);
    expect(focused[index(3, 4)]! / plain[index(3, 4)]!).toBeLessThan(focused[index(1, 2)]! / plain[index(1, 2)]!);
    expect(focused.every((g, k) => g <= plain[k]! + 1e-15)).toBe(true);
  });
});
