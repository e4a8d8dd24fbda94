import { describe, expect, it } from 'vitest';
import { binomial, logFactorial, multinomial, Xoshiro128 } from '../../../server/ratings/random.ts';

describe('Xoshiro128', () => {
  it('is reproducible per seed and spreads seeds apart', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.nextUint32()
        )(new Xoshiro128(seed)),
      );
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(0)).not.toEqual(draw(2 ** 32)); // high bits of the seed matter
  });

  it('draws floats in [0, 1) with mean 1/2 and variance 1/12', () => {
    const random = new Xoshiro128(9);
    let sum = 0;
    let sumSquares = 0;
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = random.nextFloat();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSquares += u * u;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSquares / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Xoshiro128(1.5)).toThrow(RangeError);
  });
});

describe('logFactorial', () => {
  it('matches the summed logarithms on both sides of the table', () => {
    let exact = 0;
    for (let k = 1; k <= 5000; k++) {
      exact += Math.log(k);
      if (k === 10 || k === 1023 || k === 1024 || k === 5000) expect(logFactorial(k)).toBeCloseTo(exact, 8);
    }
    expect(logFactorial(0)).toBe(0);
  });
});

describe('binomial', () => {
  it.each([
    [20, 0.3], // inversion
    [1000, 0.004], // inversion, small p
    [200, 0.5], // rejection
    [10_000_000, 0.02], // rejection, large n
    [50, 0.93], // p above 1/2
  ])('Binomial(%i, %f) has the right mean and variance', (n, p) => {
    const random = new Xoshiro128(n);
    const draws = 40_000;
    let sum = 0;
    let sumSquares = 0;
    let invalid = 0;
    for (let i = 0; i < draws; i++) {
      const x = binomial(random, n, p);
      if (!(Number.isInteger(x) && x >= 0 && x <= n)) invalid++;
      sum += x;
      sumSquares += x * x;
    }
    expect(invalid).toBe(0);
    const mean = sum / draws;
    const variance = sumSquares / draws - mean * mean;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws));
    expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95);
    expect(variance / (n * p * (1 - p))).toBeLessThan(1.05);
  });

  it('handles the degenerate cases', () => {
    const random = new Xoshiro128(1);
    expect(binomial(random, 0, 0.5)).toBe(0);
    expect(binomial(random, 10, 0)).toBe(0);
    expect(binomial(random, 10, 1)).toBe(10);
  });
});

describe('multinomial', () => {
  it('keeps the total, leaves empty cells empty, and follows the weights', () => {
    const random = new Xoshiro128(4);
    const weights = Float64Array.from([5, 0, 3, 2]);
    const out = new Float64Array(4);
    const totals = new Float64Array(4);
    let wrongTotals = 0;
    for (let r = 0; r < 2000; r++) {
      multinomial(random, 1000, weights, out);
      if (out.reduce((a, b) => a + b, 0) !== 1000) wrongTotals++;
      out.forEach((x, k) => (totals[k]! += x));
    }
    expect(wrongTotals).toBe(0);
    expect(totals[1]).toBe(0);
    expect(totals[0]! / 2_000_000).toBeCloseTo(0.5, 2);
    expect(totals[2]! / 2_000_000).toBeCloseTo(0.3, 2);
    expect(totals[3]! / 2_000_000).toBeCloseTo(0.2, 2);
  });
});
