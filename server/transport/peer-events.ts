/**
 * What the instances of one deployment tell and ask each other: socket.io server-side events,
 * carried by the Redis adapter (server/transport/cluster.ts). Never seen by a browser. Every
 * payload is plain data (numbers for times), said after the database COMMIT it describes, so a
 * peer that hears it reads the same rows.
 */
import type { ChatView } from '../../protocol/chat.ts';
import type { BattleView } from '../../protocol/types.ts';

/** One model's online Elo after a vote, as the `ratings` table holds it (updatedAt in epoch ms). */
export interface PeerRatingRow {
  modelId: string;
  rating: number;
  games: number;
  wins: number;
  losses: number;
  ties: number;
  updatedAt: number;
}

/** A vote as the standings file it (server/voting FiledVote). */
export interface PeerFiledVote {
  source: 'arena' | 'evaluation';
  rowId: number;
  categories: string[];
  visibility: 'public' | 'flagged' | 'private';
  at: number;
}

/** Told to every other instance, answered by nobody. */
export interface PeerTells {
  /** Written for tests and operators: an instance says it is here. */
  'cluster:hello': { instanceId: string };
  /** Votes this instance committed (one message per commit batch): counted ones with both models' new rows, and where each was filed. */
  'standings:votes': { counted: Array<{ a: PeerRatingRow; b: PeerRatingRow }>; filed: PeerFiledVote[] };
  /** Many votes changed at once (categories or style backfill): every fit is stale. */
  'standings:changed': Record<string, never>;
  /** How one of this instance's answers ended, by the model's own doing: every instance's outage view (server/models/health.ts) counts it. */
  'models:outcome': { modelId: string; outcome: 'ok' | 'failed' };
  /** A user's role, status or sessions changed: re-resolve the identity of their sockets. */
  'auth:user-changed': { userId: number };
  /**
   * The last socket of `instanceId` watching the battle left: the instance streaming it (if any)
   * may start its abandon grace once no page watches anywhere.
   */
  'battle:unwatched': { battleId: string; instanceId: string };
  /** The same for a direct chat's running answer. */
  'chat:unwatched': { chatId: string; instanceId: string };
}

/** Asked of every other instance; each answers with PeerAnswers[event], or null when it is not the one meant. */
export interface PeerAsks {
  /** Which instances are up (each answers with its id). */
  'cluster:who': Record<string, never>;
  /**
   * The model pool changed in the database (admin edit, deprecated switch, start-up config sync):
   * each peer re-reads it before answering, so an admin's change is live everywhere once it is acknowledged.
   */
  'models:changed': Record<string, never>;
  /**
   * A page of `voterId` resumed on `instanceId` a battle another instance streams: that one answers
   * with the battle as it is now (the text so far), counts the page as watching, and from then on
   * sends the battle's pieces through Redis so they reach it.
   */
  'battle:watch': { battleId: string; voterId: string; instanceId: string };
  /** Stop pressed on another instance: the one streaming the battle cuts it and answers once the answers are stored. */
  'battle:stop': { battleId: string; voterId: string };
  /** A page resumed on `instanceId` a chat another instance streams: as `battle:watch`. */
  'chat:watch': { chatId: string; voterId: string; instanceId: string };
  /** Stop pressed on another instance for a chat this one streams. */
  'chat:stop': { chatId: string; voterId: string };
}

export interface PeerAnswers {
  'cluster:who': { instanceId: string };
  /** Whether the peer's pool moved (false: it had read this pool already). */
  'models:changed': { reloaded: boolean };
  'battle:watch': { instanceId: string; battle: BattleView } | null;
  'battle:stop': { instanceId: string } | null;
  'chat:watch': { chat: ChatView } | null;
  'chat:stop': { instanceId: string } | null;
}
