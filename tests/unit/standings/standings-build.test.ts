import { describe, expect, it } from 'vitest';
import { standingsViewSchema } from '../../../protocol/standings.ts';
import type { ModelSpeed } from '../../../protocol/types.ts';
import { BOOTSTRAP_INTERVALS } from '../../../server/standings/bt-fit.ts';
import { fitVotesOf } from '../../../server/standings/fit-votes.ts';
import { paretoFront, standingsFronts } from '../../../server/standings/fronts.ts';
import { ratingHistory } from '../../../server/standings/rating-history.ts';
import { buildStandings, type ModelFacts } from '../../../server/standings/standings-build.ts';
import { fitView, type ViewFit } from '../../../server/standings/view-fit.ts';
import type { ViewVote } from '../../../server/standings/views-repo.ts';
import { listOf, plainWarnings } from '../../../server/standings/warnings.ts';

describe('Pareto fronts', () => {
  // rating, cost per 1k answers, tokens/s, time to first token
  const known = [
    { id: 'best', rating: 1300, cost: 20, tps: 40, ttft: 900 },
    { id: 'cheap', rating: 1100, cost: 1, tps: 150, ttft: 200 },
    { id: 'middle', rating: 1200, cost: 5, tps: 60, ttft: 300 },
    { id: 'dominated', rating: 1150, cost: 8, tps: 50, ttft: 400 },
    { id: 'twin', rating: 1200, cost: 5, tps: 60, ttft: 300 },
    { id: 'unpriced', rating: 1250, cost: null, tps: 100, ttft: null },
    { id: 'worst', rating: 1000, cost: 2, tps: 200, ttft: 150 },
  ];

  it('keeps the models no other beats on both rating and cost (lower), tokens/s (higher), ttft (lower)', () => {
    const rating = (m: (typeof known)[number]) => m.rating;
    const ids = (list: typeof known) => list.map((m) => m.id);
    expect(ids(paretoFront(known, rating, { value: (m) => m.cost, better: 'lower' }))).toEqual(['best', 'middle', 'twin', 'cheap']);
    expect(ids(paretoFront(known, rating, { value: (m) => m.tps, better: 'higher' }))).toEqual(['best', 'unpriced', 'cheap', 'worst']);
    expect(ids(paretoFront(known, rating, { value: (m) => m.ttft, better: 'lower' }))).toEqual(['best', 'middle', 'twin', 'cheap', 'worst']);
    expect(paretoFront([], rating, { value: (m) => m.cost, better: 'lower' })).toEqual([]);
  });

  it('reads the axes of standings entries; a model without a figure is on no front of it', () => {
    const speed = (tps: number | null, ttft: number | null) => ({ medianTokensPerSecond: tps, medianTtftMs: ttft }) as ModelSpeed;
    const entries = known.map((m) => ({
      id: m.id,
      rating: m.rating,
      costPer1kAnswersUsd: m.cost,
      ...(m.id === 'worst' ? {} : { speed: speed(m.tps, m.ttft) }),
    }));
    const fronts = standingsFronts(entries as never);
    expect(fronts.cost).toEqual(['best', 'middle', 'twin', 'cheap']);
    expect(fronts.tokensPerSecond).toEqual(['best', 'unpriced', 'cheap']);
    expect(fronts.ttft).toEqual(['best', 'middle', 'twin', 'cheap']);
  });
});

const vote = (a: string, b: string, winner: ViewVote[2], at = 0): ViewVote => [a, b, winner, at];
const facts =
  (deprecated: string[] = []) =>
  (id: string): ModelFacts => ({ name: id.toUpperCase(), demo: false, organization: 'Org', license: null, deprecated: deprecated.includes(id) });
const fitOf = (votes: ViewVote[], method: 'elo' | 'bt' = 'bt') =>
  fitView(fitVotesOf(votes.map(([modelA, modelB, winner]) => ({ modelA, modelB, winner }))), {
    method,
    bootstrap: 20,
    seed: 1,
    eloK: 4,
    intervals: BOOTSTRAP_INTERVALS,
    dedupTopShare: 0,
    styleControl: false,
  });

function build(fit: ViewFit, opts: { previous?: ViewFit; minVotes?: number; deprecated?: string[]; show?: boolean } = {}) {
  const view = standingsViewSchema.parse({ method: fit.method, deprecated: opts.show ? '1' : '0' });
  return buildStandings(
    { fit, previous: opts.previous ?? null, view, minVotes: opts.minVotes ?? 0, computedAt: '2026-01-01T00:00:00.000Z', stale: false },
    {
      describe: facts(opts.deprecated),
      speedOf: (id) => (id === 'x' ? ({ meanCostUsd: 0.002, medianTokensPerSecond: 50, medianTtftMs: 100 } as ModelSpeed) : undefined),
    },
  );
}

