/**
 * The model registry for admins (mounted inside the /api/admin scope, which checks the role):
 * list, add, edit, enable/disable and test models, and enable discovered ones. Changes are live
 * for the next battle. API keys are never taken or returned: only the name of their variable.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { modelWriteQuerySchema } from '../../protocol/models.ts';
import { modelDeprecatedSchema } from '../../protocol/standings.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { adminRoute } from '../transport/http.ts';
import { parseInput } from '../transport/validation.ts';
import { ModelAdminService, type StandingsView } from './admin-service.ts';
import { type ModelConfig, modelConfigSchema } from './config.ts';
import type { Discovery } from './discovery.ts';
import type { ModelRegistry } from './registry.ts';

const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const modelPatchSchema = modelConfigSchema.omit({ id: true }).partial();

export interface ModelAdminDeps {
  registry: ModelRegistry;
  discovery: Discovery;
  /** The live standings, told when the pool changes (structural: models/ does not import standings/). */
  leaderboard: StandingsView;
  audit: AuditLog;
  adapterFor: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
}

export function registerModelAdminRoutes(scope: FastifyInstance, deps: ModelAdminDeps): void {
  const { registry, leaderboard, audit } = deps;
  const models = new ModelAdminService(deps);
  const view = (model: ModelConfig) => ({
    ...model,
    source: registry.sourceOf(model.id),
    // Whether the named variable is set; its value never leaves the server.
    apiKeySet: model.apiKeyEnv ? registry.apiKeyFor(model) !== undefined : null,
    speed: leaderboard.speedOf(model.id) ?? null,
    deprecated: registry.isDeprecated(model.id),
  });
  const force = (query: unknown) => parseInput(modelWriteQuerySchema, query).force === '1';

  adminRoute(scope, 'GET /api/admin/models', async () => ({ ok: true, models: registry.all().map(view), discovery: deps.discovery.snapshot() }));

  adminRoute(scope, 'POST /api/admin/models', async (request) => {
    const forced = force(request.query);
    const { model, check } = await models.add(request.identity, parseInput(modelConfigSchema, request.body), { force: forced });
    return { ok: true, model: view(model), check };
  });

  adminRoute(scope, 'PATCH /api/admin/models/:id', async (request) => {
    const { id } = parseInput(idParams, request.params);
    const forced = force(request.query);
    const parsed = parseInput(modelPatchSchema, request.body);
    // Only the fields sent: zod fills defaults (enabled, weight) that were not part of the edit.
    const sent = new Set(Object.keys(request.body as object));
    const patch = Object.fromEntries(Object.entries(parsed).filter(([k]) => sent.has(k)));
    const { model, check } = await models.update(request.identity, id, patch, { force: forced });
    return { ok: true, model: view(model), check };
  });

  adminRoute(scope, 'POST /api/admin/models/:id/test', async (request) => {
    const { id } = parseInput(idParams, request.params);
    return { ok: true, result: await models.test(request.identity, id) };
  });

  // Hides the model from the standings (unless a viewer asks for deprecated models); it keeps battling while enabled.
  adminRoute(scope, 'PATCH /api/admin/models/:id/deprecated', async (request) => {
    const { id } = parseInput(idParams, request.params);
    const { deprecated } = parseInput(modelDeprecatedSchema, request.body);
    await registry.setDeprecated(id, deprecated);
    await audit.record(actorOf(request.identity), deprecated ? 'model.deprecate' : 'model.undeprecate', id);
    await leaderboard.invalidate();
    return { ok: true, deprecated };
  });

  adminRoute(scope, 'POST /api/admin/discovery/refresh', async (request) => {
    await deps.discovery.refresh();
    await audit.record(actorOf(request.identity), 'discovery.refresh', null);
    return { ok: true, discovery: deps.discovery.snapshot() };
  });
}
