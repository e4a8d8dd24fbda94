/**
 * socket.io on Fastify's HTTP server, typed by the shared contract: who each socket is (resolved
 * once at the handshake), and `on()`, the one way a feature answers a client event.
 */
import type { Server as HttpServer, IncomingHttpHeaders } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { ErrorReply, Reply } from '../../protocol/errors.ts';
import type { ClientToServerEvents, ServerToClientEvents, SocketAcks, SocketEvent, SocketRequests } from '../../protocol/events.ts';
import { type Cluster, onPeer } from './cluster.ts';
import { errorReply } from './errors.ts';
import type { Identity, IdentityResolver } from './identity.ts';
import { parseInput } from './validation.ts';

export interface SocketData {
  identity: Identity;
  /** The client's address (after trusted-proxy resolution), for per-IP limits. */
  ip: string;
}

export type ArenaServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ArenaSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  resolveIdentity: IdentityResolver;
  /** Maps the connecting peer to the client address (honours X-Forwarded-For from trusted proxies). */
  clientIp?: (remoteAddress: string, headers: IncomingHttpHeaders) => string;
  /**
   * Checked first, before any identity lookup: returns why a handshake is refused (another
   * origin, a foreign host name, shutting down), or null to let it in.
   */
  admit?: (source: { headers: IncomingHttpHeaders; peer: string; encrypted: boolean }) => string | null;
  /** The deployment's instances: with Redis, room broadcasts reach every instance's sockets. */
  cluster?: Cluster;
}

export function createRealtime(httpServer: HttpServer, opts: RealtimeOptions): ArenaServer {
  const io: ArenaServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
  });
  const { cluster } = opts;
  if (cluster?.adapter) io.adapter(cluster.adapter);
  if (cluster) onPeer(io, 'cluster:who', () => ({ instanceId: cluster.instanceId }));
  io.use(async (socket, next) => {
    const { headers, address, secure } = socket.handshake;
    const refusal = opts.admit?.({ headers, peer: address, encrypted: secure }) ?? null;
    if (refusal) return next(new Error(refusal));
    try {
      socket.data.ip = opts.clientIp ? opts.clientIp(address, headers) : address;
      socket.data.identity = await opts.resolveIdentity({
        headers,
        remoteAddress: address,
        claimedVoterId: (socket.handshake.auth as { voterId?: unknown } | undefined)?.voterId,
      });
      next();
    } catch (err) {
      next(err instanceof Error ? err : new Error('unauthorized'));
    }
  });
  return io;
}

type Handler<E extends SocketEvent> = (input: SocketRequests[E]) => SocketAcks[E] | Promise<SocketAcks[E]>;

export interface EventSpec<E extends SocketEvent> {
  /** Validates the payload; its output must be the contract's payload type. */
  schema: z.ZodType<SocketRequests[E]>;
  /** Checked before the payload is read (throws `unauthorized` / `forbidden`). */
  authorize?: () => void;
}

/**
 * Answers one client event: the caller is authorized, then the payload validated with the event's
 * schema; the handler's result must be the event's ack type (`SocketAcks`, checked by the
 * compiler), and every failure becomes the `{ ok: false, error }` envelope. Tolerates a missing
 * payload or ack.
 */
export function on<E extends SocketEvent>(socket: ArenaSocket, event: E, spec: EventSpec<E>, handler: Handler<E>): void {
  const listener = (payload: unknown, ack?: unknown): void => {
    if (typeof payload === 'function' && ack === undefined) {
      ack = payload;
      payload = undefined;
    }
    if (typeof ack !== 'function') return;
    const reply = ack as (r: Reply<SocketAcks[E]> | ErrorReply) => void;
    const answer = (result: SocketAcks[E]) => reply({ ok: true, ...result } as Reply<SocketAcks[E]>);
    try {
      spec.authorize?.();
      // A synchronous result is answered in the same tick: `battle:resume` relies on its ack
      // leaving before any delta emitted after the socket joined the battle's room.
      const result = handler(parseInput(spec.schema, payload));
      if (result instanceof Promise) result.then(answer, (err: unknown) => reply(errorReply(err)));
      else answer(result);
    } catch (err) {
      reply(errorReply(err));
    }
  };
  // socket.io's typed `on` wants the contract's listener type; ours validates what arrives, so takes unknown.
  (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(event, listener);
}
