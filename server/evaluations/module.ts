/** Team evaluations as the app composes them: repositories, pre-generation, judging, the service, routes and socket events. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { AuditLog } from '../auth/audit.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { Cluster } from '../transport/cluster.ts';
import { adminRoutes } from '../transport/http.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import type { BattleCategoryHook } from './battle-prompts.ts';
import { BattlePromptsRepo } from './battle-prompts-repo.ts';
import type { EvaluationsConfig } from './config.ts';
import { GenerationRunner } from './generation.ts';
import { JudgeRepo } from './judges/judge-repo.ts';
import { JudgeRunner } from './judges/runner.ts';
import { EvaluationRepo } from './repo.ts';
import { ReviewRepo } from './review-repo.ts';
import { registerEvaluationAdminRoutes, registerEvaluationRoutes } from './routes.ts';
import { EvaluationService } from './service.ts';
import { adminRoom, evaluationRoom, registerEvaluationHandlers } from './socket.ts';

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
  /** Battle categories for prompt sets made from battles (see battle-prompts.ts); none until standings provide them. */
  battleCategories?: BattleCategoryHook | undefined;
  /** This instance among its peers: background work is claimed per instance, a dead one's requeued. */
  cluster?: Cluster | undefined;
}

export interface Evaluations {
  evaluations: EvaluationService;
  shutdown(): Promise<void>;
}

export async function registerEvaluations(fastify: FastifyInstance, io: ArenaServer, deps: EvaluationsDeps): Promise<Evaluations> {
  const settings = deps.config.evaluations;
  const instanceId = deps.cluster?.instanceId ?? null;
  const repo = new EvaluationRepo(deps.db, instanceId);
  const judges = new JudgeRepo(deps.db, instanceId);
  const providers = { ...(deps.adapterFor ? { adapterFor: deps.adapterFor } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  const onChange = (evaluationId: string) => evaluations.generationChanged(evaluationId);
  const generation = new GenerationRunner({
    repo,
    registry: deps.registry,
    concurrency: settings.generationConcurrency,
    retries: settings.generationRetries,
    retryDelayMs: settings.retryDelayMs,
    now: deps.now,
    onChange,
    ...providers,
  });
  const judgeRunner = new JudgeRunner({
    judges,
    repo,
    registry: deps.registry,
    concurrency: settings.judgeConcurrency,
    retries: settings.judgeRetries,
    parseRetries: settings.judgeParseRetries,
    retryDelayMs: settings.retryDelayMs,
    outputTokensEstimate: settings.judgeOutputTokens,
    now: deps.now,
    onChange,
    ...providers,
  });
  const evaluations: EvaluationService = new EvaluationService({
    repo,
    review: new ReviewRepo(deps.db),
    judges,
    battles: new BattlePromptsRepo(deps.db),
    battleCategories: deps.battleCategories,
    registry: deps.registry,
    runner: generation,
    judgeRunner,
    audit: deps.audit,
    random: deps.random,
    now: deps.now,
    leaseMs: settings.leaseMinutes * 60_000,
    bootstrapRounds: settings.bootstrapRounds,
    intervals: settings.intervals,
    judgeCapUsd: settings.judgeSpendCapUsd,
    judgeOutputTokens: settings.judgeOutputTokens,
    voting: deps.voting,
    // Voters get the counts; admins (a room of their own) the judges' runs as well.
    onProgress: (progress, admins) => {
      io.to(evaluationRoom(progress.evaluationId)).except(adminRoom(progress.evaluationId)).emit('eval:progress', progress);
      io.to(adminRoom(progress.evaluationId)).emit('eval:progress', admins);
    },
  });
  // A dead peer's answers and judge calls in flight go back to the queue, for whichever instance takes them.
  deps.cluster?.liveness?.watch({
    holders: () => [...repo.generatingInstances(), ...judges.judgingInstances()],
    reap: (dead) => {
      if (repo.requeueRunningOf(dead) > 0) generation.kick();
      if (judges.requeueRunningOf(dead) > 0) judgeRunner.kick();
    },
  });
  io.on('connection', (socket) => registerEvaluationHandlers(socket, evaluations));
  await adminRoutes(fastify, (scope) => registerEvaluationAdminRoutes(scope, evaluations));
  registerEvaluationRoutes(fastify, evaluations);
  return { evaluations, shutdown: async () => void (await Promise.all([generation.shutdown(), judgeRunner.shutdown()])) };
}
