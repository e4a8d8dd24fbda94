/**
 * The public Bradley-Terry standings from a snapshot of aggregated votes (pure, no I/O): the
 * ratings engine's rankModelsFromCounts plus the pairwise tables charts want. Runs in the worker
 * (bt-worker.ts); the service adds names and speed on the main thread.
 */
import type { BtLeaderboard, BtLeaderboardEntry } from '../../protocol/types.ts';
import { countsFromOutcomeCounts } from '../ratings/counts.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { pairBattleCounts, predictedWinRates, rankModelsFromCounts } from '../ratings/summary.ts';
import type { BtSnapshot } from './ratings-repo.ts';

export interface BtFitOptions {
  bootstrap: number;
  seed: number;
}

/** A model's standing as far as the votes decide it (names and speed are added by the service). */
export type BtFitModel = Omit<BtLeaderboardEntry, 'name' | 'demo' | 'speed'>;

/** Everything of a BtLeaderboard that depends on the votes alone (structured-clone safe). */
export type BtFit = Omit<BtLeaderboard, 'method' | 'computedAt' | 'stale' | 'models'> & { models: BtFitModel[] };

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function fitBt(snapshot: BtSnapshot, options: BtFitOptions): BtFit {
  const counts = countsFromOutcomeCounts(
    snapshot.counts.map((c) => ({ model_a: c.modelA, model_b: c.modelB, winner: outcomeFromDbWinner(c.winner), count: c.count })),
  );
  if (counts.battles === 0) {
    return { votes: 0, converged: true, componentCount: 0, warnings: [], bootstrap: null, models: [], pairs: { models: [], battles: [], predicted: [] } };
  }
  const board = rankModelsFromCounts(counts, { bootstrap: options.bootstrap, seed: options.seed, eloRatings: new Map(snapshot.elo) });
  const separated = new Set(board.separatedModels);
  const models: BtFitModel[] = board.models.map((m) => ({
    id: m.model,
    rating: round(m.rating, 2),
    ci:
      m.ci && finite(m.ci.lower) && finite(m.ci.median) && finite(m.ci.upper)
        ? { lower: round(m.ci.lower, 2), median: round(m.ci.median, 2), upper: round(m.ci.upper, 2) }
        : null,
    rankUB: m.rankUB,
    battles: m.battles,
    wins: m.wins,
    losses: m.losses,
    ties: m.ties,
    elo: finite(m.elo) ? round(m.elo, 2) : null,
    separated: separated.has(m.model),
  }));

  // Pair tables in leaderboard order (the engine's are in order of first appearance).
  const position = new Map(counts.models.map((id, i) => [id, i]));
  const ratingOf = new Map(board.models.map((m) => [m.model, m.rating]));
  const order = models.map((m) => position.get(m.id)!);
  const battles = pairBattleCounts(counts).values;
  const predicted = predictedWinRates(
    counts.models,
    Float64Array.from(counts.models, (id) => ratingOf.get(id)!),
  ).values;
  const reorder = (table: Array<Array<number | null>>, digits: number) =>
    order.map((i) => order.map((j) => (table[i]![j] === null ? null : round(table[i]![j]!, digits))));
  return {
    votes: counts.battles,
    converged: board.converged,
    componentCount: board.componentCount,
    warnings: board.warnings,
    bootstrap: board.bootstrap && { rounds: board.bootstrap.rounds, seed: board.bootstrap.seed },
    models,
    pairs: { models: models.map((m) => m.id), battles: reorder(battles, 0), predicted: reorder(predicted, 4) },
  };
}
