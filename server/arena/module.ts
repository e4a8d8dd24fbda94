/** The arena as the app composes it: repository, limits, streaming, the battle service, its socket events. */
import type { Db } from '../../db/client.ts';
import type { IntegrityConfig } from '../integrity/config.ts';
import { DEFAULT_IDENTITY_KEYWORDS } from '../integrity/rules.ts';
import { BattleGuard } from '../limits/battle-guard.ts';
import type { LimitsConfig } from '../limits/config.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { BattleService } from './battle-service.ts';
import { BattleRepo } from './repo.ts';
import { battleRoom, registerBattleHandlers } from './socket.ts';
import { TurnRunner } from './turn-runner.ts';
import { VoteFlags } from './vote-flags.ts';

export interface ArenaDeps {
  db: Db;
  config: { limits: LimitsConfig; integrity: IntegrityConfig; loadTest: boolean };
  registry: ModelRegistry;
  voting: VoteRecorder;
  random: () => number;
  now: () => number;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  abandonGraceMs?: number | undefined;
  onError: (err: unknown) => void;
}

export interface Arena {
  battles: BattleService;
  shutdown(): Promise<void>;
  close(): void;
}

/** Builds the battle service and answers its socket events; battles a crash left streaming are marked failed. */
export function registerArena(io: ArenaServer, deps: ArenaDeps): Arena {
  const { config, now } = deps;
  const repo = new BattleRepo(deps.db, now);
  repo.failInterrupted();
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: repo, now });
  const runner = new TurnRunner({
    repo,
    registry: deps.registry,
    emitter: {
      delta: (battleId, payload) => io.to(battleRoom(battleId)).emit('battle:delta', payload),
      end: (battleId, payload) => io.to(battleRoom(battleId)).emit('battle:end', payload),
    },
    ...(deps.adapterFor ? { adapterFor: deps.adapterFor } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.abandonGraceMs !== undefined ? { abandonGraceMs: deps.abandonGraceMs } : {}),
  });
  const { integrity } = config;
  const flags = new VoteFlags({
    registry: deps.registry,
    identityKeywords: [...(integrity.identityKeywords ?? DEFAULT_IDENTITY_KEYWORDS), ...integrity.extraIdentityKeywords],
    reading: config.loadTest ? null : { secondsPer1kChars: integrity.readingSecondsPer1kChars, minSeconds: integrity.minReadingSeconds },
    now,
  });
  const battles = new BattleService({
    repo,
    registry: deps.registry,
    runner,
    guard,
    voting: deps.voting,
    flags,
    random: deps.random,
    now,
    voteWindowMs: config.limits.voteWindowMinutes * 60_000,
  });
  io.on('connection', (socket) => registerBattleHandlers(io, socket, battles));
  const sweep = setInterval(() => {
    guard.sweep();
    try {
      battles.expireUnvoted();
    } catch (err) {
      deps.onError(err);
    }
  }, 60_000).unref();
  return { battles, shutdown: () => battles.shutdown(), close: () => clearInterval(sweep) };
}
