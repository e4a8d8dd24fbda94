/** The arena as the app composes it: repository, limits, streaming, the battle service, its socket events. */
import type { Db } from '../../db/client.ts';
import type { IntegrityConfig } from '../integrity/config.ts';
import { DEFAULT_IDENTITY_KEYWORDS } from '../integrity/rules.ts';
import { BattleGuard } from '../limits/battle-guard.ts';
import type { LimitsConfig } from '../limits/config.ts';
import type { ModelConfig } from '../models/config.ts';
import { ModelHealth } from '../models/health.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { Standings } from '../standings/module.ts';
import { CorkedRooms } from '../transport/corked-rooms.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { BattleService } from './battle-service.ts';
import type { MatchmakingConfig } from './config.ts';
import { DELTA_WINDOW_MS, FlushWindow } from './delta-coalescer.ts';
import { Matchmaker } from './matchmaker.ts';
import { BattleRepo } from './repo.ts';
import { battleRoom, registerBattleHandlers } from './socket.ts';
import { TurnRunner } from './turn-runner.ts';
import { VoteFlags } from './vote-flags.ts';

export interface ArenaDeps {
  db: Db;
  config: { limits: LimitsConfig; integrity: IntegrityConfig; loadTest: boolean; matchmaking: MatchmakingConfig };
  /** Counted votes per model and the latest Bradley-Terry fit, for the matchmaking policies. */
  standings: Pick<Standings, 'liveElo' | 'bt'>;
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
  /** Which models are in an outage (from how their answers end). */
  health: ModelHealth;
  shutdown(): Promise<void>;
  close(): void;
}

/** Builds the battle service and answers its socket events; battles a crash left streaming are marked failed. */
export function registerArena(io: ArenaServer, deps: ArenaDeps): Arena {
  const { config, now } = deps;
  const repo = new BattleRepo(deps.db, now);
  repo.failInterrupted();
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: repo, now });
  const { outage } = config.matchmaking;
  const health = new ModelHealth({ failures: outage.failures, cooldownMs: outage.cooldownSeconds * 1000, now });
  const matchmaker = new Matchmaker({
    config: config.matchmaking,
    health,
    sources: { votesOf: (id) => deps.standings.liveElo.votesOf(id), latestFit: () => deps.standings.bt.matchmakingFit() },
    random: deps.random,
  });
  if (config.matchmaking.policy !== 'weighted' && deps.registry.enabled().some((m) => m.weight !== 1)) {
    console.warn(`matchmaking: models have weights, but only the weighted policy uses them (policy is ${config.matchmaking.policy})`);
  }
  const rooms = new CorkedRooms(io);
  const runner = new TurnRunner({
    health,
    repo,
    registry: deps.registry,
    emitter: {
      delta: (battleId, payload) => rooms.emit(battleRoom(battleId), 'battle:delta', payload),
      end: (battleId, payload) => rooms.emit(battleRoom(battleId), 'battle:end', payload),
    },
    deltaWindow: new FlushWindow(DELTA_WINDOW_MS, (flushAll) => rooms.batch(flushAll)),
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
    matchmaker,
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
  return { battles, health, shutdown: () => battles.shutdown(), close: () => clearInterval(sweep) };
}
