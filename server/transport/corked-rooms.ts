/**
 * Emits to rooms in batches: inside `batch()`, what each WebSocket client is sent is held in its
 * engine.io buffer, and when the batch ends the buffer goes out with the client's TCP socket
 * corked, so all the frames one client gets in a batch (a battle's two sides, say) leave in one
 * write instead of one each. On loopback the write, not socket.io, was the largest cost of a
 * streamed token. Clients on HTTP long-polling batch by themselves and are left alone.
 */
import type { ServerToClientEvents } from '../../protocol/events.ts';
import type { ArenaServer } from './socket.ts';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The parts of engine.io's connection this uses (public fields, not in its typings). */
interface EngineConnection {
  transport?: { name?: string; writable?: boolean; socket?: { _socket?: unknown } };
  flush?: () => void;
}

interface Held {
  conn: EngineConnection & { transport: { writable: boolean }; flush: () => void };
  tcp: Corkable;
}

export class CorkedRooms {
  readonly #io: ArenaServer;
  #held: Map<EngineConnection, Held> | null = null;

  constructor(io: ArenaServer) {
    this.#io = io;
  }

  /** To the room's sockets on every instance (through Redis when instances share it). */
  emit<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (this.#held) this.#hold(room, this.#held);
    this.#io.to(room).emit(event, ...args);
  }

  /** To the room's sockets on this instance only: nothing is published to Redis. */
  emitHere<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (this.#held) this.#hold(room, this.#held);
    this.#io.local.to(room).emit(event, ...args);
  }

  /** Runs `send`, its emits held per client and written once each; batches do not nest (an inner one just runs). */
  batch(send: () => void): void {
    if (this.#held) {
      send();
      return;
    }
    const held = new Map<EngineConnection, Held>();
    this.#held = held;
    try {
      send();
    } finally {
      this.#held = null;
      for (const { conn, tcp } of held.values()) {
        tcp.cork();
        try {
          // engine.io sends its whole buffer once the transport is writable again.
          conn.transport.writable = true;
          conn.flush();
        } finally {
          tcp.uncork();
        }
      }
    }
  }

  #hold(room: string, held: Map<EngineConnection, Held>): void {
    const ids = this.#io.sockets.adapter.rooms.get(room);
    if (!ids) return;
    for (const id of ids) {
      const conn = this.#io.sockets.sockets.get(id)?.conn as EngineConnection | undefined;
      if (!conn || held.has(conn)) continue;
      const h = holdable(conn);
      if (!h) continue;
      // Not writable: engine.io buffers what is emitted until flush() (as it does while a write is in flight).
      h.conn.transport.writable = false;
      held.set(conn, h);
    }
  }
}

/**
 * A client on WebSocket whose transport is idle: engine.io's transport holds the `ws` WebSocket
 * (`transport.socket`), which holds the net.Socket (`_socket`, long stable but not public API).
 * One with a write in flight already buffers until it drains; anything else is not held.
 */
function holdable(conn: EngineConnection): Held | null {
  const { transport } = conn;
  if (transport?.name !== 'websocket' || transport.writable !== true || typeof conn.flush !== 'function') return null;
  const tcp = transport.socket?._socket as Partial<Corkable> | undefined;
  if (typeof tcp?.cork !== 'function' || typeof tcp.uncork !== 'function') return null;
  return { conn: conn as Held['conn'], tcp: tcp as Corkable };
}
