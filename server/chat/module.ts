/**
 * Direct chat as the app composes it: its repository, limits (the arena's rules, in buckets of
 * their own), streaming, the service and its socket events. Chats a crash left streaming are
 * closed as interrupted. Nothing of a chat reaches votes, ratings or the public figures.
 */
import type { Db } from '../../db/client.ts';
import { DELTA_WINDOW_MS, FlushWindow } from '../arena/delta-coalescer.ts';
import { BattleGuard } from '../limits/battle-guard.ts';
import type { LimitsConfig } from '../limits/config.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { CorkedRooms } from '../transport/corked-rooms.ts';
import type { ArenaServer } from '../transport/socket.ts';
import { ChatRepo } from './repo.ts';
import { ChatRunner } from './runner.ts';
import { ChatService } from './service.ts';
import { chatRoom, registerChatHandlers } from './socket.ts';

export interface ChatDeps {
  db: Db;
  config: { limits: LimitsConfig; loadTest: boolean };
  registry: ModelRegistry;
  now: () => number;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  abandonGraceMs?: number | undefined;
}

export interface Chat {
  chats: ChatService;
  shutdown(): Promise<void>;
  close(): void;
}

export function registerChat(io: ArenaServer, deps: ChatDeps): Chat {
  const { config, now } = deps;
  const repo = new ChatRepo(deps.db, now);
  repo.failInterrupted();
  // A chat costs one model call a turn, a battle two: the same limits, counted apart. No votes here.
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: { votesSince: () => 0 }, now });
  const rooms = new CorkedRooms(io);
  const runner = new ChatRunner({
    repo,
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
  const chats = new ChatService({ repo, registry: deps.registry, runner, guard });
  io.on('connection', (socket) => registerChatHandlers(io, socket, chats));
  const sweep = setInterval(() => guard.sweep(), 60_000).unref();
  return { chats, shutdown: () => chats.shutdown(), close: () => clearInterval(sweep) };
}
