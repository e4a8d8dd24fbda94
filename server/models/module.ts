/** The model pool as the app composes it: the registry (from config or the demo set), discovery, and their routes. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { AuditLog } from '../auth/audit.ts';
import { builtInDemoModels } from '../providers/demo.ts';
import { adapterFor as providerAdapter } from '../providers/index.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { adminRoutes, route } from '../transport/http.ts';
import { registerModelAdminRoutes } from './admin-routes.ts';
import type { StandingsView } from './admin-service.ts';
import type { DiscoveryConfig, ModelConfig, ModelConfigInput } from './config.ts';
import { Discovery, OLLAMA_BASE_URL } from './discovery.ts';
import { ModelRegistry } from './registry.ts';

export interface Models {
  registry: ModelRegistry;
  discovery: Discovery;
}

export function createModels(deps: {
  db: Db;
  now: () => number;
  config: { usingDemoModels: boolean; models?: ModelConfigInput[] | undefined; discovery: DiscoveryConfig };
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch | undefined;
}): Models {
  const { config } = deps;
  const registry = new ModelRegistry(deps.db, deps.env, deps.now);
  if (config.usingDemoModels) registry.syncFromConfig(builtInDemoModels(), 'demo');
  else registry.syncFromConfig(config.models ?? [], 'config');
  // Discovery runs in the background: start-up never waits for (or fails on) a missing server.
  // OLLAMA_BASE_URL points it at an Ollama elsewhere (another container: http://ollama:11434/v1).
  const { enabled, ollama, servers } = config.discovery;
  const discovery = new Discovery({
    servers: enabled ? [...(ollama ? [deps.env.OLLAMA_BASE_URL || OLLAMA_BASE_URL] : []), ...servers] : [],
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (enabled) void discovery.refresh();
  return { registry, discovery };
}

/** The public model list and the admin registry pages. */
export async function registerModels(
  fastify: FastifyInstance,
  models: Models,
  deps: { audit: AuditLog; standings: StandingsView; adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined; fetch?: typeof fetch | undefined },
): Promise<void> {
  route(fastify, 'GET /api/models', async () => ({ models: models.registry.publicList() }));
  await adminRoutes(fastify, (scope) =>
    registerModelAdminRoutes(scope, {
      ...models,
      leaderboard: deps.standings,
      audit: deps.audit,
      adapterFor: deps.adapterFor ?? providerAdapter,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
}
