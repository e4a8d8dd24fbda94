/**
 * Matchmaking policies (pure): which pair fights next. `uniform` is samplePair on equal weights;
 * `weighted` honours per-model weights, boosts models short of votes and leaves out models in an
 * outage; `active` favours the pair whose next vote shrinks the neighbour intervals most, with an
 * exploration floor. Every policy draws exactly two random numbers, the second for the sides.
 * See docs/RATINGS.md, "Matchmaking".
 */
import { type FitSummary, type PairGainOptions, pairGains } from '../ratings/pair-information.ts';
import { type Candidate, samplePair } from './sampling.ts';

export const MATCHMAKING_POLICIES = ['uniform', 'weighted', 'active'] as const;
export type MatchmakingPolicy = (typeof MATCHMAKING_POLICIES)[number];

export interface MatchCandidate extends Candidate {
  /** Counted votes the model has (for the boost). */
  votes?: number | undefined;
  /** The model is failing now (e.g. its provider is down): weighted and active leave it out. */
  outage?: boolean | undefined;
}

export interface MatchmakingOptions extends PairGainOptions {
  /** weighted: models with fewer votes than this get their weight multiplied by `boostFactor`. Default 0 (no boost). */
  boostBelowVotes?: number | undefined;
  /** weighted: the multiplier for models short of votes. Default 4. */
  boostFactor?: number | undefined;
  /** active: share of draws spread uniformly over all pairs, so every pair keeps a chance. Default 0.1. */
  explorationFloor?: number | undefined;
  /**
   * active: outside the floor, pairs are drawn ∝ gain^concentration. 1 is Chiang et al.'s
   * proportional rule; large values approach always taking the best pair. Default 4.
   */
  concentration?: number | undefined;
}

export const DEFAULT_BOOST_FACTOR = 4;
export const DEFAULT_EXPLORATION_FLOOR = 0.1;
export const DEFAULT_CONCENTRATION = 4;

/** Models not in an outage; all of them when fewer than two would remain (a battle needs two). */
export function available(candidates: readonly MatchCandidate[]): readonly MatchCandidate[] {
  const up = candidates.filter((c) => !c.outage);
  return up.length >= 2 ? up : candidates;
}

/** Every unordered pair equally likely: samplePair on unit weights, draw for draw. */
export function uniformPair(candidates: readonly MatchCandidate[], random: () => number): [string, string] {
  return samplePair(
    candidates.map((c) => ({ id: c.id, weight: 1 })),
    random,
  );
}

/** The per-model weights after the boost; what weightedPair hands to samplePair. */
export function boostedWeights(candidates: readonly MatchCandidate[], options: MatchmakingOptions = {}): Candidate[] {
  const below = options.boostBelowVotes ?? 0;
  const factor = options.boostFactor ?? DEFAULT_BOOST_FACTOR;
  return candidates.map((c) => ({ id: c.id, weight: c.weight * ((c.votes ?? 0) < below ? factor : 1) }));
}

/** Pair probability ∝ product of (boosted) weights over the available models. With no boost and no outage it is samplePair exactly. */
export function weightedPair(candidates: readonly MatchCandidate[], random: () => number, options: MatchmakingOptions = {}): [string, string] {
  return samplePair(boostedWeights(available(candidates), options), random);
}

/**
 * Probability of each pair (i < j, in the order of pairGains) under the active policy:
 * floor/pairs + (1 − floor)·gain^c/Σgain^c; uniform without a fit or when the gains carry no information.
 */
export function activeProbabilities(ids: readonly string[], fit: FitSummary | null, options: MatchmakingOptions = {}): Float64Array {
  const floor = options.explorationFloor ?? DEFAULT_EXPLORATION_FLOOR;
  if (!(floor > 0 && floor <= 1)) throw new RangeError(`explorationFloor must be in (0, 1], got ${floor}`);
  const power = options.concentration ?? DEFAULT_CONCENTRATION;
  // Without a fit nothing is known yet: every pair alike (the gains would follow the models' names).
  const gains = fit ? pairGains(ids, fit, options).map((g) => g ** power) : new Float64Array((ids.length * (ids.length - 1)) / 2);
  let total = 0;
  for (const g of gains) total += g;
  const pairs = gains.length;
  const probabilities = new Float64Array(pairs);
  const informative = Number.isFinite(total) && total > 0;
  for (let k = 0; k < pairs; k++) probabilities[k] = floor / pairs + (informative ? ((1 - floor) * gains[k]!) / total : (1 - floor) / pairs);
  return probabilities;
}

/**
 * The same fit serves many battles until the next refit, so its probabilities are kept with it
 * (for the same models and options). Purely a cache: the numbers are those of activeProbabilities,
 * as long as a fit summary is replaced, never changed in place.
 */
const remembered = new WeakMap<FitSummary, { key: string; probabilities: Float64Array }>();

function cachedProbabilities(ids: readonly string[], fit: FitSummary | null, options: MatchmakingOptions): Float64Array {
  if (!fit) return activeProbabilities(ids, fit, options);
  const { unknownSd, sharpness, explorationFloor, concentration } = options;
  const key = JSON.stringify([ids, unknownSd, sharpness, explorationFloor, concentration]);
  const entry = remembered.get(fit);
  if (entry?.key === key) return entry.probabilities;
  const probabilities = activeProbabilities(ids, fit, options);
  remembered.set(fit, { key, probabilities });
  return probabilities;
}

/** Draws a pair from the active policy's probabilities (per-model weights play no part); sides by a fair coin. */
export function activePair(
  candidates: readonly MatchCandidate[],
  fit: FitSummary | null,
  random: () => number,
  options: MatchmakingOptions = {},
): [string, string] {
  const pool = available(candidates);
  const n = pool.length;
  if (n < 2) throw new Error('at least two models are needed for a battle');
  const ids = pool.map((c) => c.id);
  const probabilities = cachedProbabilities(ids, fit, options);
  let r = random();
  let chosen: [string, string] = [ids[n - 2]!, ids[n - 1]!];
  let k = 0;
  outer: for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      r -= probabilities[k]!;
      if (r < 0) {
        chosen = [ids[i]!, ids[j]!];
        break outer;
      }
    }
  }
  return random() < 0.5 ? chosen : [chosen[1], chosen[0]];
}

/** One entry point for the battle service: the configured policy, the candidates, the latest fit (active only). */
export function pickPair(
  policy: MatchmakingPolicy,
  candidates: readonly MatchCandidate[],
  fit: FitSummary | null,
  random: () => number,
  options: MatchmakingOptions = {},
): [string, string] {
  switch (policy) {
    case 'uniform':
      return uniformPair(candidates, random);
    case 'weighted':
      return weightedPair(candidates, random, options);
    case 'active':
      return activePair(candidates, fit, random, options);
  }
}
