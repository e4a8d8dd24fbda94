import { describe, expect, it } from 'vitest';
import { fitBradleyTerry } from '../../../server/ratings/bradley-terry.ts';
import { choleskySolveInPlace } from '../../../server/ratings/cholesky.ts';
import { analyseComparisons } from '../../../server/ratings/comparison-graph.ts';
import { columnsFromBattles, countBattles, countsFromOutcomeCounts, type OutcomeCount } from '../../../server/ratings/counts.ts';
import { modelTallies } from '../../../server/ratings/summary.ts';
import { centredRatings, simulateBattles } from './simulate.ts';

const rows = (...list: Array<[string, string, OutcomeCount['winner'], number]>): OutcomeCount[] =>
  list.map(([model_a, model_b, winner, count]) => ({ model_a, model_b, winner, count }));

function ratingOf(fit: ReturnType<typeof fitBradleyTerry>, model: string): number {
  return fit.ratings[fit.models.indexOf(model)]!;
}

describe('fitBradleyTerry: hand-computed cases', () => {
  it.each([
    [30, 10],
    [7, 3],
    [1, 1],
    [999, 1],
  ])('two models with %i wins and %i losses differ by 400·log10(w/l), mean 1000', (w, l) => {
    const fit = fitBradleyTerry(countsFromOutcomeCounts(rows(['A', 'B', 'model_a', w], ['A', 'B', 'model_b', l])));
    expect(ratingOf(fit, 'A') - ratingOf(fit, 'B')).toBeCloseTo(400 * Math.log10(w / l), 8);
    expect((ratingOf(fit, 'A') + ratingOf(fit, 'B')) / 2).toBeCloseTo(1000, 10);
    expect(fit.converged).toBe(true);
    expect(fit.gradNorm).toBeLessThan(1e-8);
  });

  it('counts each tie as half a win for both sides', () => {
    // 3 wins, 1 loss, 2 ties → scores 4 and 2 → difference 400·log10(2).
    const fit = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 3], ['B', 'A', 'model_a', 1], ['A', 'B', 'tie', 1], ['B', 'A', 'tie (bothbad)', 1])),
    );
    expect(ratingOf(fit, 'A') - ratingOf(fit, 'B')).toBeCloseTo(400 * Math.log10(2), 8);
  });

  it('recovers three strengths exactly when the counts are proportional to them', () => {
    // γ = 4 : 2 : 1 gives P(A>B) = 2/3, P(B>C) = 2/3, P(A>C) = 4/5; so θ = ±log10 2 around 0.
    const fit = fitBradleyTerry(
      countsFromOutcomeCounts(
        rows(
          ['A', 'B', 'model_a', 20],
          ['A', 'B', 'model_b', 10],
          ['B', 'C', 'model_a', 20],
          ['C', 'B', 'model_a', 10],
          ['C', 'A', 'model_b', 40],
          ['A', 'C', 'model_b', 10],
        ),
      ),
    );
    const step = 400 * Math.log10(2);
    expect(ratingOf(fit, 'A')).toBeCloseTo(1000 + step, 8);
    expect(ratingOf(fit, 'B')).toBeCloseTo(1000, 8);
    expect(ratingOf(fit, 'C')).toBeCloseTo(1000 - step, 8);
    expect(fit.iterations).toBeLessThan(10);
  });

  it('does not depend on which side a model played', () => {
    const one = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 5], ['B', 'C', 'model_b', 2], ['C', 'A', 'tie', 3], ['C', 'B', 'model_b', 1])),
    );
    const swapped = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['B', 'A', 'model_b', 5], ['C', 'B', 'model_a', 2], ['A', 'C', 'tie', 3], ['B', 'C', 'model_a', 1])),
    );
    for (const model of ['A', 'B', 'C']) expect(ratingOf(swapped, model)).toBeCloseTo(ratingOf(one, model), 9);
  });

  it('matches the fit from individual battles', () => {
    const battles = [
      { model_a: 'A', model_b: 'B', winner: 'model_a' as const },
      { model_a: 'B', model_b: 'A', winner: 'model_a' as const },
      { model_a: 'A', model_b: 'C', winner: 'model_a' as const },
      { model_a: 'C', model_b: 'B', winner: 'tie' as const },
      { model_a: 'C', model_b: 'A', winner: 'model_a' as const },
    ];
    const fromBattles = fitBradleyTerry(countBattles(columnsFromBattles(battles)));
    const fromCounts = fitBradleyTerry(countsFromOutcomeCounts(battles.map((b) => ({ ...b, count: 1 }))));
    expect(fromBattles.ratings).toEqual(fromCounts.ratings);
  });

  it('anchors by shifting every rating', () => {
    const counts = countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 30], ['A', 'B', 'model_b', 10]));
    const free = fitBradleyTerry(counts);
    const anchored = fitBradleyTerry(counts, { anchor: { model: 'B', rating: 1500 } });
    expect(ratingOf(anchored, 'B')).toBeCloseTo(1500, 10);
    expect(ratingOf(anchored, 'A') - ratingOf(anchored, 'B')).toBeCloseTo(ratingOf(free, 'A') - ratingOf(free, 'B'), 10);
    expect(() => fitBradleyTerry(counts, { anchor: { model: 'Z', rating: 1 } })).toThrow(/anchor model "Z"/);
  });
});

