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
  finishReason: FinishReason | null;
  error: string | null;
}
