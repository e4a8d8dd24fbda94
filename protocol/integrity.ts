/**
 * The admin's view of vote integrity (GET /api/admin/integrity and …/leaderboard): how many votes
 * each rule keeps out, voters far from the consensus, and the standings recomputed without a rule.
 */
import type { ConfidenceInterval, IntegrityFlag, Winner } from './types.ts';

/** A voter who disagrees with the consensus far more than chance would make them. */
export interface OutlierVoter {
  voterId: string;
  decisiveVotes: number;
  /** Decisive votes for the consensus favourite (the higher Bradley-Terry rating). */
  agreed: number;
  expected: number;
  /** Standard deviations from the expected agreement; outliers are far below it. */
  z: number;
}

export interface FlaggedVote {
  battleId: string;
  voterId: string;
  winner: Winner;
  modelA: string;
  modelB: string;
  flags: IntegrityFlag[];
  /** ISO time. */
  at: string;
}

/** A prompt asked far more often than the others, down-weighted in the public Bradley-Terry fit. */
export interface DownWeightedPrompt {
  /** The prompt as it is counted (its user turns, each trimmed, joined by newlines), cut to 300 characters. Model output never appears here. */
  prompt: string;
  /** Counted arena votes on it. */
  votes: number;
  /** What each of them weighs in the fit: cap / votes. */
  weight: number;
}

/** Prompt deduplication over the counted arena votes (the public fit; evaluation votes are never down-weighted). */
export interface PromptDedupReport {
  /** Config `standings.promptDedup.topShare`; 0 switches deduplication off. */
  topShare: number;
  /** Each down-weighted prompt counts as this many votes; null when none is. */
  cap: number | null;
  /** Distinct prompts among the counted arena votes that have one. */
  distinctPrompts: number;
  /** Votes the prompts below carry, and what they weigh together (cap × prompts). */
  downWeightedVotes: number;
  downWeightedWeight: number;
  /** Most repeated first, at most 50. */
  prompts: DownWeightedPrompt[];
}

export interface IntegrityReport {
  totalVotes: number;
  countedVotes: number;
  rules: Array<{ rule: IntegrityFlag; flagged: number }>;
  outliers: OutlierVoter[];
  /** The 50 latest flagged votes, newest first. */
  recentFlagged: FlaggedVote[];
  promptDedup: PromptDedupReport;
}

export type RatingMethod = 'bt' | 'elo' | 'both';

/** One model of a leaderboard computed from the votes (by model id). */
export interface RatedModel {
  model: string;
  rating: number;
  ci: ConfidenceInterval | null;
  rankUB: number;
  elo: number | null;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
}

/** Standings recomputed from the votes the chosen rules let through. */
export interface RecomputedLeaderboard {
  battles: number;
  method: RatingMethod;
  /** False when the Bradley-Terry fit did not converge or has no finite estimate. */
  converged: boolean;
  iterations: number | null;
  gradNorm: number | null;
  componentCount: number;
  separatedModels: string[];
  warnings: string[];
  bootstrap: { rounds: number; seed: number; nonConverged: number } | null;
  /** Highest rating first. */
  models: RatedModel[];
  votesUsed: number;
}

/**
 * Query of GET /api/admin/integrity/leaderboard: `include` is a comma-separated list of rules
 * whose flagged votes count again (e.g. `too_fast,named`).
 */
export interface IntegrityRecomputeQuery {
  include?: string;
  excludeOutliers?: 'true' | 'false' | '1' | '0' | boolean;
}
