/** Model-based and sandwich intervals, the small-sample prior (server/ratings/intervals.ts, pair-model.ts). */
import { describe, expect, it } from 'vitest';
import { fitBradleyTerry } from '../../../server/ratings/bradley-terry.ts';
import { countBattles, countsFromOutcomeCounts } from '../../../server/ratings/counts.ts';
import { robustRatings } from '../../../server/ratings/intervals.ts';
import { POINTS_PER_NAT } from '../../../server/ratings/pair-model.ts';
import { type PairVote, rowsFromCounts, rowsFromVotes } from '../../../server/ratings/pair-rows.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';
import { simulateBattles } from './simulate.ts';

/** Variance of rating(x) − rating(y) in natural units², from a result's covariance. */
function diffVariance(result: { models: readonly string[]; covariance: Float64Array }, x: string, y: string): number {
  const m = result.models.length;
  const i = result.models.indexOf(x);
  const j = result.models.indexOf(y);
  const c = result.covariance;
  return (c[i * m + i]! + c[j * m + j]! - 2 * c[i * m + j]!) / POINTS_PER_NAT ** 2;
}

const twoModels = (wins: number, losses: number, ties: number) =>
  rowsFromCounts(
    countsFromOutcomeCounts([
      { model_a: 'x', model_b: 'y', winner: 'model_a', count: wins },
      { model_a: 'x', model_b: 'y', winner: 'model_b', count: losses },
      { model_a: 'y', model_b: 'x', winner: 'tie', count: ties },
    ]),
  );

describe('sandwich and model-based intervals, hand-checked', () => {
  it('two models: the MLE is the log-odds of the half-win score; Fisher 1/(npq); sandwich Σ(y − p)²/(npq)²', () => {
    const [w, l, t] = [30, 14, 6];
    const n = w + l + t;
    const p = (w + t / 2) / n;
    const q = 1 - p;
    const fisher = robustRatings(twoModels(w, l, t), { method: 'fisher' });
    const robust = robustRatings(twoModels(w, l, t), { method: 'sandwich' });
    expect(fisher.fit.converged).toBe(true);
    expect((fisher.ratings[0]! - fisher.ratings[1]!) / POINTS_PER_NAT).toBeCloseTo(Math.log(p / q), 10);
    expect(diffVariance(fisher, 'x', 'y')).toBeCloseTo(1 / (n * p * q), 10);
    const meat = w * q ** 2 + l * p ** 2 + t * (0.5 - p) ** 2;
    expect(diffVariance(robust, 'x', 'y')).toBeCloseTo(meat / (n * p * q) ** 2, 10);
    // Ratings are centred: each model carries half of the difference, and a quarter of its variance.
    expect(robust.ratingIntervals[0]!.se ** 2).toBeCloseTo((POINTS_PER_NAT ** 2 * meat) / (n * p * q) ** 2 / 4, 6);
    const interval = robust.ratingIntervals[0]!;
    expect(interval.upper - interval.estimate).toBeCloseTo(1.959963984540054 * interval.se, 10);
  });

  it('without ties the sandwich equals the model-based variance for two models', () => {
    const fisher = robustRatings(twoModels(40, 25, 0), { method: 'fisher' });
    const robust = robustRatings(twoModels(40, 25, 0), { method: 'sandwich' });
    expect(diffVariance(robust, 'x', 'y')).toBeCloseTo(diffVariance(fisher, 'x', 'y'), 12);
  });

  it('three models in a balanced cycle: Var(θi − θj) = 8/(3n) either way', () => {
    const n = 40;
    const rows = ['ab', 'bc', 'ca'].flatMap(([x, y]) => [
      { model_a: x!, model_b: y!, winner: 'model_a' as const, count: n / 2 },
      { model_a: x!, model_b: y!, winner: 'model_b' as const, count: n / 2 },
    ]);
    for (const method of ['fisher', 'sandwich'] as const) {
      const result = robustRatings(rowsFromCounts(countsFromOutcomeCounts(rows)), { method });
      expect(diffVariance(result, 'a', 'b')).toBeCloseTo(8 / (3 * n), 12);
      expect(diffVariance(result, 'b', 'c')).toBeCloseTo(8 / (3 * n), 12);
    }
  });

  it('clustered by voter: one voter always for x, one always for y gives Var = 4 whatever the number of votes', () => {
    for (const [w, l] of [
      [12, 8],
      [300, 100],
    ] as const) {
      const votes: PairVote[] = [
        ...Array.from({ length: w }, () => ({ model_a: 'x', model_b: 'y', winner: 'model_a' as const, voter: 'fan-of-x' })),
        ...Array.from({ length: l }, () => ({ model_a: 'x', model_b: 'y', winner: 'model_b' as const, voter: 'fan-of-y' })),
      ];
      const rows = rowsFromVotes(votes);
      // s₁ = w·q = wl/n = −s₂; meat 2·(s₁² + s₂²) with the C/(C−1) = 2 correction; bread n/(wl).
      expect(diffVariance(robustRatings(rows, { method: 'sandwich', clustered: true }), 'x', 'y')).toBeCloseTo(4, 10);
      expect(diffVariance(robustRatings(rows, { method: 'sandwich' }), 'x', 'y')).toBeCloseTo((w + l) / (w * l), 10);
    }
  });

  it('agrees with the existing Bradley-Terry fit on simulated data', () => {
    const counts = countBattles(simulateBattles([0.4, 0.1, 0, -0.2, -0.3], 3000, 5));
    const bt = fitBradleyTerry(counts);
    const robust = robustRatings(rowsFromCounts(counts));
    for (let i = 0; i < counts.models.length; i++) expect(robust.ratings[i]).toBeCloseTo(bt.ratings[i]!, 6);
  });
});

