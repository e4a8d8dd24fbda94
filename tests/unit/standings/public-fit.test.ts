/**
 * The public fit (server/standings/public-fit.ts and its parts): the bootstrap path is the ratings
 * engine's, unchanged; neighbours among a subset come from the same resamples or covariance;
 * prompt deduplication weighs only votes with a prompt.
 */
import { describe, expect, it } from 'vitest';
import { countBattles } from '../../../server/ratings/counts.ts';
import { neighboursFromCovariance, neighboursFromSamples } from '../../../server/ratings/neighbours.ts';
import { rankModelsFromCounts } from '../../../server/ratings/summary.ts';
import { BOOTSTRAP_INTERVALS } from '../../../server/standings/bt-fit.ts';
import { dedupOf } from '../../../server/standings/fit-dedup.ts';
import type { Uncertainty } from '../../../server/standings/fit-methods.ts';
import { type FitVote, fitVotesOf, PROMPT_ASKED_ONCE } from '../../../server/standings/fit-votes.ts';
import { fitPublic, intervalsUsed, neighboursAmong } from '../../../server/standings/public-fit.ts';
import { seeded, simulateVotes } from '../../support/plant-votes.ts';

const votes: FitVote[] = simulateVotes({ a: 1200, b: 1100, c: 1000, d: 900 }, 400, seeded(7)).map((v, k) => ({
  modelA: v.a,
  modelB: v.b,
  winner: k % 9 === 0 ? 'tie' : v.winner,
  voter: `v${k % 5}`,
}));
const options = { bootstrap: 50, seed: 1, dedupTopShare: 0, styleControl: false, eloK: 4 };

describe('fitPublic', () => {
  it('is rankModelsFromCounts for the bootstrap without deduplication, with neighbours from its resamples', () => {
    const fit = fitPublic(fitVotesOf(votes), { ...options, intervals: BOOTSTRAP_INTERVALS });
    const board = rankModelsFromCounts(countBattles(fitVotesOf(votes).columns), { method: 'bt', bootstrap: 50, seed: 1 });
    expect(fit.models.map((m) => [m.id, m.rating, m.ci?.lower, m.rankUB])).toEqual(
      board.models.map((m) => [m.model, Math.round(m.rating * 100) / 100, Math.round(m.ci!.lower * 100) / 100, m.rankUB]),
    );
    expect(fit.neighbours.map((n) => [n.above, n.below, n.separated])).toEqual(board.neighbours.map((n) => [n.above, n.below, n.separated]));
    expect(fit.intervals).toEqual({ method: 'bootstrap', clustered: false, prior: null });
    expect(fit.uncertainty?.kind).toBe('samples');
  });

  it('reports the model-based method and prior it used, and keeps their covariance', () => {
    const fit = fitPublic(fitVotesOf(votes), { ...options, intervals: { method: 'sandwich', clustered: true, priorSd: 400 } });
    expect(fit.intervals).toEqual({ method: 'sandwich', clustered: true, prior: { sd: 400 } });
    expect(fit.bootstrap).toBeNull();
    expect(fit.uncertainty?.kind).toBe('covariance');
    for (const m of fit.models) expect(m.ci!.median).toBe(m.rating);
    expect(intervalsUsed(BOOTSTRAP_INTERVALS, true)).toEqual({ method: 'sandwich', clustered: false, prior: null });
    expect(intervalsUsed({ method: 'fisher', clustered: true, priorSd: null }, false)).toEqual({ method: 'fisher', clustered: false, prior: null });
  });
});

describe('neighboursAmong', () => {
  const ratings = Float64Array.from([1300, 1200, 1100, 1000]);
  const models = ['w', 'x', 'y', 'z'];
  it('resolves the listed models only, from the sub-covariance', () => {
    const covariance = Float64Array.from([900, 100, 0, 0, 100, 1600, 200, 0, 0, 200, 400, 50, 0, 0, 50, 2500]);
    const uncertainty: Uncertainty = { kind: 'covariance', models, ratings, covariance };
    const sub = neighboursAmong(uncertainty, ['w', 'y', 'z']);
    const direct = neighboursFromCovariance({ models: ['w', 'y', 'z'], ratings: [1300, 1100, 1000], covariance: [900, 0, 0, 0, 400, 50, 0, 50, 2500] });
    expect(sub).toEqual(direct.map((n) => ({ ...n, diff: { lower: Math.round(n.diff.lower * 100) / 100, upper: Math.round(n.diff.upper * 100) / 100 } })));
    expect(sub.map((n) => [n.above, n.below])).toEqual([
      ['w', 'y'],
      ['y', 'z'],
    ]);
  });

  it('resolves the listed models only, from the resamples', () => {
    const random = seeded(3);
    const rounds = 200;
    const samples = new Float64Array(rounds * 4);
    for (let r = 0; r < rounds; r++) for (let i = 0; i < 4; i++) samples[r * 4 + i] = ratings[i]! + (random() - 0.5) * 300;
    const sub = neighboursAmong({ kind: 'samples', models, ratings, samples }, ['x', 'z']);
    const picked = new Float64Array(rounds * 2);
    for (let r = 0; r < rounds; r++) [picked[r * 2], picked[r * 2 + 1]] = [samples[r * 4 + 1]!, samples[r * 4 + 3]!];
    const direct = neighboursFromSamples({ models: ['x', 'z'], ratings: [1200, 1000], samples: picked });
    expect(sub).toHaveLength(1);
    expect(sub[0]!.diff.lower).toBeCloseTo(direct[0]!.diff.lower, 2);
    expect(sub[0]).toMatchObject({ above: 'x', below: 'z', separated: direct[0]!.separated, votesToSeparate: direct[0]!.votesToSeparate });
  });
});

describe('dedupOf', () => {
  it('weighs the votes of an over-asked prompt cap/count, and leaves votes without a prompt alone', () => {
    const list: FitVote[] = [
      ...Array.from({ length: 20 }, (_, k): FitVote => ({ modelA: 'a', modelB: 'b', winner: 'a', prompt: `p${k}` })),
      ...Array.from({ length: 10 }, (): FitVote => ({ modelA: 'a', modelB: 'b', winner: 'a', prompt: 'hi' })),
      // Evaluation votes (no prompt hash) are never counted as a prompt, however many share one.
      ...Array.from({ length: 30 }, (): FitVote => ({ modelA: 'a', modelB: 'b', winner: 'b', prompt: null })),
    ];
    const dedup = dedupOf(fitVotesOf(list), 0.1);
    expect(dedup.summary).toEqual({ topShare: 0.1, cap: 1, prompts: 1, votes: 10, effectiveVotes: 51 });
    expect(dedup.frequent).toEqual([{ key: 'hi', count: 10 }]);
    expect([...dedup.weights!]).toEqual([...Array(20).fill(1), ...Array(10).fill(0.1), ...Array(30).fill(1)]);
    expect(dedupOf(fitVotesOf(list.slice(0, 20)), 0.1)).toMatchObject({ weights: null, summary: { cap: null, prompts: 0, effectiveVotes: 20 } });
    // SQL sends PROMPT_ASKED_ONCE for a prompt no other vote has, not its hash: the same decision.
    const sent = list.map((v) => (v.prompt?.startsWith('p') ? { ...v, prompt: PROMPT_ASKED_ONCE } : v));
    expect(dedupOf(fitVotesOf(sent), 0.1)).toEqual(dedup);
  });
});
