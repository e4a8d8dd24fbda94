/** Matchmaking policies (server/arena/matchmaking.ts): each policy's distribution over many seeded draws. */
import { describe, expect, it } from 'vitest';
import {
  activePair,
  activeProbabilities,
  boostedWeights,
  type MatchCandidate,
  type MatchmakingPolicy,
  pickPair,
  uniformPair,
  weightedPair,
} from '../../../server/arena/matchmaking.ts';
import { samplePair } from '../../../server/arena/sampling.ts';
import { countBattles } from '../../../server/ratings/counts.ts';
import { robustRatings } from '../../../server/ratings/intervals.ts';
import { rowsFromCounts } from '../../../server/ratings/pair-rows.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';
import { simulateBattles } from '../ratings/simulate.ts';

const seeded = (seed: number) => {
  const source = new Xoshiro128(seed);
  return () => source.nextFloat();
};

const pairKey = ([a, b]: readonly [string, string]) => [a, b].sort().join('+');

function tally(draw: () => [string, string], draws: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const key = pairKey(draw());
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Pearson's statistic against the given pair probabilities (keys as pairKey). */
function chiSquare(expected: Map<string, number>, counts: Map<string, number>, draws: number): number {
  let statistic = 0;
  for (const [key, p] of expected) statistic += ((counts.get(key) ?? 0) - draws * p) ** 2 / (draws * p);
  for (const key of counts.keys()) if (!expected.has(key)) return Infinity;
  return statistic;
}

function productProbabilities(candidates: readonly { id: string; weight: number }[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) weights.set(pairKey([candidates[i]!.id, candidates[j]!.id]), candidates[i]!.weight * candidates[j]!.weight);
  }
  const total = [...weights.values()].reduce((s, w) => s + w, 0);
  return new Map([...weights].map(([key, w]) => [key, w / total]));
}

// χ² critical values at p = 0.001 by degrees of freedom; the seeds are fixed.
const CHI_SQUARE_999: Record<number, number> = { 2: 13.82, 5: 20.52, 9: 27.88, 14: 36.12 };

const pool: MatchCandidate[] = [
  { id: 'a', weight: 1, votes: 500 },
  { id: 'b', weight: 2, votes: 400 },
  { id: 'c', weight: 1, votes: 20 },
  { id: 'd', weight: 3, votes: 300 },
];

/** A fit of six models of known strength: ratings, covariance. */
const sixModels = (() => {
  const counts = countBattles(simulateBattles([0.5, 0.4, 0.1, 0, -0.3, -0.7], 1500, 9));
  const fit = robustRatings(rowsFromCounts(counts), { priorSd: 400, method: 'fisher' });
  return { candidates: counts.models.map((id) => ({ id, weight: 1 })), fit: { models: fit.models, ratings: fit.ratings, covariance: fit.covariance } };
})();

describe('uniform', () => {
  it('is samplePair on unit weights, draw for draw, whatever the configured weights', () => {
    const one = seeded(1);
    const other = seeded(1);
    const unit = pool.map((c) => ({ id: c.id, weight: 1 }));
    for (let i = 0; i < 2_000; i++) expect(uniformPair(pool, one)).toEqual(samplePair(unit, other));
    expect(pickPair('uniform', pool, null, seeded(5))).toEqual(samplePair(unit, seeded(5)));
  });
});

describe('weighted', () => {
  const random = seeded(77);

  it('is samplePair exactly when no model is boosted or down', () => {
    const one = seeded(2);
    const other = seeded(2);
    for (let i = 0; i < 2_000; i++) expect(weightedPair(pool, one)).toEqual(samplePair(pool, other));
  });

  it('boosts models with fewer than the configured number of votes', () => {
    const options = { boostBelowVotes: 100, boostFactor: 5 };
    expect(boostedWeights(pool, options).map((c) => c.weight)).toEqual([1, 2, 5, 3]);
    const draws = 40_000;
    const counts = tally(() => weightedPair(pool, random, options), draws);
    const expected = productProbabilities(boostedWeights(pool, options));
    expect(chiSquare(expected, counts, draws)).toBeLessThan(CHI_SQUARE_999[5]!);
    // c (20 votes) is in 30/41 of the pairs' weight with the boost, against 6/17 without.
    const withC = [...counts].filter(([key]) => key.includes('c')).reduce((s, [, n]) => s + n, 0) / draws;
    expect(withC).toBeGreaterThan(0.7);
    const without = tally(() => weightedPair(pool, random), draws);
    expect([...without].filter(([key]) => key.includes('c')).reduce((s, [, n]) => s + n, 0) / draws).toBeLessThan(0.38);
  });

  it('excludes models in outage, unless fewer than two would remain', () => {
    const down = pool.map((c) => (c.id === 'd' ? { ...c, outage: true } : c));
    const draws = 20_000;
    const counts = tally(() => weightedPair(down, random), draws);
    expect([...counts.keys()].some((key) => key.includes('d'))).toBe(false);
    expect(chiSquare(productProbabilities(down.filter((c) => !c.outage)), counts, draws)).toBeLessThan(CHI_SQUARE_999[2]!);
    const allButOne = pool.map((c) => ({ ...c, outage: c.id !== 'a' }));
    expect(pool.map((c) => c.id)).toEqual(expect.arrayContaining(weightedPair(allButOne, random)));
    for (const policy of ['active'] as const) {
      const seen = tally(() => pickPair(policy, down, null, random), 2_000);
      expect([...seen.keys()].some((key) => key.includes('d'))).toBe(false);
    }
  });
});

