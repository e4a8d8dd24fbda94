/** The realtime contract (default namespace), imported by both the server and the client. */
import type { Reply } from './errors.ts';
import type { EvalItem, EvalNextInput, EvalProgress, EvalSubscribeInput, EvalVoteInput, VoterProgress } from './evaluations.ts';
import type { BattleContinueInput, BattleResumeInput, BattleStartInput, BattleStopInput, BattleVoteInput } from './schemas.ts';
import type { BattleView, BtLeaderboard, FinishReason, IntegrityFlag, Interruption, Leaderboard, RevealedModels, Side } from './types.ts';

type Ack<T extends object = object> = (reply: Reply<T>) => void;

export interface ClientToServerEvents {
  'battle:start': (payload: BattleStartInput, ack: Ack<{ battleId: string }>) => void;
  'battle:continue': (payload: BattleContinueInput, ack: Ack) => void;
  /** Reveals the models; `counted: false` with the integrity rules the vote tripped when it stays out of the public standings. */
  'battle:vote': (payload: BattleVoteInput, ack: Ack<{ models: RevealedModels; counted: boolean; flags: IntegrityFlag[] }>) => void;
  /** Ends a battle without a vote (Stop, or leaving it for a new one): its streams are cut; it can no longer be voted on. */
  'battle:stop': (payload: BattleStopInput, ack: Ack) => void;
  'battle:resume': (payload: BattleResumeInput, ack: Ack<{ battle: BattleView }>) => void;
  'leaderboard:subscribe': (payload: Record<string, never>, ack: Ack<{ leaderboard: Leaderboard }>) => void;
  /** Stop receiving `leaderboard:update` and `leaderboard:bt` (the page left the leaderboard). */
  'leaderboard:unsubscribe': (payload: Record<string, never>, ack: Ack) => void;
  /** Members and admins: follow a running evaluation's progress (`eval:progress`). */
  'eval:subscribe': (payload: EvalSubscribeInput, ack: Ack<{ progress: EvalProgress }>) => void;
  /** Admins: follow any evaluation, draft and closed too. */
  'eval:watch': (payload: EvalSubscribeInput, ack: Ack<{ progress: EvalProgress }>) => void;
  'eval:unsubscribe': (payload: EvalSubscribeInput, ack: Ack) => void;
  /** The item to judge next (the one held, else a new one), or null when none is left for this voter. */
  'eval:next': (payload: EvalNextInput, ack: Ack<{ item: EvalItem | null; progress: VoterProgress }>) => void;
  'eval:vote': (payload: EvalVoteInput, ack: Ack<{ progress: VoterProgress }>) => void;
}

export interface BattleDelta {
  battleId: string;
  turn: number;
  side: Side;
  /** The new piece only, never the whole text so far. */
  text: string;
  /** Present instead of `text` for reasoning ("thinking") pieces. */
  reasoning?: string;
}

export interface BattleEnd {
  battleId: string;
  turn: number;
  side: Side;
  finishReason: FinishReason;
  error?: string;
  /** How long the model reasoned before answering, when it streamed reasoning. */
  reasoningMs?: number;
  /** Set when the arena cut the answer short (not the model): the voter stopped it, or the server restarted. */
  interruption?: Interruption;
}

export interface ServerToClientEvents {
  'battle:delta': (payload: BattleDelta) => void;
  'battle:end': (payload: BattleEnd) => void;
  'leaderboard:update': (payload: { leaderboard: Leaderboard }) => void;
  /** Bradley-Terry standings, after each recompute (at most one per 2 s), to the same subscribers. */
  'leaderboard:bt': (payload: { leaderboard: BtLeaderboard }) => void;
  'eval:progress': (payload: EvalProgress) => void;
  /** The server is shutting down (a restart or deploy): the page reconnects by itself and picks up where it was. */
  'server:restarting': (payload: { retryAfterMs: number }) => void;
}
