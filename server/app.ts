/**
 * buildApp(deps): the whole server, with config, database, randomness and providers passed in.
 * Nothing here has side effects at import time; main.ts and the tests each build their own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { openDb, type Db } from '../db/client.ts';
import { BattleRepo } from './arena/repo.ts';
import { BattleService } from './arena/battle-service.ts';
import { VoteBatcher } from './voting/vote-batcher.ts';
import { battleRoom, registerBattleHandlers } from './arena/socket.ts';
import type { AppConfig, ModelConfig } from './config/load.ts';
import { AppError, errorReply } from './transport/errors.ts';
import { registerIntegrityAdminRoutes } from './integrity/admin-routes.ts';
import { IntegrityReview } from './integrity/review.ts';
import { DEFAULT_IDENTITY_KEYWORDS } from './integrity/rules.ts';
import { BradleyTerryService } from './standings/bt-service.ts';
import { LeaderboardService } from './standings/live-elo.ts';
import { BattleGuard } from './limits/battle-guard.ts';
import { registerModelAdminRoutes } from './models/admin-routes.ts';
import { Discovery, OLLAMA_BASE_URL } from './models/discovery.ts';
import { ModelRegistry } from './models/registry.ts';
import { builtInDemoModels } from './providers/demo.ts';
import { adapterFor } from './providers/index.ts';
import type { ProviderAdapter } from './providers/types.ts';
import type { IdentityResolver } from './auth/identity.ts';
import { registerAccountAdminRoutes, registerAdminScope } from './auth/admin-routes.ts';
import { AuditLog } from './auth/audit.ts';
import { registerAuthHttp } from './auth/http.ts';
import { AccountsRepo } from './auth/repo.ts';
import { AuthService } from './auth/service.ts';
import { OriginPolicy } from './auth/origin-policy.ts';
import { joinUserRoom, refreshUserSockets } from './auth/socket.ts';
import { GenerationRunner } from './evaluations/generation.ts';
import { EvaluationRepo } from './evaluations/repo.ts';
import { ReviewRepo } from './evaluations/review-repo.ts';
import { registerEvaluationAdminRoutes, registerEvaluationRoutes } from './evaluations/routes.ts';
import { EvaluationService } from './evaluations/service.ts';
import { evaluationRoom, registerEvaluationHandlers } from './evaluations/socket.ts';
import { createRealtime, handler, type ArenaServer } from './transport/socket.ts';
import { registerApiRoutes } from './standings/routes.ts';
import { registerStaticAssets } from './transport/static-assets.ts';
import { emptySchema } from '../protocol/schemas.ts';
import { parseInput } from './transport/validation.ts';

export const defaultStaticDir = fileURLToPath(new URL('../dist/client', import.meta.url));

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
  /** Clock for sessions, invites, login throttling and evaluation leases (tests move it). */
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
  registry: ModelRegistry;
  auth: AuthService;
  audit: AuditLog;
  evaluations: EvaluationService;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const fastify = Fastify({ logger: deps.logger ?? false, bodyLimit: 1024 * 1024 });
  const routes: App['routes'] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const db = openDb(config.databasePath, { synchronous: config.synchronous });
  const now = deps.now ?? Date.now;
  const audit = new AuditLog(db);
  // Sockets of a user whose role, status or sessions changed get their identity re-resolved.
  const auth: AuthService = new AuthService({
    repo: new AccountsRepo(db),
    audit,
    config: config.auth,
    now,
    onUserChanged: (userId) => void refreshUserSockets(io, userId, resolveIdentity),
  });
  const resolveIdentity = deps.resolveIdentity ?? auth.resolve;
  const origins = new OriginPolicy({ publicOrigins: config.publicOrigins, allowedOrigins: config.auth.allowedOrigins, proxies: auth.proxies });
  let closing = false;
  const io = createRealtime(fastify.server, {
    resolveIdentity,
    clientIp: (peer, headers) => auth.proxies.clientIp(peer, headers),
    // Other origins are refused before any session lookup (cross-site WebSocket hijacking); Node
    // clients send no Origin and pass. Nothing new gets in while the server shuts down.
    admit: (source) => (closing ? 'the server is shutting down' : origins.refusal(source)),
  });

  const registry = new ModelRegistry(db, deps.env ?? process.env);
  if (config.usingDemoModels) registry.syncFromConfig(builtInDemoModels(), 'demo');
  else registry.syncFromConfig(config.models ?? [], 'config');

  // Discovery runs in the background: start-up never waits for (or fails on) a missing server.
  const discovery = new Discovery({
    servers: config.discovery.enabled ? [...(config.discovery.ollama ? [OLLAMA_BASE_URL] : []), ...config.discovery.servers] : [],
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (config.discovery.enabled) void discovery.refresh();

  const repo = new BattleRepo(db);
  repo.failInterrupted();

  const leaderboard = new LeaderboardService({
    repo,
    sqlite: db.$client,
    registry,
    intervalMs: config.leaderboardIntervalMs,
    now,
    broadcast: (lb) => io.to('leaderboard').emit('leaderboard:update', { leaderboard: lb }),
  });
  const btLeaderboard = new BradleyTerryService({
    databasePath: config.databasePath,
    db,
    describe: (id) => {
      const m = registry.get(id);
      return m && { name: m.name, demo: m.provider === 'demo' };
    },
    speedOf: (id) => leaderboard.speedOf(id),
    broadcast: (lb) => io.to('leaderboard').emit('leaderboard:bt', { leaderboard: lb }),
    hasAudience: () => (io.sockets.adapter.rooms.get('leaderboard')?.size ?? 0) > 0,
    ...(deps.btIntervalMs !== undefined ? { minIntervalMs: deps.btIntervalMs } : {}),
    onError: (err) => fastify.log.error(err),
  });
  const publicVote: (rows: Parameters<LeaderboardService['recordVote']>[0]) => void = (rows) => {
    leaderboard.recordVote(rows);
    btLeaderboard.votesChanged();
  };

  const voteBatcher = new VoteBatcher(db.$client);
  const guard = new BattleGuard({ limits: config.limits, loadTest: config.loadTest, votes: repo });
  const sweepTimer = setInterval(() => {
    guard.sweep();
    try {
      battles.expireUnvoted();
    } catch (err) {
      fastify.log.error(err);
    }
  }, 60_000).unref();
  const battles = new BattleService({
    repo,
    registry,
    random: deps.random ?? Math.random,
    now,
    voteWindowMs: config.limits.voteWindowMinutes * 60_000,
    eloK: config.elo.k,
    guard,
    votes: voteBatcher,
    identityKeywords: [...(config.integrity.identityKeywords ?? DEFAULT_IDENTITY_KEYWORDS), ...config.integrity.extraIdentityKeywords],
    reading: config.loadTest
      ? null
      : { secondsPer1kChars: config.integrity.readingSecondsPer1kChars, minSeconds: config.integrity.minReadingSeconds },
    onVote: publicVote,
    emitter: {
      delta: (battleId, payload) => io.to(battleRoom(battleId)).emit('battle:delta', payload),
      end: (battleId, payload) => io.to(battleRoom(battleId)).emit('battle:end', payload),
    },
    ...(deps.adapterFor ? { adapterFor: deps.adapterFor } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.abandonGraceMs !== undefined ? { abandonGraceMs: deps.abandonGraceMs } : {}),
  });

  const evaluationRepo = new EvaluationRepo(db);
  const generation = new GenerationRunner({
    repo: evaluationRepo,
    registry,
    concurrency: config.evaluations.generationConcurrency,
    retries: config.evaluations.generationRetries,
    retryDelayMs: config.evaluations.retryDelayMs,
    now,
    onChange: (evaluationId) => evaluations.generationChanged(evaluationId),
    ...(deps.adapterFor ? { adapterFor: deps.adapterFor } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const evaluations: EvaluationService = new EvaluationService({
    repo: evaluationRepo,
    review: new ReviewRepo(db),
    registry,
    runner: generation,
    audit,
    random: deps.random ?? Math.random,
    now,
    leaseMs: config.evaluations.leaseMinutes * 60_000,
    bootstrapRounds: config.evaluations.bootstrapRounds,
    eloK: config.elo.k,
    onPublicVote: publicVote,
    onProgress: (progress) => io.to(evaluationRoom(progress.evaluationId)).emit('eval:progress', progress),
  });
  const sessionSweep = setInterval(() => {
    try {
      auth.sweepSessions();
    } catch (err) {
      console.error('session sweep failed:', err);
    }
  }, 3_600_000).unref();

  io.on('connection', (socket) => {
    joinUserRoom(socket);
    registerEvaluationHandlers(socket, evaluations);
    registerBattleHandlers(io, socket, battles);
    socket.on(
      'leaderboard:subscribe',
      handler((payload) => {
        parseInput(emptySchema, payload);
        socket.join('leaderboard');
        return { leaderboard: leaderboard.current() };
      }),
    );
    socket.on(
      'leaderboard:unsubscribe',
      handler((payload) => {
        parseInput(emptySchema, payload);
        socket.leave('leaderboard');
        return {};
      }),
    );
  });

  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'upgrade-insecure-requests': null,
        'frame-ancestors': ["'none'"],
      },
    },
  });

  fastify.setErrorHandler((err: Error, _req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(errorReply(err));
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ ok: false, error: { code: 'invalid_input', message: err.message } });
    }
    return reply.status(500).send(errorReply(err));
  });
  fastify.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ ok: false, error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );

  await registerAuthHttp(fastify, { auth, origins, limits: { maxPromptChars: config.limits.maxPromptChars, maxTurns: config.limits.maxTurns } });
  await registerAdminScope(fastify, [
    (scope) => registerAccountAdminRoutes(scope, { auth, audit }),
    (scope) => registerEvaluationAdminRoutes(scope, evaluations),
    (scope) => registerIntegrityAdminRoutes(scope, { review: new IntegrityReview(db) }),
    (scope) =>
      registerModelAdminRoutes(scope, {
        registry,
        discovery,
        leaderboard,
        audit,
        adapterFor: deps.adapterFor ?? adapterFor,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      }),
  ]);
  registerEvaluationRoutes(fastify, evaluations);
  registerApiRoutes(fastify, { registry, leaderboard, btLeaderboard, demo: config.usingDemoModels, loadTest: config.loadTest });

  const staticDir = deps.staticDir === undefined ? defaultStaticDir : deps.staticDir;
  if (staticDir && existsSync(staticDir)) {
    await registerStaticAssets(fastify, staticDir);
  }

  // Shutdown order: refuse new sockets and tell open pages, store running answers as interrupted
  // by the restart, commit the votes already submitted (their acks still go out), and only then
  // close every connection. Closing the transports (not disconnecting the sockets, which socket.io
  // clients take as "do not come back") lets each page reconnect by itself to the next process.
  fastify.addHook('preClose', async () => {
    closing = true;
    io.emit('server:restarting', { retryAfterMs: 2000 });
    await battles.shutdown();
    await generation.shutdown();
    await voteBatcher.drain();
    io.engine.close();
  });
  fastify.addHook('onClose', async () => {
    clearInterval(sweepTimer);
    leaderboard.close();
    await btLeaderboard.close();
    clearInterval(sessionSweep);
    await io.close();
    db.$client.close();
  });

  evaluations.resume();
  return { fastify, routes, io, db, battles, leaderboard, btLeaderboard, registry, discovery, auth, audit, evaluations };
}
