/**
 * buildApp(deps): the composition root. It builds each feature with what it needs (config, database, clock, random source,
 * providers) and lets each register its own routes and socket events; it holds no rules of its own. Nothing has side effects
 * at import time: main.ts and the tests each build their own app.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type Db, projectRoot } from '../db/client.ts';
import type { BattleService } from './arena/battle-service.ts';
import { registerArena } from './arena/module.ts';
import type { AuditLog } from './auth/audit.ts';
import { createAccounts, registerAuth } from './auth/module.ts';
import type { AuthService } from './auth/service.ts';
import { refreshUserSockets } from './auth/socket.ts';
import { registerChat } from './chat/module.ts';
import type { AppConfig } from './config/schema.ts';
import { registerEvaluations } from './evaluations/module.ts';
import type { EvaluationService } from './evaluations/service.ts';
import { registerHistory } from './history/module.ts';
import { registerIntegrity } from './integrity/module.ts';
import type { ModelConfig } from './models/config.ts';
import type { Discovery } from './models/discovery.ts';
import { createModels, registerModels } from './models/module.ts';
import type { ModelRegistry } from './models/registry.ts';
import type { ProviderAdapter } from './providers/types.ts';
import { registerSnapshots } from './snapshots/module.ts';
import type { BradleyTerryService } from './standings/bt-service.ts';
import type { LeaderboardService } from './standings/live-elo.ts';
import { createStandings, type Standings } from './standings/module.ts';
import { RatingsRepo } from './standings/ratings-repo.ts';
import { registerStandings } from './standings/routes.ts';
import { openServerDatabase } from './transport/background-checkpoints.ts';
import { type Cluster, connectCluster } from './transport/cluster.ts';
import { drainSockets } from './transport/drain.ts';
import { createHttp, registerHealth } from './transport/http.ts';
import type { IdentityResolver } from './transport/identity.ts';
import { type ArenaServer, createRealtime } from './transport/socket.ts';
import { registerStaticAssets } from './transport/static-assets.ts';
import { createVoting } from './voting/recorder.ts';

export const defaultStaticDir = path.join(projectRoot, 'dist', 'client');

export interface AppDeps {
  config: AppConfig;
  env?: NodeJS.ProcessEnv;
  random?: () => number;
  logger?: FastifyServerOptions['logger'];
  /** Built client to serve; skipped when the folder does not exist. */
  staticDir?: string | null;
  adapterFor?: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
  abandonGraceMs?: number;
  /** Who is connecting; by default sessions, trusted proxy and the configured auth mode (server/auth). */
  resolveIdentity?: IdentityResolver;
  /** The one clock: votes, ratings, battles, sessions, limits, evaluation leases (tests move it). */
  now?: () => number;
  /** Minimum time between two Bradley-Terry recomputes (default 2 s). */
  btIntervalMs?: number;
}

export interface App {
  fastify: FastifyInstance;
  /** Every HTTP route registered (method and URL pattern), for the fuzz test and docs checks. */
  routes: Array<{ method: string; url: string }>;
  discovery: Discovery;
  io: ArenaServer;
  db: Db;
  battles: BattleService;
  leaderboard: LeaderboardService;
  btLeaderboard: BradleyTerryService;
  /** Category views, their worker and the categories backfill. */
  standings: Standings;
  registry: ModelRegistry;
  auth: AuthService;
  audit: AuditLog;
  evaluations: EvaluationService;
  /** This instance among its peers (alone without REDIS_URL). */
  cluster: Cluster;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const providers = { adapterFor: deps.adapterFor, fetch: deps.fetch };
  const { fastify, routes } = await createHttp(deps.logger);
  const log = (err: unknown) => fastify.log.error(err);
  const cluster = await connectCluster({ redisUrl: config.redisUrl, instanceId: config.instanceId, onError: log });
  const { db, checkpoints } = openServerDatabase(config, log);

  // Sockets of a user whose role, status or sessions changed get their identity re-resolved.
  const onUserChanged = (userId: number) => void refreshUserSockets(io, userId, resolveIdentity, cluster);
  const accounts = createAccounts({ db, config, now, redis: cluster.redis, onUserChanged });
  const resolveIdentity = deps.resolveIdentity ?? accounts.auth.resolve;
  let closing = false;
  const io = createRealtime(fastify.server, {
    resolveIdentity,
    clientIp: (peer, headers) => accounts.auth.proxies.clientIp(peer, headers),
    cluster,
    // Foreign hosts and other origins are refused before any session lookup (DNS rebinding,
    // cross-site WebSocket hijacking); nothing new gets in while the server shuts down.
    admit: (source) => (closing ? 'the server is shutting down' : accounts.origins.refusal(source)),
  });

  const models = await createModels({ db, now, config, env: deps.env ?? process.env, fetch: deps.fetch });
  const ratings = new RatingsRepo(db.$client, now);
  const standings = createStandings({ db, ratings, registry: models.registry, io, cluster, config, now, btIntervalMs: deps.btIntervalMs, onError: log });
  const voting = createVoting({ sqlite: db.$client, ratings, eloK: config.elo.k, standings });

  const auth = await registerAuth(fastify, io, accounts, { limits: config.limits, cluster, resolveIdentity });
  await registerModels(fastify, models, { audit: accounts.audit, standings, io, cluster, ...providers });
  const shared = { db, config, registry: models.registry, voting, random, now, onError: log, cluster, ...providers };
  const arena = registerArena(io, { ...shared, standings, abandonGraceMs: deps.abandonGraceMs });
  const chat = await registerChat(io, { ...shared, abandonGraceMs: deps.abandonGraceMs });
  const battleCategories = (ids: readonly string[], category: string) => standings.categories.battlesUnder(ids, category);
  const evaluations = await registerEvaluations(fastify, io, { ...shared, audit: accounts.audit, battleCategories });
  await registerIntegrity(fastify, { db, dedupTopShare: config.standings.promptDedup.topShare });
  registerStandings(fastify, io, standings);
  registerHistory(fastify, { db, registry: models.registry, standings });
  await registerSnapshots(fastify, { db, registry: models.registry, audit: accounts.audit, standings, now, fit: config.standings });
  registerHealth(fastify, { demoModels: config.usingDemoModels, loadTest: config.loadTest, instance: cluster.shared ? cluster.instanceId : null });
  const staticDir = deps.staticDir === undefined ? defaultStaticDir : deps.staticDir;
  if (staticDir && existsSync(staticDir)) await registerStaticAssets(fastify, staticDir);

  // The drain (docs/DEPLOY.md): stop listening, tell pages, let answers finish within the budget (idle pages go
  // elsewhere; answers still running are stored as interrupted), commit submitted votes, then close every connection.
  fastify.addHook('preClose', async () => {
    closing = true;
    const budgetMs = config.drainSeconds * 1000;
    const busy = (room: string) => arena.streams(room) || chat.streams(room);
    await drainSockets(io, fastify.server, busy, () => Promise.all([arena.drain(budgetMs), chat.drain(budgetMs)]));
    await evaluations.shutdown();
    await voting.drain();
    io.engine.close();
  });
  fastify.addHook('onClose', async () => {
    for (const streams of [arena, chat]) streams.close();
    auth.close();
    await standings.close();
    await io.close();
    await cluster.close();
    await checkpoints.close();
  });

  evaluations.evaluations.resume({ alone: !cluster.shared });
  const services = { battles: arena.battles, leaderboard: standings.liveElo, btLeaderboard: standings.bt, standings };
  return { fastify, routes, io, db, ...models, ...services, auth: accounts.auth, audit: accounts.audit, evaluations: evaluations.evaluations, cluster };
}
