/** Pair sampling (server/arena/sampling.ts): which two models fight, and which one is shown on the left. */
import { describe, expect, it } from 'vitest';
import { type Candidate, samplePair } from '../../../server/arena/sampling.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';

const seeded = (seed: number) => {
  const source = new Xoshiro128(seed);
  return () => source.nextFloat();
};

/** Hands out the given numbers in order, and fails the test if sampling asks for more. */
function scripted(...values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('samplePair drew more random numbers than scripted');
    return next;
  };
}

const pairKey = ([a, b]: [string, string]) => [a, b].sort().join('+');

/** How often each unordered pair came up in `draws` samples. */
function tally(candidates: Candidate[], draws: number, random: () => number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const key = pairKey(samplePair(candidates, random));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Pearson's statistic of `counts` against probabilities proportional to each pair's weight product. */
function chiSquare(candidates: Candidate[], counts: Map<string, number>, draws: number): { statistic: number; pairs: number } {
  const expected = new Map<string, number>();
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const a = candidates[i]!;
      const b = candidates[j]!;
      expected.set(pairKey([a.id, b.id]), a.weight * b.weight);
    }
  }
  const total = [...expected.values()].reduce((s, w) => s + w, 0);
  let statistic = 0;
  for (const [key, weight] of expected) {
    const e = (draws * weight) / total;
    statistic += ((counts.get(key) ?? 0) - e) ** 2 / e;
  }
  return { statistic, pairs: expected.size };
}

// χ² critical values at p = 0.001: a fair sampler fails one seed in a thousand, and these seeds are fixed.
const CHI_SQUARE_999 = { 2: 13.82, 5: 20.52 } as const;

describe('samplePair', () => {
  it('needs at least two models', () => {
    expect(() => samplePair([], Math.random)).toThrow(/at least two models/);
    expect(() => samplePair([{ id: 'solo', weight: 1 }], Math.random)).toThrow(/at least two models/);
  });

  it('always draws two distinct models of the pool', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, weight: i + 1 }));
    const random = seeded(11);
    for (let i = 0; i < 5_000; i++) {
      const [left, right] = samplePair(pool, random);
      expect(left).not.toBe(right);
      expect(pool.map((c) => c.id)).toContain(left);
      expect(pool.map((c) => c.id)).toContain(right);
    }
    // Two models: always that pair.
    expect(
      pairKey(
        samplePair(
          [
            { id: 'x', weight: 1 },
            { id: 'y', weight: 500 },
          ],
          random,
        ),
      ),
    ).toBe('x+y');
  });

  it('draws pairs in proportion to the product of their weights', () => {
    const pool = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 2 },
      { id: 'c', weight: 3 },
      { id: 'd', weight: 4 },
    ];
    const draws = 35_000;
    const counts = tally(pool, draws, seeded(20240601));
    const { statistic, pairs } = chiSquare(pool, counts, draws);
    expect(pairs).toBe(6);
    expect(statistic).toBeLessThan(CHI_SQUARE_999[5]);
    // The heaviest pair (c, d: 12/35) against the lightest (a, b: 2/35), about 6 to 1.
    expect(counts.get('c+d')! / counts.get('a+b')!).toBeGreaterThan(5);
    expect(counts.get('c+d')! / counts.get('a+b')!).toBeLessThan(7);
  });

  it('is uniform over pairs when every weight is the same', () => {
    const pool = ['a', 'b', 'c'].map((id) => ({ id, weight: 7 }));
    const draws = 30_000;
    const { statistic } = chiSquare(pool, tally(pool, draws, seeded(3)), draws);
    expect(statistic).toBeLessThan(CHI_SQUARE_999[2]);
  });

  it('sides the pair by a fair coin', () => {
    const pool = [
      { id: 'heavy', weight: 9 },
      { id: 'light', weight: 1 },
    ];
    const random = seeded(99);
    const draws = 20_000;
    let heavyLeft = 0;
    for (let i = 0; i < draws; i++) if (samplePair(pool, random)[0] === 'heavy') heavyLeft++;
    // Binomial(20 000, ½): the standard deviation is about 71; five of them is far outside chance.
    expect(Math.abs(heavyLeft - draws / 2)).toBeLessThan(5 * Math.sqrt(draws / 4));
    // The coin is the second draw: below ½ keeps the pool's order, otherwise it swaps.
    expect(samplePair(pool, scripted(0.3, 0.49))).toEqual(['heavy', 'light']);
    expect(samplePair(pool, scripted(0.3, 0.5))).toEqual(['light', 'heavy']);
  });

  it('gives the same pair for the same random numbers', () => {
    const pool = ['a', 'b', 'c'].map((id) => ({ id, weight: 1 }));
    // Equal weights: the first draw falls into the pairs (a,b), (a,c), (b,c) in thirds, the second sides them.
    expect(samplePair(pool, scripted(0, 0))).toEqual(['a', 'b']);
    expect(samplePair(pool, scripted(0.34, 0))).toEqual(['a', 'c']);
    expect(samplePair(pool, scripted(0.99, 0.99))).toEqual(['c', 'b']);
    // Exactly two numbers per pair, whatever the pool: one seed gives one sequence of battles.
    const sequence = (seed: number) => {
      const random = seeded(seed);
      return Array.from({ length: 200 }, () => samplePair(pool, random));
    };
    expect(sequence(5)).toEqual(sequence(5));
    expect(sequence(5)).not.toEqual(sequence(6));
  });
});