describe('the small-sample method: a weak prior (penalized fit)', () => {
  it('solves the penalized equations, with Laplace variance 2/(2h + λ) for two models', () => {
    const priorSd = 400;
    const lambda = (POINTS_PER_NAT / priorSd) ** 2;
    const result = robustRatings(twoModels(9, 1, 0), { priorSd, method: 'fisher' });
    const d = (result.ratings[0]! - result.ratings[1]!) / POINTS_PER_NAT;
    const p = 1 / (1 + Math.exp(-d));
    // ∂/∂βx: (wins − n·p) − λ·βx = 0 with βx = d/2.
    expect(9 - 10 * p).toBeCloseTo((lambda * d) / 2, 8);
    expect(diffVariance(result, 'x', 'y')).toBeCloseTo(2 / (2 * 10 * p * (1 - p) + lambda), 10);
  });

  it('keeps every interval finite when a model never lost, where the MLE does not exist', () => {
    const rows = twoModels(7, 0, 0);
    const mle = robustRatings(rows, { method: 'fisher' });
    expect(mle.fit.converged).toBe(false);
    expect(mle.fit.warnings.join(' ')).toMatch(/no finite maximum-likelihood ratings/);
    const penalized = robustRatings(rows, { priorSd: 400, method: 'fisher' });
    expect(penalized.fit.converged).toBe(true);
    for (const interval of penalized.ratingIntervals) {
      expect(Number.isFinite(interval.lower) && Number.isFinite(interval.upper)).toBe(true);
    }
    expect(penalized.ratingIntervals[0]!.estimate).toBeGreaterThan(1000);
  });

  it('rates models that have no votes at all (at the centre, with the prior width)', () => {
    const rows = rowsFromVotes([{ model_a: 'x', model_b: 'y', winner: 'model_a' }], ['x', 'y', 'new']);
    const result = robustRatings(rows, { priorSd: 400, method: 'fisher' });
    const fresh = result.ratingIntervals[2]!;
    expect(fresh.estimate).toBeCloseTo(1000, 6);
    expect(fresh.se).toBeGreaterThan(300);
    expect(Number.isFinite(fresh.upper)).toBe(true);
  });

  it('covers the true ratings 90–98% of the time at 30 votes among 4 models', () => {
    const configurations = [
      [0, 0, 0, 0],
      [150, 50, -50, -150],
      [350, 117, -117, -350],
    ];
    const random = new Xoshiro128(2024);
    const names = ['m0', 'm1', 'm2', 'm3'];
    for (const truth of configurations) {
      let covered = 0;
      let total = 0;
      for (let replication = 0; replication < 300; replication++) {
        const votes: PairVote[] = [];
        for (let k = 0; k < 30; k++) {
          const a = Math.floor(random.nextFloat() * 4);
          const b = (a + 1 + Math.floor(random.nextFloat() * 3)) % 4;
          const wins = random.nextFloat() < 1 / (1 + 10 ** ((truth[b]! - truth[a]!) / 400));
          votes.push({ model_a: names[a]!, model_b: names[b]!, winner: wins ? 'model_a' : 'model_b' });
        }
        const result = robustRatings(rowsFromVotes(votes, names), { priorSd: 400, method: 'fisher' });
        result.ratingIntervals.forEach((interval, i) => {
          expect(Number.isFinite(interval.upper - interval.lower)).toBe(true);
          total++;
          if (interval.lower <= truth[i]! + 1000 && truth[i]! + 1000 <= interval.upper) covered++;
        });
      }
      expect(covered / total).toBeGreaterThanOrEqual(0.9);
      expect(covered / total).toBeLessThanOrEqual(0.98);
    }
  });
});
