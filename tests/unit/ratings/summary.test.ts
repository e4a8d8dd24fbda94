import { describe, expect, it } from 'vitest';
import { BattleCountsBuilder, battlesFromColumns, columnsFromBattles, countBattles, countsFromOutcomeCounts } from '../../../server/ratings/counts.ts';
import { computeOnlineElo } from '../../../server/ratings/elo.ts';
import { type BattleResult, dbWinnerFromOutcome, outcomeFromDbWinner } from '../../../server/ratings/outcomes.ts';
import {
  averageWinRates,
  empiricalWinRates,
  modelTallies,
  pairBattleCounts,
  predictedWinRates,
  rankModels,
  rankModelsFromCounts,
} from '../../../server/ratings/summary.ts';

const battle = (model_a: string, model_b: string, winner: BattleResult['winner']): BattleResult => ({ model_a, model_b, winner });
const battles: BattleResult[] = [
  ...Array.from({ length: 6 }, () => battle('strong', 'middle', 'model_a')),
  ...Array.from({ length: 3 }, () => battle('middle', 'strong', 'model_a')),
  ...Array.from({ length: 4 }, () => battle('middle', 'weak', 'model_a')),
  battle('weak', 'middle', 'model_a'),
  battle('weak', 'middle', 'tie'),
  ...Array.from({ length: 5 }, () => battle('strong', 'weak', 'model_a')),
  battle('weak', 'strong', 'tie (bothbad)'),
  battle('strong', 'weak', 'model_b'),
];
const counts = countBattles(columnsFromBattles(battles));

describe('counting', () => {
  it('aggregates the same counts column-wise, streaming, or from grouped rows', () => {
    const streamed = new BattleCountsBuilder();
    // More than the builder's initial 16 models, so its tables have to grow.
    const wide = Array.from({ length: 40 }, (_, i) => battle(`m${i}`, `m${(i * 7 + 3) % 40}`, i % 3 === 0 ? 'tie' : 'model_a'));
    const all = [...battles, battle('weak', 'weak', 'model_a'), ...wide];
    for (const b of all) streamed.add(b.model_a, b.model_b, b.winner);
    const columns = columnsFromBattles(all);
    expect(streamed.build()).toEqual(countBattles(columns));
    expect(countBattles(columns).battles).toBe(all.length - 1); // the self-battle is not counted
    expect(countsFromOutcomeCounts(all.map((b) => ({ ...b, count: 1 })))).toEqual(countBattles(columns));
    expect(battlesFromColumns(columns)).toEqual(all);
  });
});

describe('tallies and pair tables', () => {
  it('counts wins, losses and ties per model', () => {
    expect(counts.models).toEqual(['strong', 'middle', 'weak']);
    expect(modelTallies(counts)).toEqual([
      { battles: 16, wins: 11, losses: 4, ties: 1 },
      { battles: 15, wins: 7, losses: 7, ties: 1 },
      { battles: 13, wins: 2, losses: 9, ties: 2 },
    ]);
  });

  it('builds pair counts, empirical win rates without ties, and BT predictions', () => {
    expect(pairBattleCounts(counts).values).toEqual([
      [null, 9, 7],
      [9, null, 6],
      [7, 6, null],
    ]);
    const empirical = empiricalWinRates(counts).values;
    expect(empirical[0]![1]).toBeCloseTo(6 / 9, 12);
    expect(empirical[2]![1]).toBeCloseTo(1 / 5, 12);
    expect(empirical[0]![2]).toBeCloseTo(5 / 6, 12);
    const predicted = predictedWinRates(['x', 'y'], [1000 + 400 * Math.log10(3), 1000]);
    expect(predicted.values[0]![1]).toBeCloseTo(0.75, 12);
    expect(predicted.values[1]![0]).toBeCloseTo(0.25, 12);
    expect(averageWinRates(predicted)).toEqual([
      { model: 'x', winRate: predicted.values[0]![1] },
      { model: 'y', winRate: predicted.values[1]![0] },
    ]);
  });
});

describe('rankModels', () => {
  it('returns a leaderboard sorted by rating with intervals, ranks, tallies and Elo', () => {
    const board = rankModels(battles, { bootstrap: 50, seed: 3 });
    expect(board.battles).toBe(battles.length);
    expect(board.converged).toBe(true);
    expect(board.models.map((m) => m.model)).toEqual(['strong', 'middle', 'weak']);
    const elo = computeOnlineElo(battles);
    for (const row of board.models) {
      expect(row.ci!.lower).toBeLessThanOrEqual(row.ci!.upper);
      expect(row.rankUB).toBeGreaterThanOrEqual(1);
      expect(row.elo).toBe(elo.get(row.model));
    }
    const mean = board.models.reduce((sum, m) => sum + m.rating, 0) / 3;
    expect(mean).toBeCloseTo(1000, 9);
    expect(board.models[0]).toMatchObject({ model: 'strong', battles: 16, wins: 11, losses: 4, ties: 1, rankUB: 1 });
    expect(rankModels(battles, { bootstrap: 50, seed: 3 })).toEqual(board);
  });

  it('gives plain ranks and no intervals without a bootstrap, and Elo only for method elo', () => {
    const bt = rankModels(battles, { method: 'bt', bootstrap: 0 });
    expect(bt.models.map((m) => [m.rankUB, m.ci, m.elo])).toEqual([
      [1, null, null],
      [2, null, null],
      [3, null, null],
    ]);
    const elo = rankModels(battles, { method: 'elo' });
    expect(elo.models.every((m) => m.rating === m.elo && m.ci === null)).toBe(true);
    expect(elo.bootstrap).toBeNull();
  });

  it('ranks from pre-aggregated counts exactly as from battles', () => {
    const rows = new Map<string, { model_a: string; model_b: string; winner: BattleResult['winner']; count: number }>();
    for (const b of battles) {
      const key = `${b.model_a}|${b.model_b}|${b.winner}`;
      rows.set(key, { ...b, count: (rows.get(key)?.count ?? 0) + 1 });
    }
    const fromCounts = rankModelsFromCounts(countsFromOutcomeCounts(rows.values()), { bootstrap: 40, seed: 9 });
    const fromBattles = rankModels(battles, { method: 'bt', bootstrap: 40, seed: 9 });
    expect(fromCounts).toEqual(fromBattles);
    const withElo = rankModelsFromCounts(counts, { bootstrap: 0, eloRatings: computeOnlineElo(battles) });
    expect(withElo.method).toBe('both');
    expect(withElo.models[0]!.elo).toBe(computeOnlineElo(battles).get(withElo.models[0]!.model));
    expect(() => rankModelsFromCounts(counts, { method: 'elo' })).toThrow(/needs eloRatings/);
  });

  it('passes non-convergence through', () => {
    const board = rankModels([battle('a', 'b', 'model_a'), battle('b', 'c', 'model_a'), battle('c', 'b', 'model_a')], { bootstrap: 10 });
    expect(board.converged).toBe(false);
    expect(board.separatedModels).toEqual(['a']);
    expect(board.warnings.some((w) => w.includes('no finite maximum-likelihood'))).toBe(true);
  });
});

describe('outcomes', () => {
  it('maps database winners both ways', () => {
    for (const winner of ['a', 'b', 'tie', 'bothbad'] as const) expect(dbWinnerFromOutcome(outcomeFromDbWinner(winner))).toBe(winner);
    expect(outcomeFromDbWinner('bothbad')).toBe('tie (bothbad)');
  });
});
