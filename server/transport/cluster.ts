/**
 * The instances of one arena deployment. Without REDIS_URL an instance is alone: broadcasts stay
 * in the process and asking the others answers at once with nobody. With REDIS_URL, socket.io's
 * Redis adapter carries every room broadcast to the sockets of every instance, and instances tell
 * and ask each other server-side events (PeerEvents) over the same Redis.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import { Liveness } from './liveness.ts';
import type { PeerAnswers, PeerAsks, PeerTells } from './peer-events.ts';
import { redactedUrl } from './redact-url.ts';
import { withinDeadline } from './redis-deadline.ts';

/**
 * A client that gives up on its first connection (so a wrong address fails the start) but, once
 * connected, reconnects by itself after Redis restarts or the network drops.
 */
function redisClient(url: string, connected: () => boolean, name: string) {
  return createClient({
    url,
    name,
    socket: { connectTimeout: 5000, reconnectStrategy: (retries, cause) => (connected() ? Math.min(50 * 2 ** retries, 2000) : cause) },
  });
}
export type RedisClient = ReturnType<typeof redisClient>;
/** Any of the app's socket.io servers (typed events do not matter between instances). */
type PeerServer = Pick<Server, 'serverSideEmit' | 'on'>;

/**
 * Why a resync runs: the subscription came back (messages were certainly lost), a process outside
 * the deployment (the `arena` CLI) announced that it changed the data (announceDataChanged), or
 * the periodic check. The first two reload everything; the periodic check compares first.
 */
export type ResyncReason = 'reconnected' | 'changed' | 'periodic';

export interface Cluster {
  /** This process, as its peers and the database know it (ARENA_INSTANCE_ID, else pid and a random tail). */
  readonly instanceId: string;
  /** Whether other instances may exist (Redis connects them). */
  readonly shared: boolean;
  /** Redis commands (shared rate limits), or null when the instance is alone. */
  readonly redis: RedisClient | null;
  /** The socket.io adapter factory to install before any client connects, or null for the in-memory one. */
  readonly adapter: ReturnType<typeof createAdapter> | null;
  /**
   * Calls `listener` whenever what peers told may have been missed: after this instance's Redis
   * subscription came back from a loss (Redis pub/sub keeps nothing for an absent subscriber), and
   * every RESYNC_INTERVAL_MS in case a message was lost otherwise. Each feature then reloads what
   * it keeps in memory from the database. Never called when the instance is alone.
   */
  onResync(listener: (reason: ResyncReason) => void): void;
  /** Runs the resync listeners now (tests; the timer and the reconnection call them by themselves). */
  resync(reason: ResyncReason): void;
  /** The instances' heartbeats, and who reaps a dead one's work; null when alone. */
  readonly liveness: Liveness | null;
  close(): Promise<void>;
}

/** The socket.io channels' prefix: instances of one arena share it, another arena on the same Redis does not. */
const CHANNEL_PREFIX = 'arena';
/** The channel on which a process outside the deployment says it changed the data. */
const CHANGED_CHANNEL = `${CHANNEL_PREFIX}:data-changed`;
/** How long asking the peers waits for the slowest one: a live instance answers within milliseconds. */
export const PEER_TIMEOUT_MS = 1000;
/** How often an instance re-reads what it caches, whatever it heard: bounds how long a lost message can leave it behind. */
export const RESYNC_INTERVAL_MS = 30_000;

/** A name Redis accepts (CLIENT SETNAME: no spaces), so CLIENT LIST tells an operator which instance a connection is. */
const connectionName = (instanceId: string, role: string) => `arena:${instanceId.replace(/[^\w.:-]/g, '_')}:${role}`;

/**
 * Connects to Redis (commands, and the adapter's publish and subscribe connections) and fails
 * fast with the address when it cannot: an instance that cannot see its peers must not serve.
 */
