/**
 * Delivering a battle vote, and a battle's prompts, through restarts and dropped connections. The
 * vote's id makes every repeat harmless: the server records it once and answers the repeats the
 * same. A prompt is sent again only when no server took it: refused as `unavailable` (an instance
 * shutting down starts nothing) or cut off before any answer.
 */
import { v7 as uuidv7 } from 'uuid';
import type { BattleVoteInput } from '../../../protocol/schemas.ts';
import { type AckOf, type ArenaSocket, isError } from './socket-types.ts';

export type VoteReply = AckOf<'battle:vote'>;

/**
 * A new vote's id: a UUIDv7, time-ordered, so the server's unique index of vote ids grows at its
 * end instead of at a random page per vote; made with getRandomValues, which a page served over
 * plain HTTP has (crypto.randomUUID needs a secure context).
 */
export const newVoteId = (): string => uuidv7();

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

/**
 * Sends a start or a follow-up until a server takes it or refuses it for good: after `unavailable`
 * (the instance is shutting down; by the retry the page has reconnected to another one) or a
 * connection lost before the answer, it is sent again once connected, at most eight times.
 */
export async function untilServed<R extends { ok: boolean }>(socket: ArenaSocket, send: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    if (!socket.connected) await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    try {
      const reply = await send();
      if (attempt >= 8 || !isError(reply) || reply.error.code !== 'unavailable') return reply;
      await new Promise((resolve) => setTimeout(resolve, reply.error.retryAfterMs ?? 1000));
    } catch (err) {
      if (attempt >= 8) throw err;
    }
  }
}
