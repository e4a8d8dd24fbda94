/** Team evaluations as the app composes them: repositories, pre-generation, the service, routes and socket events. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { AuditLog } from '../auth/audit.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { adminRoutes } from '../transport/http.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import type { EvaluationsConfig } from './config.ts';
import { GenerationRunner } from './generation.ts';
import { EvaluationRepo } from './repo.ts';
import { ReviewRepo } from './review-repo.ts';
import { registerEvaluationAdminRoutes, registerEvaluationRoutes } from './routes.ts';
import { EvaluationService } from './service.ts';
import { evaluationRoom, registerEvaluationHandlers } from './socket.ts';

export interface EvaluationsDeps {
  db: Db;
  config: { evaluations: EvaluationsConfig };
  registry: ModelRegistry;
  voting: VoteRecorder;
  audit: AuditLog;
  random: () => number;
  now: () => number;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
}

export interface Evaluations {
  evaluations: EvaluationService;
  shutdown(): Promise<void>;
}

export async function registerEvaluations(fastify: FastifyInstance, io: ArenaServer, deps: EvaluationsDeps): Promise<Evaluations> {
  const settings = deps.config.evaluations;
  const repo = new EvaluationRepo(deps.db);
  const generation = new GenerationRunner({
    repo,
    registry: deps.registry,
    concurrency: settings.generationConcurrency,
    retries: settings.generationRetries,
    retryDelayMs: settings.retryDelayMs,
    now: deps.now,
    onChange: (evaluationId) => evaluations.generationChanged(evaluationId),
    ...(deps.adapterFor ? { adapterFor: deps.adapterFor } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const evaluations: EvaluationService = new EvaluationService({
    repo,
    review: new ReviewRepo(deps.db),
    registry: deps.registry,
    runner: generation,
    audit: deps.audit,
    random: deps.random,
    now: deps.now,
    leaseMs: settings.leaseMinutes * 60_000,
    bootstrapRounds: settings.bootstrapRounds,
    voting: deps.voting,
    onProgress: (progress) => io.to(evaluationRoom(progress.evaluationId)).emit('eval:progress', progress),
  });
  io.on('connection', (socket) => registerEvaluationHandlers(socket, evaluations));
  await adminRoutes(fastify, (scope) => registerEvaluationAdminRoutes(scope, evaluations));
  registerEvaluationRoutes(fastify, evaluations);
  return { evaluations, shutdown: () => generation.shutdown() };
}
