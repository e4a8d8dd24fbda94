/**
 * A view's standings from its fit (pure, given the model lookups): names and tags, speed and cost,
 * deprecated models hidden unless asked for, models under the vote threshold listed apart as
 * provisional (never ranked among the rated ones), ranks recounted within each list, the change
 * of rank since the previous fit, pair tables, Pareto fronts and warnings in plain words.
 */
import type { Standings, StandingsEntry, StandingsView } from '../../protocol/standings.ts';
import type { ModelSpeed } from '../../protocol/types.ts';
import type { BtFitModel } from './bt-fit.ts';
import { standingsFronts } from './fronts.ts';
import { neighboursAmong } from './public-fit.ts';
import type { ViewFit } from './view-fit.ts';
import { fitNotes, noteText } from './warnings.ts';

export interface ModelFacts {
  name: string;
  demo: boolean;
  organization: string | null;
  license: string | null;
  deprecated: boolean;
}

export interface StandingsLookups {
  describe: (id: string) => ModelFacts | undefined;
  speedOf: (id: string) => ModelSpeed | undefined;
}

export interface StandingsInput {
  fit: ViewFit;
  /** The fit before the latest votes, for `rankChange`; null for the first. */
  previous: ViewFit | null;
  view: StandingsView;
  minVotes: number;
  computedAt: string;
  stale: boolean;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function entryOf(m: BtFitModel, lookups: StandingsLookups): StandingsEntry {
  const facts = lookups.describe(m.id);
  const speed = lookups.speedOf(m.id);
  const mean = speed?.meanCostUsd ?? null;
  return {
    ...m,
    name: facts?.name ?? m.id,
    demo: facts?.demo ?? false,
    ...(speed ? { speed } : {}),
    organization: facts?.organization ?? null,
    license: facts?.license ?? null,
    deprecated: facts?.deprecated ?? false,
    winRate: m.battles > 0 ? round((m.wins + m.ties / 2) / m.battles, 4) : null,
    costPer1kAnswersUsd: mean === null ? null : round(mean * 1000, 4),
    rankChange: null,
  };
}

/** 1 + the models of the list whose lower bound is above this one's upper bound (its rating without an interval). */
function ranksWithin(list: readonly StandingsEntry[]): Map<string, number> {
  const bounds = list.map((m) => ({ id: m.id, lower: m.ci?.lower ?? m.rating, upper: m.ci?.upper ?? m.rating }));
  return new Map(bounds.map((b) => [b.id, 1 + bounds.filter((o) => o.lower > b.upper).length]));
}

/** Shown models of a fit, split by the threshold, in rating order. */
function split(fit: ViewFit, input: StandingsInput, lookups: StandingsLookups): { rated: StandingsEntry[]; provisional: StandingsEntry[] } {
  const shown = fit.models.map((m) => entryOf(m, lookups)).filter((m) => input.view.deprecated === '1' || !m.deprecated);
  return { rated: shown.filter((m) => m.battles >= input.minVotes), provisional: shown.filter((m) => m.battles < input.minVotes) };
}

function pairsOf(fit: ViewFit, ids: readonly string[]): Standings['pairs'] {
  const index = new Map(fit.pairs.models.map((id, i) => [id, i]));
  const at = ids.map((id) => index.get(id)!);
  const sub = (table: Array<Array<number | null>>) => at.map((i) => at.map((j) => table[i]?.[j] ?? null));
  return { models: [...ids], battles: sub(fit.pairs.battles), predicted: sub(fit.pairs.predicted), observed: sub(fit.pairs.observed) };
}

export function buildStandings(input: StandingsInput, lookups: StandingsLookups): Standings {
  const { fit } = input;
  const { rated, provisional } = split(fit, input, lookups);
  const ranks = ranksWithin(rated);
  // The view's first fit has nothing to compare with: no model moved, none is new.
  const before = input.previous ? ranksWithin(split(input.previous, input, lookups).rated) : null;
  const models = rated.map((m) => {
    const rank = ranks.get(m.id)!;
    const earlier = before ? before.get(m.id) : rank;
    return { ...m, rankUB: rank, rankChange: earlier === undefined ? null : earlier - rank };
  });
  const provisionalRanks = ranksWithin(provisional);
  const nameOf = (id: string) => lookups.describe(id)?.name ?? id;
  const notes = fitNotes(fit);
  return {
    method: fit.method,
    view: input.view,
    minVotes: input.minVotes,
    computedAt: input.computedAt,
    votes: fit.votes,
    stale: input.stale,
    converged: fit.converged,
    componentCount: fit.componentCount,
    notes,
    warnings: notes.map((note) => noteText(note, nameOf)),
    bootstrap: fit.bootstrap,
    intervals: fit.intervals,
    models,
    provisional: provisional.map((m) => ({ ...m, rankUB: provisionalRanks.get(m.id)! })),
    neighbours: fit.uncertainty
      ? neighboursAmong(
          fit.uncertainty,
          models.map((m) => m.id),
        )
      : [],
    pairs: pairsOf(
      fit,
      models.map((m) => m.id),
    ),
    fronts: standingsFronts(models),
    style: fit.style,
    promptDedup: fit.promptDedup,
  };
}
