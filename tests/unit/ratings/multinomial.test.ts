import { describe, expect, it } from 'vitest';
import { MultinomialSampler } from '../../../server/ratings/multinomial.ts';
import { multinomial, Xoshiro128 } from '../../../server/ratings/random.ts';

/** Per-cell means and variances and one covariance over `draws` draws of `draw`. */
function moments(cells: number, draws: number, draw: (out: Float64Array) => void) {
  const out = new Float64Array(cells);
  const sum = new Float64Array(cells);
  const squares = new Float64Array(cells);
  let cross = 0;
  let wrongTotal = 0;
  let total = -1;
  for (let r = 0; r < draws; r++) {
    draw(out);
    let t = 0;
    for (let k = 0; k < cells; k++) {
      sum[k]! += out[k]!;
      squares[k]! += out[k]! ** 2;
      t += out[k]!;
      if (!Number.isInteger(out[k]!) || out[k]! < 0) wrongTotal++;
    }
    if (total >= 0 && t !== total) wrongTotal++;
    total = t;
    cross += out[0]! * out[1]!;
  }
  const mean = Array.from(sum, (s) => s / draws);
  const variance = Array.from(squares, (s, k) => s / draws - mean[k]! ** 2);
  return { mean, variance, covariance01: cross / draws - mean[0]! * mean[1]!, wrongTotal, total };
}

describe('MultinomialSampler', () => {
  // Integer cells below and above a Poisson table's block (256), a fractional weight as prompt
  // deduplication leaves them, a tiny cell and an empty one.
  const weights = Float64Array.from([40, 25, 700.5, 3.25, 0.02, 0, 131, 1]);
  const W = weights.reduce((a, b) => a + b, 0);

  it.each([
    ['N = round(Σw), as the bootstrap draws (Poisson part and alias top-up)', Math.round(W)],
    ['N well below Σw', 20],
    ['N above 2·Σw (the chain of binomials)', 5000],
  ])('keeps the total and has the moments of Multinomial(N; w/Σw): %s', (_, total) => {
    const sampler = new MultinomialSampler(total, weights);
    const random = new Xoshiro128(12);
    const draws = 20_000;
    const ours = moments(weights.length, draws, (out) => sampler.draw(random, out));
    expect(ours.wrongTotal).toBe(0);
    expect(ours.total).toBe(total);
    weights.forEach((w, k) => {
      const p = w / W;
      // Mean N·p and variance N·p(1−p), within a few standard errors of 20,000 draws.
      const sdMean = Math.sqrt((total * p * (1 - p)) / draws);
      expect(Math.abs(ours.mean[k]! - total * p)).toBeLessThanOrEqual(4 * sdMean + 1e-12);
      const variance = total * p * (1 - p);
      expect(Math.abs(ours.variance[k]! - variance)).toBeLessThanOrEqual(0.06 * variance + 1e-9);
    });
    // Cells of a multinomial are negatively correlated: cov = −N·p0·p1 (within 4 standard errors).
    const covariance = -total * (weights[0]! / W) * (weights[1]! / W);
    const se = Math.sqrt((ours.variance[0]! * ours.variance[1]!) / draws);
    expect(Math.abs(ours.covariance01 - covariance)).toBeLessThanOrEqual(4 * se + 1e-9);
  });

  it('agrees with the chain of conditional binomials it replaces', () => {
    const total = Math.round(W);
    const sampler = new MultinomialSampler(total, weights);
    const a = new Xoshiro128(5);
    const b = new Xoshiro128(6);
    const ours = moments(weights.length, 20_000, (out) => sampler.draw(a, out));
    const chain = moments(weights.length, 20_000, (out) => multinomial(b, total, weights, out));
    weights.forEach((w, k) => {
      const variance = (total * w * (W - w)) / W ** 2;
      expect(Math.abs(ours.mean[k]! - chain.mean[k]!)).toBeLessThanOrEqual(6 * Math.sqrt((2 * variance) / 20_000) + 1e-12);
      expect(Math.abs(ours.variance[k]! - chain.variance[k]!)).toBeLessThanOrEqual(0.08 * variance + 1e-9);
    });
  });

  it('is deterministic per random stream and never draws an empty cell', () => {
    const sampler = new MultinomialSampler(10_000, weights);
    const one = new Float64Array(weights.length);
    const again = new Float64Array(weights.length);
    for (let stream = 1; stream <= 50; stream++) {
      sampler.draw(new Xoshiro128(3, stream), one);
      sampler.draw(new Xoshiro128(3, stream), again);
      expect(again).toEqual(one);
      expect(one[5]).toBe(0);
    }
  });

  it('draws the same for weights a rounding error apart (the same votes counted in another order)', () => {
    const random = new Xoshiro128(3);
    for (let t = 0; t < 200; t++) {
      const w = Float64Array.from({ length: 30 }, () => Math.floor(random.nextFloat() * 20) + (random.nextFloat() < 0.3 ? 1 / 3 : 0));
      const nudged = w.map((x) => x * (1 + (random.nextFloat() - 0.5) * 4e-16));
      const total = Math.round(w.reduce((a, b) => a + b, 0));
      const a = new Float64Array(30);
      const b = new Float64Array(30);
      new MultinomialSampler(total, w).draw(new Xoshiro128(1, t + 1), a);
      new MultinomialSampler(total, nudged).draw(new Xoshiro128(1, t + 1), b);
      expect(b).toEqual(a);
    }
  });

  it('draws nothing from nothing and refuses draws without weight', () => {
    const out = new Float64Array(3).fill(7);
    new MultinomialSampler(0, new Float64Array(3)).draw(new Xoshiro128(1), out);
    expect([...out]).toEqual([0, 0, 0]);
    expect(() => new MultinomialSampler(5, new Float64Array(3))).toThrow(RangeError);
  });
});
