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
  if (!shared) {
    shared = io({ auth: { voterId: voterId() } });
    keepReconnecting(shared);
  }
  return shared;
}

/**
 * socket.io reconnects by itself after a broken transport, but not after a disconnect the server
 * made or a handshake it refused (e.g. while it shuts down for a restart). The page must never be
 * stranded, so those are retried too, with a growing, jittered delay.
 */
function keepReconnecting(socket: ArenaSocket): void {
  let attempts = 0;
  const retry = () => {
    const delay = Math.min(10_000, 500 * 2 ** Math.min(attempts++, 5)) * (0.75 + Math.random() / 2);
    setTimeout(() => {
      if (!socket.connected && !socket.active) socket.connect();
    }, delay);
  };
  socket.on('connect', () => (attempts = 0));
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') retry();
  });
  socket.on('connect_error', () => {
    if (!socket.active) retry();
  });
}

export function isError(reply: { ok: boolean }): reply is ErrorReply {
  return reply.ok === false;
}