export async function connectCluster(opts: {
  redisUrl: string | null;
  instanceId: string;
  onError: (err: unknown) => void;
  /** Default RESYNC_INTERVAL_MS; tests shorten it. */
  resyncIntervalMs?: number;
}): Promise<Cluster> {
  const { redisUrl, instanceId } = opts;
  if (!redisUrl) {
    return {
      instanceId,
      shared: false,
      redis: null,
      adapter: null,
      liveness: null,
      onResync: () => undefined,
      resync: () => undefined,
      close: async () => undefined,
    };
  }
  let connected = false;
  const commands = redisClient(redisUrl, () => connected, connectionName(instanceId, 'commands'));
  const publisher = commands.duplicate({ name: connectionName(instanceId, 'publisher') });
  const subscriber = commands.duplicate({ name: connectionName(instanceId, 'subscriber') });
  const clients = [commands, publisher, subscriber];
  // node-redis reconnects by itself; an 'error' listener keeps a lost connection from crashing the process.
  for (const client of clients) client.on('error', opts.onError);
  try {
    await Promise.all(clients.map((c) => c.connect()));
    connected = true;
  } catch (err) {
    for (const client of clients) client.destroy();
    throw new Error(`REDIS_URL: cannot connect to ${redactedUrl(redisUrl)} (${(err as Error).message})`);
  }
  const listeners: Array<(reason: ResyncReason) => void> = [];
  const resync = (reason: ResyncReason) => {
    for (const listener of listeners) {
      try {
        listener(reason);
      } catch (err) {
        opts.onError(err);
      }
    }
  };
  // 'ready' comes again only after a reconnection, once node-redis has subscribed again: anything
  // published from then on arrives, and anything before it was committed before this re-read.
  const rejoined = () => resync('reconnected');
  subscriber.on('ready', rejoined);
  const changed = () => resync('changed');
  await subscriber.subscribe(CHANGED_CHANNEL, changed);
  const timer = setInterval(() => resync('periodic'), opts.resyncIntervalMs ?? RESYNC_INTERVAL_MS).unref();
  const liveness = new Liveness(commands, instanceId, opts.onError);
  try {
    await liveness.start();
  } catch (err) {
    clearInterval(timer);
    for (const client of clients) client.destroy();
    throw err;
  }
  return {
    instanceId,
    shared: true,
    redis: commands,
    adapter: createAdapter(publisher, subscriber, { key: CHANNEL_PREFIX, requestsTimeout: PEER_TIMEOUT_MS }),
    onResync: (listener) => void listeners.push(listener),
    resync,
    liveness,
    async close() {
      clearInterval(timer);
      subscriber.off('ready', rejoined);
      await withinDeadline(subscriber.unsubscribe(CHANGED_CHANNEL, changed), PEER_TIMEOUT_MS).catch(() => undefined);
      // A Redis that went away holds every command in the client's queue: give up waiting for it.
      await withinDeadline(liveness.stop(), PEER_TIMEOUT_MS).catch(() => undefined);
      await Promise.all(clients.map((c) => withinDeadline(c.close(), PEER_TIMEOUT_MS).catch(() => c.destroy())));
    },
  };
}

/** Tells every other instance (nobody when alone); does not wait for them. */
export function tellPeers<E extends keyof PeerTells>(io: PeerServer, cluster: Pick<Cluster, 'shared'>, event: E, payload: PeerTells[E]): void {
  if (!cluster.shared) return;
  (io.serverSideEmit as (this: PeerServer, event: string, payload: unknown) => boolean).call(io, event, payload);
}

/**
 * Asks every other instance and resolves with the answers that came within PEER_TIMEOUT_MS (an
 * instance that died or is stuck simply does not answer); at once with none when alone.
 * `onAnswered` runs the moment the answers arrive, before any later message from Redis is handled
 * (the promise settles a little later).
 */
