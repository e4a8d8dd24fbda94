/** The one typed socket of the page, shared by every state class. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../protocol/events.ts';
import type { ErrorReply } from '../../../protocol/errors.ts';

export type ArenaSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const VOTER_KEY = 'arena.voterId';

/** A random id kept by this browser, so its battles survive a reload (public mode). */
export function voterId(): string {
  let id = localStorage.getItem(VOTER_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(VOTER_KEY, id);
  }
  return id;
}

let shared: ArenaSocket | null = null;

export function getSocket(): ArenaSocket {
  shared ??= io({ auth: { voterId: voterId() } });
  return shared;
}

export function isError(reply: { ok: boolean }): reply is ErrorReply {
  return reply.ok === false;
}
