/** Domain types that cross the wire. Nothing here may identify a model before its battle is voted on. */

export const WINNERS = ['a', 'b', 'tie', 'bothbad'] as const;
export type Winner = (typeof WINNERS)[number];

export const SIDES = ['a', 'b'] as const;
export type Side = (typeof SIDES)[number];

export type FinishReason = 'stop' | 'length' | 'error';

/**
 * Why a vote is kept out of the public standings (see server/integrity): an answer named its model,
 * the vote came faster than the answers could be read, or the voter saw the names (a named battle,
 * or an import's `anony: false`).
 */
export const INTEGRITY_FLAGS = ['self_identified', 'too_fast', 'named'] as const;
export type IntegrityFlag = (typeof INTEGRITY_FLAGS)[number];

export interface PublicModel {
  id: string;
  name: string;
  /** True for the built-in offline demo models. */
  demo: boolean;
  organization?: string | null;
  license?: string | null;
}

export interface RevealedModels {
  a: { id: string; name: string };
  b: { id: string; name: string };
}

export interface LeaderboardEntry {
  id: string;
  name: string;
  demo: boolean;
  /** Online Elo (FastChat's definition). */
  rating: number;
  games: number;
  wins: number;
  losses: number;
  ties: number;
  rank: number;
  /** Speed and cost over the model's recent answers; absent until it has answered. */
  speed?: ModelSpeed;
}

export interface ModelSpeed {
  /** Answers in the sample (the most recent ones, failures included). */
  answers: number;
  /** Share of those answers that failed. */
  errorRate: number;
  medianTtftMs: number | null;
  p90TtftMs: number | null;
  /** Whole answer, request to last token. */
  medianLatencyMs: number | null;
  p90LatencyMs: number | null;
  /** Output tokens per second after the first token. */
  medianTokensPerSecond: number | null;
  medianOutputTokens: number | null;
  /** Null when the model has no pricing configured. */
  medianCostUsd: number | null;
  /** Mean cost of an answer (answers that succeeded); null when the model has no pricing configured. */
  meanCostUsd: number | null;
}

export interface Leaderboard {
  updatedAt: string;
  totalVotes: number;
  models: LeaderboardEntry[];
}

export interface ConfidenceInterval {
  lower: number;
  median: number;
  upper: number;
}

/** One model in the Bradley-Terry standings; only models with at least one counted vote. */
export interface BtLeaderboardEntry {
  id: string;
  name: string;
  demo: boolean;
  /** Bradley-Terry rating on the Elo scale (400·θ + 1000; mean 1000 within each connected group). */
  rating: number;
  /**
   * 95% interval by the standings' `intervals.method`: bootstrap percentiles (2.5%, 50%, 97.5%), or
   * for model-based intervals estimate ± 1.96·se (`median` is then the rating); null when it could not be computed.
   */
  ci: ConfidenceInterval | null;
  /** 1 + the number of models whose lower bound is above this model's upper bound. */
  rankUB: number;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
  /** Online Elo, from the same snapshot of the votes. */
  elo: number | null;
  /** True when the fit cannot place this model (it never lost, or never won, against the rest): its rating is not an estimate. */
  separated: boolean;
  speed?: ModelSpeed;
}

/** Pairwise tables for charts; rows and columns follow `models`, the diagonal is null. */
export interface BtPairs {
  /** Model ids, in the order of BtLeaderboard.models. */
  models: string[];
  /** battles[i][j]: votes between models[i] and models[j], ties included. */
  battles: Array<Array<number | null>>;
  /** predicted[i][j]: P(models[i] beats models[j]) under the fitted ratings. */
  predicted: Array<Array<number | null>>;
}

/** How rating intervals are computed (docs/RATINGS.md, "Intervals from the fitted model", "Small samples"). */
export const INTERVAL_METHODS = ['bootstrap', 'sandwich', 'fisher'] as const;

/**
 * How a bootstrap round draws its multinomial resample from a seed: `table` (Poisson draws and a
 * lookup table, server/ratings/multinomial.ts; since December 2026) or `chain` (conditional
 * binomials cell by cell, server/ratings/random.ts; kept to verify older snapshots). Both draw
 * exactly the same distribution; the numbers a seed gives differ.
 */
export type BootstrapSampler = 'table' | 'chain';
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];

/** Which interval method and prior a fit used: what a page says beside its intervals. */
export interface IntervalsUsed {
  /**
   * `bootstrap`: percentiles of refits on resampled votes (`bootstrap` gives rounds and seed);
   * `sandwich`: robust (Huber–White) intervals from the fitted model, LMArena's method;
   * `fisher`: model-based (inverse information; with a prior, the Laplace approximation of the posterior).
   */
  method: IntervalMethod;
  /** Sandwich only: the votes of one voter count as one cluster (voters are not independent votes). */
  clustered: boolean;
  /** The small-sample prior N(1000, sd²) on every rating (a penalized fit, so every rating is finite); null without one. */
  prior: { sd: number } | null;
}