describe('fitBradleyTerry: data without a finite MLE', () => {
  it('stops, flags a model that never loses and keeps the others on their own scale', () => {
    const started = performance.now();
    const fit = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 5], ['A', 'C', 'model_a', 2], ['B', 'C', 'model_a', 6], ['C', 'B', 'model_a', 3])),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fit.converged).toBe(false);
    expect(fit.separatedModels).toEqual(['A']);
    expect(fit.warnings.join('\n')).toMatch(/no finite maximum-likelihood ratings: A/);
    // B and C form the core: centred on 1000 with their own 2:1 record.
    expect(ratingOf(fit, 'B') - ratingOf(fit, 'C')).toBeCloseTo(400 * Math.log10(2), 3);
    expect((ratingOf(fit, 'B') + ratingOf(fit, 'C')) / 2).toBeCloseTo(1000, 6);
    expect(ratingOf(fit, 'A')).toBeGreaterThan(ratingOf(fit, 'B') + 1000);
    expect(Number.isFinite(ratingOf(fit, 'A'))).toBe(true);
  });

  it('flags a model that never wins', () => {
    const fit = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 1], ['B', 'A', 'model_a', 1], ['A', 'C', 'model_a', 4], ['B', 'C', 'model_a', 4])),
    );
    expect(fit.converged).toBe(false);
    expect(fit.separatedModels).toEqual(['C']);
    expect(ratingOf(fit, 'C')).toBeLessThan(0);
  });

  it('centres disconnected groups separately and says they are not comparable', () => {
    const fit = fitBradleyTerry(
      countsFromOutcomeCounts(rows(['A', 'B', 'model_a', 3], ['A', 'B', 'model_b', 1], ['C', 'D', 'model_a', 1], ['C', 'D', 'model_b', 3])),
    );
    expect(fit.componentCount).toBe(2);
    expect(fit.converged).toBe(true);
    const half = 200 * Math.log10(3);
    expect(ratingOf(fit, 'A')).toBeCloseTo(1000 + half, 8);
    expect(ratingOf(fit, 'B')).toBeCloseTo(1000 - half, 8);
    expect(ratingOf(fit, 'C')).toBeCloseTo(1000 - half, 8);
    expect(ratingOf(fit, 'D')).toBeCloseTo(1000 + half, 8);
    expect(fit.warnings[0]).toMatch(/2 disconnected groups.*\[A, B\] \[C, D\]/);
  });
});

describe('fitBradleyTerry: larger problems', () => {
  it('solves the likelihood equations (observed = expected score) and recovers simulated strengths', () => {
    const theta = Array.from({ length: 30 }, (_, i) => (i - 15) / 12);
    const counts = countBattles(simulateBattles(theta, 60_000, 5));
    const fit = fitBradleyTerry(counts);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    const m = counts.models.length;
    const tallies = modelTallies(counts);
    for (let i = 0; i < m; i++) {
      let expected = 0;
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const n = counts.wins[i * m + j]! + counts.wins[j * m + i]! + counts.ties[i * m + j]!;
        expected += n / (1 + 10 ** ((fit.ratings[j]! - fit.ratings[i]!) / 400));
      }
      expect(expected).toBeCloseTo(tallies[i]!.wins + tallies[i]!.ties / 2, 4);
    }
    const truth = centredRatings(theta);
    const worst = Math.max(...truth.map((t, i) => Math.abs(t - fit.ratings[i]!)));
    expect(worst).toBeLessThan(60);
  });
});

describe('comparison structure and linear algebra', () => {
  it('finds strongly connected cores', () => {
    // 0⇄1, 1→2, 3 isolated.
    const m = 4;
    const score = new Float64Array(m * m);
    score[0 * m + 1] = 1;
    score[1 * m + 0] = 1;
    score[1 * m + 2] = 1;
    const structure = analyseComparisons(score, m);
    expect(structure.componentCount).toBe(2);
    expect([...structure.inCore]).toEqual([1, 1, 0, 1]);
    expect(structure.separated).toEqual([2]);
  });

  it('solves a symmetric positive definite system', () => {
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const b = Float64Array.from([2, 3, 4]);
    choleskySolveInPlace(a, b, 3);
    const x = [...b];
    const original = [4, 2, 0, 2, 5, 1, 0, 1, 3];
    [2, 3, 4].forEach((rhs, i) => expect(original[i * 3]! * x[0]! + original[i * 3 + 1]! * x[1]! + original[i * 3 + 2]! * x[2]!).toBeCloseTo(rhs, 12));
  });
});