describe('buildStandings', () => {
  const votes = [
    vote('x', 'y', 'a'),
    vote('y', 'x', 'tie'),
    vote('x', 'z', 'b'),
    vote('z', 'y', 'a'),
    vote('y', 'x', 'b'),
    vote('x', 'y', 'bothbad'),
    vote('z', 'x', 'tie'),
  ];

  it('names, tags, win rate and cost; models under the threshold apart, ranked only among themselves', () => {
    const fit = fitOf(votes);
    const all = build(fit);
    expect(all.models.map((m) => m.id).sort()).toEqual(['x', 'y', 'z']);
    const x = all.models.find((m) => m.id === 'x')!;
    expect(x).toMatchObject({ name: 'X', organization: 'Org', license: null, deprecated: false, costPer1kAnswersUsd: 2 });
    expect(x.winRate).toBeCloseTo((x.wins + x.ties / 2) / x.battles, 4);
    expect(all.models.find((m) => m.id === 'y')!.costPer1kAnswersUsd).toBeNull();

    const zBattles = fit.models.find((m) => m.id === 'z')!.battles;
    const split = build(fit, { minVotes: zBattles + 1 });
    expect(split.provisional.map((m) => m.id)).toEqual(['z']);
    expect(split.provisional[0]!.rankUB).toBe(1);
    expect(split.models.map((m) => m.id)).not.toContain('z');
    expect(split.pairs.models).toEqual(split.models.map((m) => m.id));
    expect(split.pairs.battles).toHaveLength(split.models.length);
  });

  it('hides deprecated models unless asked, and counts rank changes from the previous fit among the shown', () => {
    const before = fitOf(votes.slice(0, 4), 'elo');
    const after = fitOf(votes, 'elo');
    const hidden = build(after, { deprecated: ['y'], previous: before });
    expect(hidden.models.map((m) => m.id)).not.toContain('y');
    const shown = build(after, { deprecated: ['y'], show: true, previous: before });
    expect(shown.models.find((m) => m.id === 'y')?.deprecated).toBe(true);
    const rankBefore = new Map(build(before, { show: true }).models.map((m) => [m.id, m.rankUB]));
    for (const m of shown.models) expect(m.rankChange).toBe(rankBefore.get(m.id)! - m.rankUB);
    // The first fit of a view has nothing to compare with: nobody moved, nobody is new.
    expect(build(after).models.every((m) => m.rankChange === 0)).toBe(true);
    // A model that reaches the threshold is new among the rated ones.
    const threshold = build(after, { minVotes: 3, previous: before });
    expect(build(before, { minVotes: 3 }).models.map((m) => m.id)).not.toContain('z');
    expect(threshold.models.find((m) => m.id === 'z')?.rankChange).toBeNull();
    for (const m of threshold.models.filter((m) => m.id !== 'z')) expect(m.rankChange).not.toBeNull();
  });
});

describe('warnings in plain words', () => {
  it('name the models that never lost or never won, and groups never compared; never ids or solver terms', () => {
    const fit = fitOf([vote('sage', 'brisk', 'a'), vote('brisk', 'sage', 'b'), vote('muddle', 'verse', 'tie'), vote('verse', 'muddle', 'a')]);
    const names: Record<string, string> = { sage: 'Sage', brisk: 'Brisk', muddle: 'Muddle', verse: 'Verse' };
    const warnings = plainWarnings(fit, (id) => names[id]!);
    expect(warnings).toEqual([
      'Sage has never lost, so its rating has no upper bound yet.',
      'Brisk has never won, so its rating has no lower bound yet.',
      'Some models were never compared, not even through other models: Sage and Brisk; Muddle and Verse. Ratings compare only within each of these groups.',
    ]);
    expect(plainWarnings(fitOf([vote('sage', 'brisk', 'a')], 'elo'), (id) => names[id]!)).toEqual([]);
    expect(listOf(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('rating history', () => {
  it('closes one point per UTC day with the online Elo and competition ranks so far', () => {
    const day = (d: number, h = 12) => Date.UTC(2026, 0, d, h);
    const points = ratingHistory([vote('a', 'b', 'a', day(1)), vote('a', 'b', 'a', day(1, 23)), vote('b', 'c', 'tie', day(3, 0))], 4);
    expect(points.map((p) => [p.day, p.votes])).toEqual([
      ['2026-01-01', 2],
      ['2026-01-03', 1],
    ]);
    expect(points[0]!.rank).toEqual({ a: 1, b: 2 });
    expect(points[0]!.elo.a).toBeGreaterThan(1000);
    expect(Object.keys(points[1]!.elo).sort()).toEqual(['a', 'b', 'c']);
    expect(points[1]!.rank.a).toBe(1);
  });
});
