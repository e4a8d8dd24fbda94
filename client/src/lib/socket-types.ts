/** The page's socket as a type, and how to tell a refusal from an answer (no browser API: tests run it in Node too). */
import type { Socket } from 'socket.io-client';
import type { ErrorReply } from '../../../protocol/errors.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../protocol/events.ts';

export type ArenaSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** The server's answer to a client event (what its ack is called with). */
export type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export function isError(reply: { ok: boolean }): reply is ErrorReply {
  return reply.ok === false;
}
