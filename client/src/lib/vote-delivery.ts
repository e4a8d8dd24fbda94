/**
 * Delivering a battle vote through restarts and dropped connections. The vote's id makes every
 * repeat harmless: the server records it once and answers the repeats the same.
 */
import type { BattleVoteInput } from '../../../protocol/schemas.ts';
import { type AckOf, type ArenaSocket, isError } from './socket.ts';

export type VoteReply = AckOf<'battle:vote'>;

/**
 * Sends (or re-sends) the vote until the server answers; null when six tries in a row got no
 * answer. An `unavailable` answer (the server is restarting) keeps the vote for the next process.
 */
export async function deliverVote(socket: ArenaSocket, vote: BattleVoteInput): Promise<VoteReply | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!socket.connected) await new Promise((resolve) => socket.once('connect', () => resolve(null)));
      const reply = await ackOrDisconnect(socket, vote);
      if (isError(reply) && reply.error.code === 'unavailable') {
        await new Promise((resolve) => setTimeout(resolve, reply.error.retryAfterMs ?? 1000));
        attempt--;
        continue;
      }
      return reply;
    } catch {
      if (attempt >= 5) return null;
    }
  }
}

/** The vote's ack, or a rejection as soon as the connection drops (then the vote is re-sent). */
function ackOrDisconnect(socket: ArenaSocket, vote: BattleVoteInput): Promise<VoteReply> {
  let onDisconnect = () => {};
  const dropped = new Promise<never>((_, reject) => {
    onDisconnect = () => reject(new Error('disconnected before the ack'));
    socket.once('disconnect', onDisconnect);
  });
  return Promise.race([socket.timeout(10_000).emitWithAck('battle:vote', vote), dropped]).finally(() => socket.off('disconnect', onDisconnect));
}
