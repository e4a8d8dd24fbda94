/**
 * Emits to rooms in batches: inside `batch()`, the TCP socket of every WebSocket client written
 * to is corked until the batch ends, so all the frames one client is sent in a batch (a battle's
 * two sides, say) leave in one write instead of one each. On loopback the write, not socket.io,
 * was the largest cost of a streamed token. Clients on HTTP long-polling batch by themselves.
 */
import type { ServerToClientEvents } from '../../protocol/events.ts';
import type { ArenaServer } from './socket.ts';

interface Corkable {
  cork(): void;
  uncork(): void;
}

export class CorkedRooms {
  readonly #io: ArenaServer;
  #corked: Set<Corkable> | null = null;

  constructor(io: ArenaServer) {
    this.#io = io;
  }

  emit<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (this.#corked) this.#cork(room, this.#corked);
    this.#io.to(room).emit(event, ...args);
  }

  /** Runs `send`, the emits in it corked per client; batches do not nest (an inner one just runs). */
  batch(send: () => void): void {
    if (this.#corked) {
      send();
      return;
    }
    const corked = new Set<Corkable>();
    this.#corked = corked;
    try {
      send();
    } finally {
      this.#corked = null;
      for (const tcp of corked) tcp.uncork();
    }
  }

  #cork(room: string, corked: Set<Corkable>): void {
    const ids = this.#io.sockets.adapter.rooms.get(room);
    if (!ids) return;
    for (const id of ids) {
      const tcp = tcpOf(this.#io.sockets.sockets.get(id));
      if (tcp && !corked.has(tcp)) {
        tcp.cork();
        corked.add(tcp);
      }
    }
  }
}

/**
 * The TCP socket under a client's WebSocket: engine.io's transport holds the `ws` WebSocket
 * (`transport.socket`), which holds the net.Socket (`_socket`, long stable but not public API).
 * Anything else (long-polling, a changed layout) is simply not corked.
 */
function tcpOf(socket: { conn: unknown } | undefined): Corkable | null {
  const transport = (socket?.conn as { transport?: { name?: string; socket?: { _socket?: unknown } } } | undefined)?.transport;
  if (transport?.name !== 'websocket') return null;
  const tcp = transport.socket?._socket as Partial<Corkable> | undefined;
  return typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function' ? (tcp as Corkable) : null;
}
