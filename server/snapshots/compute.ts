/**
 * The standings of a snapshot from its votes (pure): the same Bradley-Terry fit and bootstrap the
 * live standings use (server/standings/bt-fit.ts on counts aggregated in order of first vote),
 * online Elo replayed in vote order, models under the vote threshold listed apart. The server
 * runs it when an admin publishes a snapshot, `arena ratings --verify` runs it on an export.
 */
import type { Standings, StandingsEntry, StandingsView } from '../../protocol/standings.ts';
import { importedModelId } from '../interop/import-battles.ts';
import type { BootstrapSampler } from '../ratings/bootstrap-rounds.ts';
import { eloUpdate, INITIAL_RATING } from '../ratings/elo.ts';
import { dbWinnerFromOutcome, scoreOfA } from '../ratings/outcomes.ts';
import { BOOTSTRAP_INTERVALS, type BtFitModel } from '../standings/bt-fit.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { FitVotesBuilder } from '../standings/fit-votes.ts';
import { fitPublic, neighboursAmong } from '../standings/public-fit.ts';
import type { CanonicalVote } from './canonical.ts';

export interface SnapshotParams {
  view: StandingsView;
  minVotes: number;
  /** Bradley-Terry bootstrap; null for an Elo view or model-based intervals. */
  bootstrap: { rounds: number; seed: number; sampler?: BootstrapSampler | undefined } | null;
  eloK: number;
  /** The interval method and prior (the bootstrap, FastChat's, when absent). */
  intervals?: IntervalChoice | undefined;
  /** Prompt deduplication's top share; 0 or absent: off. */
  dedupTopShare?: number | undefined;
}

/** What the votes do not say about a model: its name and labels. */
export interface ModelFacts {
  name: string;
  demo: boolean;
  organization: string | null;
  license: string | null;
  deprecated: boolean;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Tally {
  votes: FitVotesBuilder;
  elo: Map<string, number>;
  /** `a\u0000b` → wins of a over b; ties under both orders. */
  wins: Map<string, number>;
  ties: Map<string, number>;
  fileNames: Map<string, string>;
}

/** One pass in vote order: counts per (A, B, winner) in order of first vote, online Elo, pair tallies. */
function tally(votes: readonly CanonicalVote[], eloK: number): Tally {
  const t: Tally = { votes: new FitVotesBuilder(), elo: new Map(), wins: new Map(), ties: new Map(), fileNames: new Map() };
  const ids = new Map<string, string>();
  const idOf = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = importedModelId(name);
      ids.set(name, id);
      t.fileNames.set(id, name);
    }
    return id;
  };
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const v of votes) {
    const a = idOf(v.modelA);
    const b = idOf(v.modelB);
    if (a === b) continue;
    const winner = dbWinnerFromOutcome(v.winner);
    t.votes.add({ modelA: a, modelB: b, winner, prompt: v.prompt });
    const [ra, rb] = eloUpdate(t.elo.get(a) ?? INITIAL_RATING, t.elo.get(b) ?? INITIAL_RATING, scoreOfA(v.winner), eloK);
    t.elo.set(a, ra);
    t.elo.set(b, rb);
    if (winner === 'a') add(t.wins, `${a}\u0000${b}`, 1);
    else if (winner === 'b') add(t.wins, `${b}\u0000${a}`, 1);
    else {
      add(t.ties, `${a}\u0000${b}`, 1);
      add(t.ties, `${b}\u0000${a}`, 1);
    }
  }
  return t;
}

/** 1 + the models of the same list whose lower bound is above this one's upper bound (the rating without intervals). */
function rankWithin<T extends Pick<BtFitModel, 'rating' | 'ci'>>(list: T[]): Array<T & { rankUB: number }> {
  return list.map((m) => {
    const upper = m.ci?.upper ?? m.rating;
    return { ...m, rankUB: 1 + list.filter((o) => (o.ci?.lower ?? o.rating) > upper).length };
  });
}