export function askPeers<E extends keyof PeerAsks>(
  io: PeerServer,
  cluster: Pick<Cluster, 'shared'>,
  event: E,
  payload: PeerAsks[E],
  onAnswered?: () => void,
): Promise<Array<PeerAnswers[E]>> {
  if (!cluster.shared) return Promise.resolve([]);
  return new Promise((resolve) => {
    const emit = io.serverSideEmit as (this: PeerServer, event: string, payload: unknown, ack: (err: unknown, answers: unknown[]) => void) => boolean;
    emit.call(io, event, payload, (_err, answers) => {
      onAnswered?.();
      resolve(((answers ?? []) as Array<PeerAnswers[E] | null>).filter((a) => a !== null));
    });
  });
}

/** A socket whose outgoing events can be watched (a socket.io server-side socket). */
export interface OutgoingTap {
  onAnyOutgoing(listener: (event: string, payload: unknown) => void): unknown;
  offAnyOutgoing(listener: (event: string, payload: unknown) => void): unknown;
}

/**
 * Asks the peers as askPeers does, and notes what `socket` is sent from the moment their answers
 * arrive until the promise settles: what a peer did after answering reaches this socket before the
 * caller's own reply does (it follows the answer on Redis), so the caller folds it into that reply.
 * `note` picks the events that matter (null for the others).
 */
export function askPeersNoting<E extends keyof PeerAsks, L>(
  io: PeerServer,
  cluster: Pick<Cluster, 'shared'>,
  event: E,
  payload: PeerAsks[E],
  socket: OutgoingTap,
  note: (event: string, payload: unknown) => L | null,
): Promise<{ answers: Array<PeerAnswers[E]>; later: L[] }> {
  const later: L[] = [];
  let answered = false;
  const tap = (sent: string, body: unknown) => {
    if (!answered) return;
    const noted = note(sent, body);
    if (noted !== null) later.push(noted);
  };
  socket.onAnyOutgoing(tap);
  return askPeers(io, cluster, event, payload, () => {
    answered = true;
  })
    .then((answers) => ({ answers, later }))
    .finally(() => socket.offAnyOutgoing(tap));
}

/** Answers what peers tell (`reply` absent) or ask (`reply` present) this instance. */
export function onPeer<E extends keyof PeerTells>(io: PeerServer, event: E, handler: (payload: PeerTells[E]) => void): void;
export function onPeer<E extends keyof PeerAsks>(io: PeerServer, event: E, handler: (payload: PeerAsks[E]) => PeerAnswers[E] | Promise<PeerAnswers[E]>): void;
export function onPeer(io: PeerServer, event: string, handler: (payload: unknown) => unknown): void {
  (io.on as (event: string, listener: (...args: unknown[]) => void) => void)(event, (payload: unknown, reply?: unknown) => {
    const answered = (value: unknown) => {
      if (typeof reply === 'function') reply(value);
    };
    try {
      const result = handler(payload);
      if (result instanceof Promise)
        result.then(answered, (err: unknown) => {
          console.error(`peer event ${event} failed:`, err);
          answered(null);
        });
      else answered(result);
    } catch (err) {
      console.error(`peer event ${event} failed:`, err);
      answered(null);
    }
  });
}

/**
 * Tells the instances on this Redis that the data changed underneath them (an import, a seed, a
 * user changed from the CLI), so they reload at once instead of at their next periodic check.
 * Best effort: false when Redis could not be reached within `deadlineMs` (the periodic check
 * still finds the change within RESYNC_INTERVAL_MS).
 */
export async function announceDataChanged(redisUrl: string, deadlineMs = 2_000): Promise<boolean> {
  // Never connected, so redisClient gives up at the first failure instead of reconnecting.
  const client = redisClient(redisUrl, () => false, 'arena:cli');
  client.on('error', () => undefined);
  try {
    await withinDeadline(client.connect(), deadlineMs);
    await withinDeadline(client.publish(CHANGED_CHANNEL, String(Date.now())), deadlineMs);
    return true;
  } catch {
    return false;
  } finally {
    await withinDeadline(client.close(), deadlineMs).catch(() => client.destroy());
  }
}
