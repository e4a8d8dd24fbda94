/** socket.io on Fastify's HTTP server, typed by the shared contract; voter identity per socket. */
import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/events.ts';
import type { Reply } from '../protocol/errors.ts';
import { errorReply } from './errors.ts';

export interface SocketData {
  voterId: string;
}

export type ArenaServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ArenaSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const VOTER_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function createRealtime(httpServer: HttpServer): ArenaServer {
  const io: ArenaServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
  });
  io.use((socket, next) => {
    // Public mode: the browser keeps a random id so its battles survive a reload. It is a
    // bearer token for its own battles only; accounts replace it when sign-in is on.
    const claimed = (socket.handshake.auth as { voterId?: unknown } | undefined)?.voterId;
    socket.data.voterId = typeof claimed === 'string' && VOTER_ID.test(claimed) ? claimed : `anon-${randomUUID()}`;
    next();
  });
  return io;
}

/**
 * Wraps a handler as a socket.io listener: tolerates a missing payload or ack, and always
 * answers the envelope, never a thrown error.
 */
export function handler<T extends object>(fn: (payload: unknown) => T | Promise<T>) {
  return async (payload: unknown, ack?: unknown): Promise<void> => {
    if (typeof payload === 'function' && ack === undefined) {
      ack = payload;
      payload = undefined;
    }
    if (typeof ack !== 'function') return;
    const reply = ack as (r: Reply<T>) => void;
    try {
      reply({ ok: true, ...(await fn(payload)) });
    } catch (err) {
      reply(errorReply(err));
    }
  };
}
