/**
 * What the instances of one deployment tell and ask each other: socket.io server-side events,
 * carried by the Redis adapter (server/transport/cluster.ts). Never seen by a browser.
 */
import type { BattleView } from '../../protocol/types.ts';

/** Told to every other instance, answered by nobody. */
export interface PeerTells {
  /** Written for tests and operators: an instance says it is here. */
  'cluster:hello': { instanceId: string };
  /**
   * The last socket of `instanceId` watching the battle left: the instance streaming it (if any)
   * may start its abandon grace once no page watches anywhere.
   */
  'battle:unwatched': { battleId: string; instanceId: string };
}

/** Asked of every other instance; each answers with PeerAnswers[event], or null when it is not the one meant. */
export interface PeerAsks {
  /** Which instances are up (each answers with its id). */
  'cluster:who': Record<string, never>;
  /**
   * A page of `voterId` resumed on `instanceId` a battle another instance streams: that one answers
   * with the battle as it is now (the text so far), counts the page as watching, and from then on
   * sends the battle's pieces through Redis so they reach it.
   */
  'battle:watch': { battleId: string; voterId: string; instanceId: string };
  /** Stop pressed on another instance: the one streaming the battle cuts it and answers once the answers are stored. */
  'battle:stop': { battleId: string; voterId: string };
}

export interface PeerAnswers {
  'cluster:who': { instanceId: string };
  'battle:watch': { instanceId: string; battle: BattleView } | null;
  'battle:stop': { instanceId: string } | null;
}
