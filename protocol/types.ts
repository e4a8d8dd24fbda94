/** Domain types that cross the wire. Nothing here may identify a model before its battle is voted on. */

export const WINNERS = ['a', 'b', 'tie', 'bothbad'] as const;
export type Winner = (typeof WINNERS)[number];

export const SIDES = ['a', 'b'] as const;
export type Side = (typeof SIDES)[number];

export type FinishReason = 'stop' | 'length' | 'error';

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
}

export interface Leaderboard {
  updatedAt: string;
  totalVotes: number;
  models: LeaderboardEntry[];
}

/** A battle as the voter who owns it may see it (for resuming after a reload). */
export interface BattleView {
  battleId: string;
  status: 'streaming' | 'ready' | 'failed' | 'voted';
  turns: Array<{
    turn: number;
    prompt: string;
    a: AnswerView;
    b: AnswerView;
  }>;
  vote: { winner: Winner; models: RevealedModels } | null;
}

export interface AnswerView {
  text: string;
  reasoning: string;
  reasoningMs: number | null;
  finishReason: FinishReason | null;
  error: string | null;
}
