/**
 * The transport's part of a drain (SIGTERM): the instance stops listening, so a reconnecting page
 * reaches another instance (through the proxy), tells its own pages it is restarting, and while the
 * features finish their work it lets go of each page that waits for nothing here: its connection
 * is closed (not its socket: socket.io clients take a server-side disconnect as "do not come back"),
 * and the page reconnects elsewhere. A page watching an answer this instance streams stays until
 * that answer ends.
 */
import type { Server as HttpServer } from 'node:http';
import type { ArenaServer } from './socket.ts';

/** How often the drain looks for pages it can let go. */
const RELEASE_EVERY_MS = 200;
/** What `server:restarting` tells a page to wait before it sends a refused request again. */
export const RESTART_RETRY_MS = 2000;

/**
 * Runs `work` (the features' drains) while letting go of idle pages; `busy(room)` says whether a
 * socket room is work this instance is still streaming. Resolves when `work` does.
 */
export async function drainSockets(io: ArenaServer, http: HttpServer, busy: (room: string) => boolean, work: () => Promise<unknown>): Promise<void> {
  // New connections are refused from now on; open ones stay (Node closes only idle keep-alive ones).
  http.close();
  io.local.emit('server:restarting', { retryAfterMs: RESTART_RETRY_MS });
  const release = () => {
    for (const socket of io.sockets.sockets.values()) {
      if (![...socket.rooms].some(busy)) socket.conn.close();
    }
  };
  release();
  const timer = setInterval(release, RELEASE_EVERY_MS);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
}
