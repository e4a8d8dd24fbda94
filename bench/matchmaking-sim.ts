/**
 * One simulated arena: models of known strength, pairs drawn by the real matchmaking code
 * (server/arena/matchmaking.ts), outcomes drawn from Bradley-Terry, the standings refitted every
 * few votes as the server would (penalized fit, model-based intervals), until every neighbour pair
 * is separated and the mean neighbour interval is narrower than a target.
 */
import { type MatchCandidate, type MatchmakingOptions, type MatchmakingPolicy, pickPair } from '../server/arena/matchmaking.ts';
import { emptyCounts } from '../server/ratings/counts.ts';
import { robustRatings } from '../server/ratings/intervals.ts';
import { neighboursFromCovariance } from '../server/ratings/neighbours.ts';
import type { FitSummary } from '../server/ratings/pair-information.ts';
import { rowsFromCounts } from '../server/ratings/pair-rows.ts';
import { Xoshiro128 } from '../server/ratings/random.ts';

export interface SimulationSetup {
  models: number;
  /** Strongest minus weakest, rating points; strengths evenly spaced. */
  spread: number;
  policy: MatchmakingPolicy;
  seed: number;
  /** Votes between refits (the server refits every couple of seconds, not after every vote). */
  refitEvery: number;
  /** Mean neighbour interval width to reach, rating points. */
  widthTarget: number;
  maxVotes: number;
  priorSd?: number;
  options?: MatchmakingOptions;
}

export interface SimulationResult {
  /** Votes until every neighbour pair was separated (diff.lower > 0), or null if not within maxVotes. */
  votesToSeparateAll: number | null;
  /** Votes until the mean neighbour interval width fell below the target, or null. */
  votesToWidth: number | null;
  /** Whether the fitted order equals the true order when every pair was first separated. */
  orderCorrectAtSeparation: boolean | null;
  /** Neighbour difference intervals that contained the true difference, and how many there were, when the width target was reached. */
  coveredAtWidth: number;
  neighboursAtWidth: number;
  /** Share of votes spent on pairs adjacent in the true order. */
  adjacentShare: number;
}

export function trueRatings(models: number, spread: number): number[] {
  return Array.from({ length: models }, (_, i) => 1000 + spread / 2 - (spread * i) / (models - 1));
}

export function simulate(setup: SimulationSetup): SimulationResult {
  const m = setup.models;
  const truth = trueRatings(m, setup.spread);
  const names = truth.map((_, i) => `model-${String(i).padStart(2, '0')}`);
  const index = new Map(names.map((name, i) => [name, i]));
  const candidates: MatchCandidate[] = names.map((id) => ({ id, weight: 1, votes: 0 }));
  const source = new Xoshiro128(setup.seed);
  const random = () => source.nextFloat();
  const counts = emptyCounts(names);
  const wins = counts.wins;
  let votes = 0;
  let adjacent = 0;
  let fit: FitSummary | null = null;
  const result: SimulationResult = {
    votesToSeparateAll: null,
    votesToWidth: null,
    orderCorrectAtSeparation: null,
    coveredAtWidth: 0,
    neighboursAtWidth: 0,
    adjacentShare: 0,
  };

  while (votes < setup.maxVotes && (result.votesToSeparateAll === null || result.votesToWidth === null)) {
    for (let k = 0; k < setup.refitEvery; k++) {
      const [left, right] = pickPair(setup.policy, candidates, fit, random, setup.options);
      const a = index.get(left)!;
      const b = index.get(right)!;
      const pA = 1 / (1 + 10 ** ((truth[b]! - truth[a]!) / 400));
      if (random() < pA) wins[a * m + b]!++;
      else wins[b * m + a]!++;
      candidates[a]!.votes!++;
      candidates[b]!.votes!++;
      if (Math.abs(a - b) === 1) adjacent++;
      votes++;
    }
    const standings = robustRatings(rowsFromCounts({ ...counts, battles: votes }), { priorSd: setup.priorSd ?? 400, method: 'fisher' });
    fit = { models: names, ratings: standings.ratings, covariance: standings.covariance };
    const neighbours = neighboursFromCovariance(fit);
    if (result.votesToSeparateAll === null && neighbours.every((n) => n.separated)) {
      result.votesToSeparateAll = votes;
      result.orderCorrectAtSeparation = neighbours.every((n) => index.get(n.above)! < index.get(n.below)!);
    }
    const meanWidth = neighbours.reduce((s, n) => s + n.diff.upper - n.diff.lower, 0) / neighbours.length;
    if (result.votesToWidth === null && meanWidth < setup.widthTarget) {
      result.votesToWidth = votes;
      result.neighboursAtWidth = neighbours.length;
      for (const n of neighbours) {
        const gap = truth[index.get(n.above)!]! - truth[index.get(n.below)!]!;
        if (n.diff.lower <= gap && gap <= n.diff.upper) result.coveredAtWidth++;
      }
    }
  }
  result.adjacentShare = adjacent / Math.max(votes, 1);
  return result;
}