describe('active', () => {
  const { candidates, fit } = sixModels;
  const ids = candidates.map((c) => c.id);
  const keys = ids.flatMap((x, i) => ids.slice(i + 1).map((y) => pairKey([x, y])));

  it('draws pairs with the probabilities it computes from the fit', () => {
    const probabilities = activeProbabilities(ids, fit);
    expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    const draws = 40_000;
    const random = seeded(31);
    const counts = tally(() => activePair(candidates, fit, random), draws);
    const expected = new Map(keys.map((key, k) => [key, probabilities[k]!]));
    expect(chiSquare(expected, counts, draws)).toBeLessThan(CHI_SQUARE_999[14]!);
  });

  it('keeps an exploration floor: every pair has at least floor/pairs and comes up', () => {
    for (const explorationFloor of [0.1, 0.02]) {
      const probabilities = activeProbabilities(ids, fit, { explorationFloor });
      for (const p of probabilities) expect(p).toBeGreaterThanOrEqual(explorationFloor / keys.length - 1e-15);
    }
    const random = seeded(8);
    const counts = tally(() => activePair(candidates, fit, random), 20_000);
    expect(keys.every((key) => (counts.get(key) ?? 0) > 0)).toBe(true);
    expect(() => activeProbabilities(ids, fit, { explorationFloor: 0 })).toThrow(/explorationFloor/);
  });

  it('spends most votes on the neighbours that are not yet separated', () => {
    const probabilities = activeProbabilities(ids, fit);
    const order = ids.map((_, i) => i).sort((x, y) => fit.ratings[y]! - fit.ratings[x]!);
    const adjacent = new Set(order.slice(1).map((below, k) => pairKey([ids[order[k]!]!, ids[below]!])));
    const adjacentShare = keys.reduce((s, key, k) => s + (adjacent.has(key) ? probabilities[k]! : 0), 0);
    expect(adjacentShare).toBeGreaterThan(0.6); // 5 of 15 pairs: a third under uniform
    // The strongest and the weakest are 480 points apart: their pair is hardly worth a vote beyond the floor.
    const far = keys.indexOf(pairKey([ids[order[0]!]!, ids[order[5]!]!]));
    expect(probabilities[far]).toBeLessThan(0.1 / 15 + 0.001);
  });

  it('is uniform without a fit, and explores a model the fit does not know', () => {
    const probabilities = activeProbabilities(ids, null);
    for (const p of probabilities) expect(p).toBeCloseTo(1 / 15, 12);
    const withNewcomer = [...ids, 'newcomer'];
    const p = activeProbabilities(withNewcomer, fit);
    let newcomer = 0;
    let k = 0;
    for (let i = 0; i < withNewcomer.length; i++) {
      for (let j = i + 1; j < withNewcomer.length; j++, k++) if (withNewcomer[j] === 'newcomer') newcomer += p[k]!;
    }
    expect(newcomer).toBeGreaterThan(0.3); // 6 of 21 pairs, 0.29 under uniform, and far more uncertain than the rest
  });
});

describe('every policy', () => {
  it('sides the pair by a fair coin, with exactly two random numbers per battle', () => {
    for (const policy of ['uniform', 'weighted', 'active'] as const satisfies readonly MatchmakingPolicy[]) {
      const random = seeded(12);
      const draws = 20_000;
      let firstLeft = 0;
      const { candidates, fit } = sixModels;
      for (let i = 0; i < draws; i++) {
        const [left, right] = pickPair(policy, candidates, fit, random);
        if (ids(candidates).indexOf(left) < ids(candidates).indexOf(right)) firstLeft++;
      }
      expect(Math.abs(firstLeft - draws / 2)).toBeLessThan(5 * Math.sqrt(draws / 4));
      let calls = 0;
      const counting = () => {
        calls++;
        return 0.4;
      };
      pickPair(policy, candidates, fit, counting);
      expect(calls).toBe(2);
    }
  });
});

function ids(candidates: readonly { id: string }[]): string[] {
  return candidates.map((c) => c.id);
}
