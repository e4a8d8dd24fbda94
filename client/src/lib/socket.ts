/** The typed socket of the page: App.svelte opens one and hands it to the state classes by context. */
import { io } from 'socket.io-client';
import type { ArenaSocket } from './socket-types.ts';
import { voterId } from './voter.ts';

export { type AckOf, type ArenaSocket, isError } from './socket-types.ts';

/** Opens the page's socket, which reconnects by itself whatever ended the connection. */
export function connectSocket(): ArenaSocket {
  const socket: ArenaSocket = io({ auth: { voterId: voterId() } });
  keepReconnecting(socket);
  return socket;
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
