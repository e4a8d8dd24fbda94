/** socket.io on Fastify's HTTP server, typed by the shared contract; voter identity per socket. */
import type { Server as HttpServer, IncomingHttpHeaders } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import type { Reply } from '../../protocol/errors.ts';
import { publicIdentity, type Identity, type IdentityResolver } from '../auth/identity.ts';
import { errorReply } from './errors.ts';

export interface SocketData {
  identity: Identity;
  /** The client's address (after trusted-proxy resolution), for per-IP limits. */
  ip: string;
}

export type ArenaServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ArenaSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  resolveIdentity?: IdentityResolver;
  /** Maps the connecting peer to the client address (honours X-Forwarded-For from trusted proxies). */
  clientIp?: (remoteAddress: string, headers: IncomingHttpHeaders) => string;
  /**
   * Checked first, before any identity lookup: returns why a handshake is refused (another
   * origin, shutting down), or null to let it in.
   */
  admit?: (source: { headers: IncomingHttpHeaders; peer: string; encrypted: boolean }) => string | null;
}

export function createRealtime(httpServer: HttpServer, opts: RealtimeOptions = {}): ArenaServer {
  const io: ArenaServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
  });
  const resolve = opts.resolveIdentity ?? publicIdentity;
  io.use(async (socket, next) => {
    const { headers, address, secure } = socket.handshake;
    const refusal = opts.admit?.({ headers, peer: address, encrypted: secure }) ?? null;
    if (refusal) return next(new Error(refusal));
    try {
      const remoteAddress = socket.handshake.address;
      socket.data.ip = opts.clientIp ? opts.clientIp(remoteAddress, socket.handshake.headers) : remoteAddress;
      socket.data.identity = await resolve({
        headers: socket.handshake.headers,
        remoteAddress,
        claimedVoterId: (socket.handshake.auth as { voterId?: unknown } | undefined)?.voterId,
      });
      next();
    } catch (err) {
      next(err instanceof Error ? err : new Error('unauthorized'));
    }
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
      // A synchronous result is answered in the same tick: `battle:resume` relies on its ack
      // leaving before any delta emitted after the socket joined the battle's room.
      const result = fn(payload);
      reply({ ok: true, ...(result instanceof Promise ? await result : result) });
    } catch (err) {
      reply(errorReply(err));
    }
  };
}
