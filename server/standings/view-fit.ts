/**
 * The fit of one standings view (pure, no I/O): its votes in time order → online Elo over just
 * those votes, and for `bt` the public fit (public-fit.ts: prompt deduplication, the interval
 * method, style control, neighbours). Runs in the worker (bt-worker.ts); names, speed, thresholds
 * and the deprecated filter are added on the main thread (standings-build.ts).
 */
import { countBattles } from '../ratings/counts.ts';
import { onlineEloFromColumns } from '../ratings/elo.ts';
import { pairBattleCounts, predictedWinRates, rankModelsFromCounts } from '../ratings/summary.ts';
import type { BtFitModel } from './bt-fit.ts';
import type { IntervalChoice } from './fit-methods.ts';
import type { FitVotes } from './fit-votes.ts';
import { emptyPublicFit, fitPublic, groupsOf, observedWinRates, type PublicFit } from './public-fit.ts';

export interface ViewFitOptions {
  method: 'elo' | 'bt';
  bootstrap: number;
  seed: number;
  eloK: number;
  intervals: IntervalChoice;
  dedupTopShare: number;
  styleControl: boolean;
}

export type ViewFit = Omit<PublicFit, 'intervals'> & { method: 'elo' | 'bt'; intervals: PublicFit['intervals'] | null };

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function emptyViewFit(method: ViewFit['method']): ViewFit {
  return { ...emptyPublicFit({ method: 'bootstrap', clustered: false, prior: null }), method, intervals: null };
}

export function fitView(votes: FitVotes, options: ViewFitOptions): ViewFit {
  if (options.method === 'bt') return { ...fitPublic(votes, options), method: 'bt' };
  const { columns } = votes;
  const counts = countBattles(columns);
  if (counts.battles === 0) return emptyViewFit('elo');
  const elo = onlineEloFromColumns(columns, { k: options.eloK });
  const board = rankModelsFromCounts(counts, { method: 'elo', eloRatings: new Map(counts.models.map((id, i) => [id, elo[i]!])) });
  const models: BtFitModel[] = board.models.map((m) => ({
    id: m.model,
    rating: round(m.rating, 2),
    ci: null,
    rankUB: m.rankUB,
    battles: m.battles,
    wins: m.wins,
    losses: m.losses,
    ties: m.ties,
    elo: Number.isFinite(m.elo) ? round(m.elo!, 2) : null,
    separated: false,
  }));
  const position = new Map(counts.models.map((id, i) => [id, i]));
  const order = models.map((m) => position.get(m.id)!);
  const reorder = (table: Array<Array<number | null>>, digits: number) =>
    order.map((i) => order.map((j) => (table[i]![j] === null ? null : round(table[i]![j]!, digits))));
  return {
    ...emptyViewFit('elo'),
    votes: counts.battles,
    componentCount: board.componentCount,
    models,
    pairs: {
      models: models.map((m) => m.id),
      battles: reorder(pairBattleCounts(counts).values, 0),
      predicted: reorder(predictedWinRates(counts.models, elo).values, 4),
      observed: reorder(observedWinRates(counts), 4),
    },
    groups: groupsOf(counts),
  };
}
