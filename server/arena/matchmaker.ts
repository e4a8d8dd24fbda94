/**
 * The matchmaking policy as the battle service uses it: the enabled models as candidates (their
 * registry weight, their counted votes, whether they are in an outage), the latest Bradley-Terry
 * fit for `active`, and the one random source. The policies themselves are pure (matchmaking.ts).
 */
import type { ModelConfig } from '../models/config.ts';
import type { ModelHealth } from '../models/health.ts';
import type { FitSummary } from '../ratings/pair-information.ts';
import type { MatchmakingConfig } from './config.ts';
import { type MatchCandidate, pickPair } from './matchmaking.ts';

export interface MatchmakingSources {
  /** Counted public votes of a model (for the boost). */
  votesOf: (modelId: string) => number;
  /** The latest fit's ratings and covariance; null before the first fit. */
  latestFit: () => FitSummary | null;
}

export class Matchmaker {
  readonly #config: MatchmakingConfig;
  readonly #health: ModelHealth;
  readonly #sources: MatchmakingSources;
  readonly #random: () => number;

  constructor(deps: { config: MatchmakingConfig; health: ModelHealth; sources: MatchmakingSources; random: () => number }) {
    this.#config = deps.config;
    this.#health = deps.health;
    this.#sources = deps.sources;
    this.#random = deps.random;
  }

  get policy(): MatchmakingConfig['policy'] {
    return this.#config.policy;
  }

  candidates(models: readonly ModelConfig[]): MatchCandidate[] {
    return models.map((m) => ({ id: m.id, weight: m.weight, votes: this.#sources.votesOf(m.id), outage: this.#health.inOutage(m.id) }));
  }

  /** [left, right]: the pair by the configured policy, sides by a fair coin. */
  pick(models: readonly ModelConfig[]): [string, string] {
    const { policy, boostBelowVotes, boostFactor, explorationFloor, concentration } = this.#config;
    const fit = policy === 'active' ? this.#sources.latestFit() : null;
    return pickPair(policy, this.candidates(models), fit, this.#random, { boostBelowVotes, boostFactor, explorationFloor, concentration });
  }
}
