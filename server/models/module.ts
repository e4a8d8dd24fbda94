/** The model pool as the app composes it: the registry (from config or the demo set), discovery, and their routes. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { AuditLog } from '../auth/audit.ts';
import { builtInDemoModels } from '../providers/demo.ts';
import { adapterFor as providerAdapter } from '../providers/index.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { askPeers, type Cluster, onPeer } from '../transport/cluster.ts';
import { adminRoutes, route } from '../transport/http.ts';
import type { ArenaServer } from '../transport/socket.ts';
import { registerModelAdminRoutes } from './admin-routes.ts';
import type { StandingsView } from './admin-service.ts';
import type { DiscoveryConfig, ModelConfig, ModelConfigInput } from './config.ts';
import { Discovery, OLLAMA_BASE_URL } from './discovery.ts';
import { ModelRegistry } from './registry.ts';
import { ModelsRepo } from './repo.ts';

export interface Models {
  registry: ModelRegistry;
  discovery: Discovery;
}

export async function createModels(deps: {
  db: Db;
  now: () => number;
  config: { usingDemoModels: boolean; models?: ModelConfigInput[] | undefined; discovery: DiscoveryConfig };
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch | undefined;
}): Promise<Models> {
  const { config } = deps;
  const registry = new ModelRegistry(new ModelsRepo(deps.db, deps.now), deps.env);
  if (config.usingDemoModels) await registry.syncFromConfig(builtInDemoModels(), 'demo');
  else await registry.syncFromConfig(config.models ?? [], 'config');
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

/**
 * The public model list and the admin registry pages. Every instance holds the pool in memory:
 * after an admin's change the others are told to re-read it (and re-read it anyway on every
 * resync, in case the message was lost), so a model switched off on one is drawn on none.
 */
export async function registerModels(
  fastify: FastifyInstance,
  models: Models,
  deps: {
    audit: AuditLog;
    standings: StandingsView;
    io: ArenaServer;
    cluster: Pick<Cluster, 'shared' | 'onResync'>;
    adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
    fetch?: typeof fetch | undefined;
  },
): Promise<void> {
  const { io, cluster, standings, registry } = { ...deps, ...models };
  const followStored = async () => {
    const reloaded = await registry.refresh();
    if (reloaded) standings.invalidate();
    return { reloaded };
  };
  onPeer(io, 'models:changed', followStored);
  cluster.onResync(() => void followStored().catch((err: unknown) => console.error('could not re-read the model pool:', err)));
  // This instance's start-up sync of the config file may have changed the stored pool.
  void askPeers(io, cluster, 'models:changed', {});
  const leaderboard: StandingsView = {
    speedOf: (id) => standings.speedOf(id),
    // The admin's answer waits for the peers (at most PEER_TIMEOUT_MS): once it is back, no instance draws the old pool.
    async invalidate() {
      standings.invalidate();
      await askPeers(io, cluster, 'models:changed', {});
    },
  };
  route(fastify, 'GET /api/models', async () => ({ models: registry.publicList() }));
  await adminRoutes(fastify, (scope) =>
    registerModelAdminRoutes(scope, {
      ...models,
      leaderboard,
      audit: deps.audit,
      adapterFor: deps.adapterFor ?? providerAdapter,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
}