/** Two models adjacent in rating order, and whether the votes tell them apart. */
export interface NeighbourResolution {
  /** Model ids: `above` is rated higher. */
  above: string;
  below: string;
  /** 95% interval of rating(above) − rating(below), rating points (from the same resamples or covariance as the intervals). */
  diff: { lower: number; upper: number };
  /** diff.lower > 0: the order of the two is supported by the votes. */
  separated: boolean;
  /** About how many more votes between just these two would separate them at their current win rate (0 when separated); null when they look tied. */
  votesToSeparate: number | null;
}

/** What prompt deduplication did to a fit: prompts asked far more often than others count as `cap` votes each. */
export interface PromptDedupSummary {
  /** Share of distinct prompts treated as over-represented (config `standings.promptDedup.topShare`). */
  topShare: number;
  /** Each down-weighted prompt counts as this many votes; null when no prompt was down-weighted. */
  cap: number | null;
  /** Prompts down-weighted, and how many votes they have. */
  prompts: number;
  votes: number;
  /** Sum of the vote weights in the fit: the votes the fit effectively counts. */
  effectiveVotes: number;
}

/** Bradley-Terry standings with intervals (`GET /api/leaderboard?method=bt`, `leaderboard:bt`). */
export interface BtLeaderboard {
  method: 'bt';
  /** When the fit finished (ISO time). */
  computedAt: string;
  /** Counted votes the fit was computed on. */
  votes: number;
  /** True when votes arrived after that snapshot (a recompute follows). */
  stale: boolean;
  /** False when some model could not be placed (see `separated`). */
  converged: boolean;
  /** Groups of models never compared, even indirectly; ratings are comparable only within a group. */
  componentCount: number;
  warnings: string[];
  /**
   * Rounds and seed of the bootstrap; null when the intervals are not bootstrap intervals. A published
   * snapshot also names how its resamples were drawn (`sampler`; absent: `chain`, before December 2026).
   */
  bootstrap: { rounds: number; seed: number; sampler?: BootstrapSampler } | null;
  /** The interval method and prior behind `ci`, `rankUB` and `neighbours`. */
  intervals: IntervalsUsed;
  /** Best first, by rating. */
  models: BtLeaderboardEntry[];
  /** One entry per pair of adjacent `models` (models[k] above models[k + 1]). */
  neighbours: NeighbourResolution[];
  pairs: BtPairs;
  /** Prompt deduplication in this fit; null when it is switched off. */
  promptDedup: PromptDedupSummary | null;
}

export const BATTLE_STATUSES = ['streaming', 'ready', 'failed', 'voted', 'abandoned'] as const;
export type BattleStatus = (typeof BATTLE_STATUSES)[number];

/**
 * How a battle was fought: `arena` blind (the pair drawn, names after the vote), `named` side by
 * side with both models chosen and named from the start (its vote is flagged `named`, so it stays
 * out of the blind standings), `evaluation` a team evaluation's.
 */
export const BATTLE_MODES = ['arena', 'named', 'evaluation'] as const;
export type BattleMode = (typeof BATTLE_MODES)[number];

/** A battle as the voter who owns it may see it (for resuming after a reload). */
export interface BattleView {
  battleId: string;
  /** `abandoned`: stopped, left for a new battle, or not voted in time; it can no longer be voted on. */
  status: BattleStatus;
  turns: Array<{
    turn: number;
    prompt: string;
    a: AnswerView;
    b: AnswerView;
  }>;
  vote: { winner: Winner; models: RevealedModels; counted: boolean; flags: IntegrityFlag[] } | null;
  /** Only in a named battle: the two models the voter chose, known from the start. Never present in a blind one. */
  named?: RevealedModels;
}

export interface AnswerView {
  text: string;
  reasoning: string;
  reasoningMs: number | null;
  finishReason: FinishReason | null;
  /** The failure in English words (older clients); `failure` names it. */
  error: string | null;
  failure?: PublicFailure | null;
  /** Why the answer ended early when it was not the model's doing: the server restarted, or the voter stopped it. */
  interruption: Interruption | null;
}

/**
 * Why an answer failed, as a voter may be told before the vote: from the failure's kind only (raw
 * service messages can name the model or its vendor). The page words it in the reader's language.
 */
export const PUBLIC_FAILURES = [
  'unreachable',
  'service_error',
  'busy',
  'too_slow',
  'broken_stream',
  'page_closed',
  'stopped',
  'restart',
  'not_stored',
] as const;
export type PublicFailure = (typeof PUBLIC_FAILURES)[number];

/** An answer cut short by the arena, not by the model: never counted against the model. */
export type Interruption = 'restart' | 'stopped';
