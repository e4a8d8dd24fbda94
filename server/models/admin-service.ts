/**
 * The rules of the admin model registry: every change is audited and live for the next battle,
 * and a model is switched on only after its test passes (or the admin said to switch it on
 * anyway), so voters do not meet a model that cannot answer.
 */

import type { ErrorBody } from '../../protocol/errors.ts';
import type { ModelCheckResult } from '../../protocol/models.ts';
import type { ModelSpeed } from '../../protocol/types.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import type { ModelConfig, ModelConfigInput } from './config.ts';
import { checkModel } from './model-check.ts';
import type { ModelRegistry } from './registry.ts';

/** Fields that change where or how the model is asked: editing one re-tests an enabled model. */
const REQUEST_FIELDS = ['provider', 'baseUrl', 'model', 'apiKeyEnv', 'extra', 'systemPrompt', 'temperature', 'maxTokens'] as const;

/** What the registry pages need of the live standings. */
export interface StandingsView {
  speedOf(modelId: string): ModelSpeed | undefined;
  /** Settles once the other instances re-read the pool too (at once when alone). */
  invalidate(): void | Promise<void>;
}

export interface ModelAdminServiceDeps {
  registry: ModelRegistry;
  /** The live standings, told when the pool changes (structural: models/ does not import standings/). */
  leaderboard: StandingsView;
  audit: AuditLog;
  adapterFor: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
}

/** `conflict` on `enabled`: the model failed its test; the result goes along for the page to show. */
export class ModelCheckFailedError extends AppError {
  readonly check: ModelCheckResult;
  constructor(id: string, check: ModelCheckResult) {
    super('conflict', `"${id}" failed its test (${check.error?.message ?? 'no answer'}), so it was not switched on; send force=1 to switch it on anyway`, {
      field: 'enabled',
    });
    this.check = check;
  }

  override toBody(): ErrorBody {
    return { ...super.toBody(), check: this.check };
  }
}

export interface ModelWrite {
  model: ModelConfig;
  /** The test run before switching the model on; null when none was needed or it was forced. */
  check: ModelCheckResult | null;
}

export class ModelAdminService {
  readonly #deps: ModelAdminServiceDeps;
  constructor(deps: ModelAdminServiceDeps) {
    this.#deps = deps;
  }

  async add(admin: Identity, input: ModelConfigInput, opts: { force: boolean }): Promise<ModelWrite> {
    const { registry } = this.#deps;
    // Every rule (key origins above all) is checked before the test sends anything anywhere.
    const prepared = registry.prepareAdd(input);
    const testNeeded = needsCheck(undefined, prepared);
    const check = await this.#gate(prepared, testNeeded, opts.force);
    const model = await registry.add(input);
    await this.#deps.audit.record(actorOf(admin), 'model.add', model.id, {
      provider: model.provider,
      baseUrl: model.baseUrl ?? null,
      model: model.model ?? null,
      ...gateDetails(check, opts.force && testNeeded),
    });
    await this.#deps.leaderboard.invalidate();
    return { model, check };
  }

  async update(admin: Identity, id: string, patch: Partial<ModelConfigInput>, opts: { force: boolean }): Promise<ModelWrite> {
    const { registry } = this.#deps;
    const { before, after } = registry.prepareUpdate(id, patch);
    const testNeeded = needsCheck(before, after);
    const check = await this.#gate(after, testNeeded, opts.force);
    const model = await registry.update(id, patch);
    await this.#deps.audit.record(actorOf(admin), 'model.update', id, { fields: Object.keys(patch), ...gateDetails(check, opts.force && testNeeded) });
    await this.#deps.leaderboard.invalidate();
    return { model, check };
  }

  async test(admin: Identity, id: string): Promise<ModelCheckResult> {
    const model = this.#deps.registry.get(id);
    if (!model) throw new AppError('not_found', `no model "${id}"`, { field: 'id' });
    const result = await this.#check(model);
    await this.#deps.audit.record(actorOf(admin), 'model.test', id, { ok: result.ok });
    return result;
  }

  async #gate(model: ModelConfig, testNeeded: boolean, force: boolean): Promise<ModelCheckResult | null> {
    if (!testNeeded || force) return null;
    const check = await this.#check(model);
    if (!check.ok) throw new ModelCheckFailedError(model.id, check);
    return check;
  }

  #check(model: ModelConfig): Promise<ModelCheckResult> {
    const { registry, fetch } = this.#deps;
    return checkModel({
      model,
      adapter: this.#deps.adapterFor(model),
      apiKey: registry.apiKeyFor(model),
      secrets: registry.secretValues(),
      ...(fetch ? { fetch } : {}),
    });
  }
}

/**
 * A model that will be enabled is tested when it is new, is being switched on, or is asked
 * differently than before. Demo models answer from this process and cannot fail to connect.
 */
export function needsCheck(before: ModelConfig | undefined, after: ModelConfig): boolean {
  if (!after.enabled || after.provider === 'demo') return false;
  if (!before?.enabled) return true;
  return REQUEST_FIELDS.some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

function gateDetails(check: ModelCheckResult | null, forced: boolean): Record<string, unknown> {
  if (forced) return { forced: true };
  return check ? { check: { ok: check.ok, status: check.status } } : {};
}