export function computeStandings(
  votes: readonly CanonicalVote[],
  params: SnapshotParams,
  describe: (id: string, fileName: string) => ModelFacts,
  computedAt: string,
): Standings {
  const t = tally(votes, params.eloK);
  const method = params.view.method;
  const fit = fitPublic(t.votes.build(), {
    intervals: params.intervals ?? BOOTSTRAP_INTERVALS,
    bootstrap: method === 'bt' ? (params.bootstrap?.rounds ?? 0) : 0,
    seed: params.bootstrap?.seed ?? 1,
    sampler: params.bootstrap?.sampler ?? 'table',
    dedupTopShare: method === 'bt' ? (params.dedupTopShare ?? 0) : 0,
    styleControl: false,
    eloRatings: t.elo,
    eloK: params.eloK,
  });
  let models: BtFitModel[] = fit.models;
  if (method === 'elo') {
    models = fit.models
      .map((m) => ({ ...m, rating: m.elo ?? INITIAL_RATING, ci: null, separated: false }))
      .sort((x, y) => y.rating - x.rating || x.id.localeCompare(y.id));
  }
  const entry = (m: BtFitModel & { rankUB: number }): StandingsEntry => ({
    ...m,
    ...describe(m.id, t.fileNames.get(m.id) ?? m.id),
    winRate: m.battles > 0 ? round((m.wins + m.ties / 2) / m.battles, 4) : null,
    // Cost comes from answer timings and tokens, which an export does not carry.
    costPer1kAnswersUsd: null,
    rankChange: null,
  });
  const rated = rankWithin(models.filter((m) => m.battles >= params.minVotes)).map(entry);
  const provisional = rankWithin(models.filter((m) => m.battles < params.minVotes)).map(entry);

  const ids = rated.map((m) => m.id);
  const cell = (i: number, j: number, value: (a: string, b: string) => number | null) => (i === j ? null : value(ids[i]!, ids[j]!));
  const table = (value: (a: string, b: string) => number | null) => ids.map((_, i) => ids.map((_, j) => cell(i, j, value)));
  const pair = (a: string, b: string) => ({
    wins: t.wins.get(`${a}\u0000${b}`) ?? 0,
    losses: t.wins.get(`${b}\u0000${a}`) ?? 0,
    ties: t.ties.get(`${a}\u0000${b}`) ?? 0,
  });
  const ratingOf = new Map(rated.map((m) => [m.id, m.rating]));
  return {
    method,
    view: params.view,
    minVotes: params.minVotes,
    computedAt,
    votes: fit.votes,
    stale: false,
    converged: method === 'elo' ? true : fit.converged,
    componentCount: fit.componentCount,
    // The engine's own words, frozen with the snapshot; no codes to word them by.
    notes: [],
    warnings: method === 'elo' ? [] : fit.warnings,
    // Which resampling the bootstrap used, kept so `arena ratings --verify` redraws the same numbers.
    bootstrap: method === 'elo' || !fit.bootstrap ? null : { ...fit.bootstrap, sampler: params.bootstrap?.sampler ?? 'table' },
    intervals: method === 'elo' ? null : fit.intervals,
    models: rated,
    provisional,
    neighbours: method === 'bt' && fit.uncertainty ? neighboursAmong(fit.uncertainty, ids) : [],
    style: null,
    promptDedup: method === 'bt' ? fit.promptDedup : null,
    pairs: {
      models: ids,
      battles: table((a, b) => {
        const p = pair(a, b);
        return p.wins + p.losses + p.ties;
      }),
      predicted: table((a, b) => round(1 / (1 + 10 ** ((ratingOf.get(b)! - ratingOf.get(a)!) / 400)), 4)),
      observed: table((a, b) => {
        const p = pair(a, b);
        const n = p.wins + p.losses + p.ties;
        return n > 0 ? round((p.wins + p.ties / 2) / n, 4) : null;
      }),
    },
    // Fronts need cost and speed, which a snapshot does not hold.
    fronts: { cost: [], tokensPerSecond: [], ttft: [] },
  };
}
