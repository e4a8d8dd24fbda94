/**
 * Direct chat as the app composes it: its repository, limits (the arena's rules, in buckets of
 * their own), streaming, the service and its socket events. Chats a crash left streaming are
 * closed as interrupted. Nothing of a chat reaches votes, ratings or the public figures.
 */
import type { Db } from '../../db/client.ts';
import { DELTA_WINDOW_MS, FlushWindow } from '../arena/delta-coalescer.ts';
import { BattleGuard } from '../limits/battle-guard.ts';
import type { LimitsConfig } from '../limits/config.ts';
import { SharedBuckets } from '../limits/shared-buckets.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { Cluster } from '../transport/cluster.ts';
import { CorkedRooms } from '../transport/corked-rooms.ts';
import type { ArenaServer } from '../transport/socket.ts';
import { ChatPeers } from './peers.ts';
import { ChatRepo } from './repo.ts';
import { CHAT_ROOM_PREFIX, chatRoom } from './rooms.ts';
import { ChatRunner } from './runner.ts';
import { ChatService } from './service.ts';
import { registerChatHandlers } from './socket.ts';

export interface ChatDeps {
  db: Db;
  config: { limits: LimitsConfig; loadTest: boolean };
  registry: ModelRegistry;
  now: () => number;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  abandonGraceMs?: number | undefined;
  /** This instance among its peers: chats bound to it, shared rate limits. */
  cluster: Cluster;
}

export interface Chat {
  chats: ChatService;
  /** Shuts down: no new chats or turns, running answers get up to `budgetMs` to finish. */
  drain(budgetMs: number): Promise<void>;
  /** Whether a socket room is a chat this instance streams now. */
  streams(room: string): boolean;
  close(): void;
}

export async function registerChat(io: ArenaServer, deps: ChatDeps): Promise<Chat> {
  const { config, now, cluster } = deps;
  const store = new ChatRepo(deps.db, now, cluster.instanceId);
  await store.failInterrupted({ alone: !cluster.shared });
  cluster.liveness?.watch({ holders: () => store.streamingInstances(), reap: (dead) => store.failStreamingOf(dead) });
  // A chat costs one model call a turn, a battle two: the same limits, counted apart. No votes here.
  const buckets = cluster.redis ? new SharedBuckets(cluster.redis, { prefix: 'chat', now }) : undefined;
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: { votesSince: () => 0 }, now, buckets });
  const rooms = new CorkedRooms(io);
  const runner = new ChatRunner({
    store,
    registry: deps.registry,
    emitter: {
      delta: (chatId, payload) => rooms.emit(chatRoom(chatId), 'chat:delta', payload),
      end: (chatId, payload) => rooms.emit(chatRoom(chatId), 'chat:end', payload),
    },
    deltaWindow: new FlushWindow(DELTA_WINDOW_MS, (flushAll) => rooms.batch(flushAll)),
    adapterFor: deps.adapterFor,
    fetch: deps.fetch,
    abandonGraceMs: deps.abandonGraceMs,
  });
  const chats = new ChatService({ store, registry: deps.registry, runner, guard, shared: cluster.shared });
  const peers = new ChatPeers(io, { cluster, store, chats, runner });
  io.on('connection', (socket) => registerChatHandlers(io, socket, chats, peers));
  const sweep = setInterval(() => {
    guard.sweep();
    peers.sweep();
  }, 60_000).unref();
  const streams = (room: string) => room.startsWith(CHAT_ROOM_PREFIX) && chats.streams(room.slice(CHAT_ROOM_PREFIX.length));
  return { chats, drain: (budgetMs) => chats.drain(budgetMs), streams, close: () => clearInterval(sweep) };
}
