/** The realtime contract (default namespace), imported by both the server and the client. */
import type { ChatSocket } from './chat.ts';
import type { Reply } from './errors.ts';
import type { EvalItem, EvalNextInput, EvalProgress, EvalSubscribeInput, EvalVoteInput, VoterProgress } from './evaluations.ts';
import type { EvalSkipInput } from './judges.ts';
import type { BattleContinueInput, BattleResumeInput, BattleStartInput, BattleStopInput, BattleVoteInput } from './schemas.ts';
import type { StandingsSocket } from './standings.ts';
import type { BattleView, BtLeaderboard, FinishReason, IntegrityFlag, Interruption, Leaderboard, PublicFailure, RevealedModels, Side } from './types.ts';

/**
 * Every client → server event: its payload (validated by the server with the schema of the same
 * name) and what its ack carries on success. The server's handlers are typed against `SocketAcks`,
 * so a handler answering the wrong shape fails the type check; the client reads the same types.
 */
type StandingsRequests = StandingsSocket['requests'];
type StandingsAcks = StandingsSocket['acks'];
type StandingsPushes = StandingsSocket['pushes'];
type ChatRequests = ChatSocket['requests'];
type ChatAcks = ChatSocket['acks'];
type ChatPushes = ChatSocket['pushes'];

/** Direct chat's events (`chat:*`) are declared with its types in protocol/chat.ts. */
export interface SocketRequests extends StandingsRequests, ChatRequests {
  'battle:start': BattleStartInput;
  'battle:continue': BattleContinueInput;
  'battle:vote': BattleVoteInput;
  'battle:stop': BattleStopInput;
  'battle:resume': BattleResumeInput;
  'leaderboard:subscribe': Record<string, never>;
  'leaderboard:unsubscribe': Record<string, never>;
  /** Follow one standings view (a socket follows one at a time: subscribing again replaces it). */
  'standings:subscribe': StandingsSocket['requests']['standings:subscribe'];
  'standings:unsubscribe': StandingsSocket['requests']['standings:unsubscribe'];
  'eval:subscribe': EvalSubscribeInput;
  'eval:watch': EvalSubscribeInput;
  'eval:unsubscribe': EvalSubscribeInput;
  'eval:next': EvalNextInput;
  'eval:vote': EvalVoteInput;
  'eval:skip': EvalSkipInput;
}

/** `standings:subscribe` answers the view now; `standings:update` follows it (protocol/standings.ts). */
export interface SocketAcks extends StandingsAcks, ChatAcks {
  /** With `models`, a named battle: those two models, left and right as given, named from the start. */
  'battle:start': { battleId: string };
  'battle:continue': Record<never, never>;
  /** Reveals the models; `counted: false` with the integrity rules the vote tripped when it stays out of the public standings. */
  'battle:vote': { models: RevealedModels; counted: boolean; flags: IntegrityFlag[] };
  /** Ends a battle without a vote (Stop, or leaving it for a new one): its streams are cut; it can no longer be voted on. */
  'battle:stop': Record<never, never>;
  'battle:resume': { battle: BattleView };
  'leaderboard:subscribe': { leaderboard: Leaderboard };
  /** Stop receiving `leaderboard:update` and `leaderboard:bt` (the page left the leaderboard). */
  'leaderboard:unsubscribe': Record<never, never>;
  /** The view's standings now; `standings:update` follows whenever a vote changes them. */
  'standings:subscribe': StandingsSocket['acks']['standings:subscribe'];
  /** Stop receiving `standings:update`. */
  'standings:unsubscribe': StandingsSocket['acks']['standings:unsubscribe'];
  /** Members and admins: follow a running evaluation's progress (`eval:progress`). */
  'eval:subscribe': { progress: EvalProgress };
  /** Admins: follow any evaluation, draft and closed too. */
  'eval:watch': { progress: EvalProgress };
  'eval:unsubscribe': Record<never, never>;
  /** The item to judge next (the one held, else a new one), or null when none is left for this voter. */
  'eval:next': { item: EvalItem | null; progress: VoterProgress };
  'eval:vote': { progress: VoterProgress };
  /** Passes on the item in hand (it goes to someone else) and answers the next one, as eval:next does. */
  'eval:skip': { item: EvalItem | null; progress: VoterProgress };
}

export type SocketEvent = keyof SocketRequests;

export type ClientToServerEvents = {
  [E in SocketEvent]: (payload: SocketRequests[E], ack: (reply: Reply<SocketAcks[E]>) => void) => void;
};

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
  /** The failure's code, for the page to word it in the reader's language. */
  failure?: PublicFailure;
  /** How long the model reasoned before answering, when it streamed reasoning. */
  reasoningMs?: number;
  /** Set when the arena cut the answer short (not the model): the voter stopped it, or the server restarted. */
  interruption?: Interruption;
}

export interface ServerToClientEvents extends StandingsPushes, ChatPushes {
  'battle:delta': (payload: BattleDelta) => void;
  'battle:end': (payload: BattleEnd) => void;
  'leaderboard:update': (payload: { leaderboard: Leaderboard }) => void;
  /** Bradley-Terry standings, after each recompute (at most one per 2 s), to the same subscribers. */
  'leaderboard:bt': (payload: { leaderboard: BtLeaderboard }) => void;
  /** The followed standings view, refitted after votes that belong to it (at most one per 2 s per view). */
  'standings:update': StandingsSocket['pushes']['standings:update'];
  'eval:progress': (payload: EvalProgress) => void;
  /** The server is shutting down (a restart or deploy): the page reconnects by itself and picks up where it was. */
  'server:restarting': (payload: { retryAfterMs: number }) => void;
}
