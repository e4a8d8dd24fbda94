/** The arena as the app composes it: repository, limits, streaming, the battle service, its socket events. */
import type { Db } from '../../db/client.ts';
import type { IntegrityConfig } from '../integrity/config.ts';
import { DEFAULT_IDENTITY_KEYWORDS } from '../integrity/rules.ts';
import { BattleGuard } from '../limits/battle-guard.ts';
import type { LimitsConfig } from '../limits/config.ts';
import { SharedBuckets } from '../limits/shared-buckets.ts';
import type { ModelConfig } from '../models/config.ts';
import { ModelHealth } from '../models/health.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { Standings } from '../standings/module.ts';
import { type Cluster, onPeer, tellPeers } from '../transport/cluster.ts';
import { CorkedRooms } from '../transport/corked-rooms.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { BattleService } from './battle-service.ts';
import type { MatchmakingConfig } from './config.ts';
import { DELTA_WINDOW_MS, FlushWindow } from './delta-coalescer.ts';
import { Matchmaker } from './matchmaker.ts';
import { BattlePeers } from './peers.ts';
import { BattleRepo } from './repo.ts';
import { registerBattleHandlers } from './socket.ts';
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
  /** This instance among its peers: battles bound to it, shared rate limits, resume elsewhere. */
  cluster: Cluster;
}

export interface Arena {
  battles: BattleService;
  /** Which models are in an outage (from how their answers end). */
  health: ModelHealth;
  /** Shuts down: no new battles, running answers get up to `budgetMs` to finish (BattleService.drain). */
  drain(budgetMs: number): Promise<void>;
  /** Whether a socket room is a battle this instance streams now (its page stays until the answers end). */
  streams(room: string): boolean;
  close(): void;
}

/**
 * Builds the battle service and answers its socket events; battles a crash left streaming are
 * marked failed (this instance's own when it has peers: a dead peer's are reaped by a survivor).
 */
export function registerArena(io: ArenaServer, deps: ArenaDeps): Arena {
  const { config, now, cluster } = deps;
  const repo = new BattleRepo(deps.db, now, cluster.instanceId);
  repo.failInterrupted({ alone: !cluster.shared });
  const buckets = cluster.redis ? new SharedBuckets(cluster.redis, { prefix: 'arena', now }) : undefined;
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: repo, now, buckets });
  const { outage } = config.matchmaking;
  const health = new ModelHealth({ failures: outage.failures, cooldownMs: outage.cooldownSeconds * 1000, now });
  // Every instance hears how the others' answers end: a model failing on one is in an outage on all.
  onPeer(io, 'models:outcome', ({ modelId, outcome }) => health.record(modelId, outcome));
  const sharedHealth = {
    record: (modelId: string, outcome: 'ok' | 'failed') => {
      health.record(modelId, outcome);
      tellPeers(io, cluster, 'models:outcome', { modelId, outcome });
    },
  };
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
  const peers = new BattlePeers(io, cluster, repo);
  const runner = new TurnRunner({
    health: sharedHealth,
    repo,
    registry: deps.registry,
    emitter: peers.emitter(rooms),
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
    shared: cluster.shared,
  });
  peers.serve(battles, runner);
  cluster.liveness?.watch(peers.reaper());
  io.on('connection', (socket) => registerBattleHandlers(io, socket, battles, peers));
  const sweep = setInterval(() => {
    guard.sweep();
    peers.sweep();
    try {
      battles.expireUnvoted();
    } catch (err) {
      deps.onError(err);
    }
  }, 60_000).unref();
  const streams = (room: string) => room.startsWith('battle:') && battles.streams(room.slice('battle:'.length));
  return {
    battles,
    health,
    drain: (budgetMs) => battles.drain(budgetMs),
    streams,
    close: () => clearInterval(sweep),
  };
}
