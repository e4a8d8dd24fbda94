/**
 * The fit of one standings view (pure, no I/O): its votes in time order → online Elo over just
 * those votes, and for `bt` the Bradley-Terry fit with bootstrap intervals, plus the pairwise
 * tables and what the warnings are made of. Runs in the worker (bt-worker.ts); names, speed,
 * thresholds and the deprecated filter are added on the main thread (standings-build.ts).
 */
import { BattleColumnsBuilder, type BattleCounts, countBattles } from '../ratings/counts.ts';
import { onlineEloFromColumns } from '../ratings/elo.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { pairBattleCounts, predictedWinRates, rankModelsFromCounts } from '../ratings/summary.ts';
import type { BtFitModel } from './bt-fit.ts';
import type { ViewVote } from './views-repo.ts';

export interface ViewFitOptions {
  method: 'elo' | 'bt';
  bootstrap: number;
  seed: number;
  eloK: number;
}

type Table = Array<Array<number | null>>;

export interface ViewFit {
  method: 'elo' | 'bt';
  votes: number;
  converged: boolean;
  componentCount: number;
  bootstrap: { rounds: number; seed: number } | null;
  /** Every model with a vote in the view, best first by the method's rating (`rating`; `elo` beside it). */
  models: BtFitModel[];
  /** Rows and columns follow `models`. */
  pairs: { models: string[]; battles: Table; predicted: Table; observed: Table };
  /** Model ids of each group never compared with the others; empty when everyone is connected. */
  groups: string[][];
  /** Bootstrap resamples without a finite fit. */
  bootstrapFailures: number;
  /** The solver stopped before its tolerance (and not because of a separated model). */
  solverStopped: boolean;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function emptyViewFit(method: ViewFit['method']): ViewFit {
  return {
    method,
    votes: 0,
    converged: true,
    componentCount: 0,
    bootstrap: null,
    models: [],
    pairs: { models: [], battles: [], predicted: [], observed: [] },
    groups: [],
    bootstrapFailures: 0,
    solverStopped: false,
  };
}

/** Connected groups of the comparison graph (a pair is connected by any battle), in first-appearance order. */
function groupsOf(counts: BattleCounts): string[][] {
  const m = counts.models.length;
  const parent = Array.from({ length: m }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    return root;
  };
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (counts.wins[i * m + j]! + counts.wins[j * m + i]! + counts.ties[i * m + j]! > 0) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, string[]>();
  counts.models.forEach((model, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), model]);
  });
  return groups.size > 1 ? [...groups.values()] : [];
}

/** Observed share of battles row model won against column model, ties half; null without battles. */
function observedWinRates(counts: BattleCounts): Table {
  const m = counts.models.length;
  return counts.models.map((_, i) =>
    counts.models.map((_, j) => {
      if (i === j) return null;
      const ties = counts.ties[i * m + j]!;
      const battles = counts.wins[i * m + j]! + counts.wins[j * m + i]! + ties;
      return battles > 0 ? (counts.wins[i * m + j]! + ties / 2) / battles : null;
    }),
  );
}

export function fitView(votes: Iterable<ViewVote>, options: ViewFitOptions): ViewFit {
  const builder = new BattleColumnsBuilder();
  for (const [a, b, winner] of votes) builder.add(a, b, outcomeFromDbWinner(winner));
  const columns = builder.build();
  const counts = countBattles(columns);
  if (counts.battles === 0) return emptyViewFit(options.method);
  const elo = onlineEloFromColumns(columns, { k: options.eloK });
  const board = rankModelsFromCounts(counts, {
    method: options.method === 'elo' ? 'elo' : 'both',
    bootstrap: options.bootstrap,
    seed: options.seed,
    eloRatings: new Map(counts.models.map((id, i) => [id, elo[i]!])),
  });
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

  // Pair tables in standings order (the engine's are in order of first appearance).
  const position = new Map(counts.models.map((id, i) => [id, i]));
  const ratingOf = new Map(board.models.map((m) => [m.model, m.rating]));
  const order = models.map((m) => position.get(m.id)!);
  const reorder = (table: Table, digits: number) => order.map((i) => order.map((j) => (table[i]![j] === null ? null : round(table[i]![j]!, digits))));
  const predicted = predictedWinRates(
    counts.models,
    Float64Array.from(counts.models, (id) => ratingOf.get(id)!),
  ).values;
  return {
    method: options.method,
    votes: counts.battles,
    converged: board.converged,
    componentCount: board.componentCount,
    bootstrap: board.bootstrap && { rounds: board.bootstrap.rounds, seed: board.bootstrap.seed },
    models,
    pairs: {
      models: models.map((m) => m.id),
      battles: reorder(pairBattleCounts(counts).values, 0),
      predicted: reorder(predicted, 4),
      observed: reorder(observedWinRates(counts), 4),
    },
    groups: groupsOf(counts),
    bootstrapFailures: board.bootstrap?.nonConverged ?? 0,
    solverStopped: options.method === 'bt' && !board.converged && separated.size === 0,
  };
}
