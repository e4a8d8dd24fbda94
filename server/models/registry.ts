/**
 * The model pool: models from the config file (or the built-in demo set) and, later, the admin
 * registry, persisted in the database (a ModelStore: SQLite or PostgreSQL) and held in memory for
 * the hot path. Writes wait for the store, then rebuild the pool from what it holds.
 */
import type { PublicModel } from '../../protocol/types.ts';
import { ANTHROPIC_DEFAULT_BASE_URL } from '../providers/anthropic.ts';
import { GEMINI_DEFAULT_BASE_URL } from '../providers/gemini.ts';
import { OPENAI_DEFAULT_BASE_URL } from '../providers/openai.ts';
import { AppError } from '../transport/errors.ts';
import { type ModelConfig, type ModelConfigInput, modelConfigSchema } from './config.ts';
import type { ModelRow, ModelSource, ModelStore } from './store.ts';

/** Environment variables an admin may name for a key without a config file having named it. */
export const ADMIN_KEY_ENV_PREFIX = 'ARENA_KEY_';

const DEFAULT_BASE_URLS: Record<ModelConfig['provider'], string | null> = {
  demo: null,
  openai: OPENAI_DEFAULT_BASE_URL,
  anthropic: ANTHROPIC_DEFAULT_BASE_URL,
  gemini: GEMINI_DEFAULT_BASE_URL,
};

function originOf(model: ModelConfig): string | null {
  const base = model.baseUrl ?? DEFAULT_BASE_URLS[model.provider];
  return base ? new URL(base).origin : null;
}

const exists = (id: string) => new AppError('conflict', `a model with id "${id}" exists`, { field: 'id' });

export class ModelRegistry {
  #byId = new Map<string, ModelConfig>();
  #deprecated = new Set<string>();
  #sources = new Map<string, ModelSource>();
  /**
   * Key variables named in the config file, and the origins they were configured for. An admin
   * may reuse such a key only towards the same origin: otherwise a stolen admin session could send
   * every provider key to a server of its choosing.
   */
  #configuredKeyOrigins = new Map<string, Set<string>>();
  #version = 0;
  /** The rows the pool was built from, as a string: whether the stored pool moved since (see `refresh`). */
  #stored = '';
  readonly #store: ModelStore;
  readonly #env: NodeJS.ProcessEnv;

  constructor(store: ModelStore, env: NodeJS.ProcessEnv) {
    this.#store = store;
    this.#env = env;
  }

  /**
   * Writes the configured models to the database and disables configured ones no longer listed.
   * The enabled switch is shared with the admin page: the file's value applies when it changes,
   * otherwise an admin's enable/disable survives restarts.
   */
  async syncFromConfig(configured: ModelConfigInput[], source: 'config' | 'demo'): Promise<void> {
    const parsed = configured.map((m) => modelConfigSchema.parse(m));
    this.#configuredKeyOrigins.clear();
    for (const m of parsed) {
      const origin = originOf(m);
      if (!m.apiKeyEnv || !origin) continue;
      const origins = this.#configuredKeyOrigins.get(m.apiKeyEnv) ?? new Set<string>();
      origins.add(origin);
      this.#configuredKeyOrigins.set(m.apiKeyEnv, origins);
    }
    await this.#store.syncFromConfig(parsed, source);
    await this.reload();
  }

  /** Where a model was defined: the config file, the built-in demo set, or the admin page. */
  sourceOf(id: string): ModelSource | undefined {
    return this.#sources.get(id);
  }

  /** The model an add would store, after every rule an add checks; nothing is written. */
  prepareAdd(input: ModelConfigInput): ModelConfig {
    const model = modelConfigSchema.parse(input);
    requireServable(model);
    this.#requireKeyAllowed(model);
    if (this.#byId.has(model.id)) throw exists(model.id);
    return model;
  }

  /** Adds a model from the admin page; it is live for the next battle. */
  async add(input: ModelConfigInput): Promise<ModelConfig> {
    const model = this.prepareAdd(input);
    // Checked again by the store: another add (here or on another instance) may have taken the id.
    if (!(await this.#store.insertAdminModel(model))) throw exists(model.id);
    await this.reload();
    return this.#byId.get(model.id)!;
  }

  /**
   * Edits a model. Models from the config file can only be switched on or off here (the file is
   * their source of truth); models added in the admin page can be edited entirely.
   */
  async update(id: string, patch: Partial<ModelConfigInput>): Promise<ModelConfig> {
    const { model, source } = this.#prepareUpdate(id, patch);
    // A file-defined model keeps the file's settings (so the next start can tell a file change
    // from this switch); only the row's enabled flag moves.
    await this.#store.update(id, model, source === 'admin');
    await this.reload();
    return this.#byId.get(id)!;
  }

  /** The model before and after an update, after every rule an update checks; nothing is written. */
  prepareUpdate(id: string, patch: Partial<ModelConfigInput>): { before: ModelConfig; after: ModelConfig } {
    const { current, model } = this.#prepareUpdate(id, patch);
    return { before: current, after: model };
  }

  #prepareUpdate(id: string, patch: Partial<ModelConfigInput>) {
    const current = this.#byId.get(id);
    if (!current) throw new AppError('not_found', `no model "${id}"`, { field: 'id' });
    const source = this.sourceOf(id);
    const keys = Object.keys(patch).filter((k) => k !== 'id');
    if (source !== 'admin' && keys.some((k) => k !== 'enabled')) {
      throw new AppError(
        'conflict',
        `"${id}" is defined in ${source === 'demo' ? 'the built-in demo set' : 'arena.config.json'}: only "enabled" can be changed here`,
        {
          field: keys.find((k) => k !== 'enabled')!,
        },
      );
    }
    const model = modelConfigSchema.parse({ ...current, ...patch, id });
    requireServable(model);
    if (source === 'admin') this.#requireKeyAllowed(model);
    return { current, model, source };
  }

  #requireKeyAllowed(model: ModelConfig): void {
    const name = model.apiKeyEnv;
    if (!name || name.startsWith(ADMIN_KEY_ENV_PREFIX)) return;
    const origins = this.#configuredKeyOrigins.get(name);
    const origin = originOf(model);
    if (origins && origin && origins.has(origin)) return;
    throw new AppError(
      'forbidden',
      origins
        ? `apiKeyEnv: ${name} is configured for ${[...origins].join(', ')} only; keys are never sent elsewhere`
        : `apiKeyEnv: name a variable starting with ${ADMIN_KEY_ENV_PREFIX}, or one a model in arena.config.json already uses`,
      { field: 'apiKeyEnv' },
    );
  }

  /** Bumped on every change, so caches derived from the pool know when to rebuild. */
  get version(): number {
    return this.#version;
  }

  async reload(): Promise<void> {
    this.#build(await this.#store.all());
  }

  /**
   * Rebuilds the pool only when the stored one differs from it (another instance or process wrote
   * it); returns whether it did. Cheap: the table has one row per model.
   */
  async refresh(): Promise<boolean> {
    const rows = await this.#store.all();
    if (storedForm(rows) === this.#stored) return false;
    this.#build(rows);
    return true;
  }

  #build(rows: ModelRow[]): void {
    this.#version++;
    this.#stored = storedForm(rows);
    this.#byId.clear();
    this.#deprecated.clear();
    this.#sources.clear();
    for (const row of rows) {
      this.#sources.set(row.id, row.source);
      const settings = modelConfigSchema.parse({ ...(row.settings as object), enabled: row.enabled });
      this.#byId.set(row.id, settings);
      if (row.deprecated) this.#deprecated.add(row.id);
    }
  }

  /** Deprecated models are hidden from the standings unless a viewer asks for them; they still battle while enabled. */
  isDeprecated(id: string): boolean {
    return this.#deprecated.has(id);
  }

  async setDeprecated(id: string, deprecated: boolean): Promise<void> {
    if (!this.#byId.has(id)) throw new AppError('not_found', `no model "${id}"`, { field: 'id' });
    await this.#store.setDeprecated(id, deprecated);
    await this.reload();
  }

  get(id: string): ModelConfig | undefined {
    return this.#byId.get(id);
  }

  enabled(): ModelConfig[] {
    return [...this.#byId.values()].filter((m) => m.enabled);
  }

  all(): ModelConfig[] {
    return [...this.#byId.values()];
  }

  apiKeyFor(model: ModelConfig): string | undefined {
    return model.apiKeyEnv ? this.#env[model.apiKeyEnv] : undefined;
  }

  /**
   * Every key value a model could send: the variables any registry model names, and every
   * ARENA_KEY_ variable (an admin may name one at any time). For redacting upstream text.
   */
  secretValues(): string[] {
    const names = new Set([...this.#byId.values()].map((m) => m.apiKeyEnv).filter((n): n is string => n !== undefined));
    for (const name of Object.keys(this.#env)) if (name.startsWith(ADMIN_KEY_ENV_PREFIX)) names.add(name);
    const values = [...names].map((n) => this.#env[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
    return [...new Set(values)];
  }

  /** Strings that would reveal a model if they appeared in what a voter sees before voting. */
  identifyingStrings(model: ModelConfig): string[] {
    // A demo model's `model` is its style word ("sage"), which is ordinary English, not a name.
    const upstream = model.provider === 'demo' ? '' : (model.model ?? '');
    return [model.id, model.name, upstream, model.organization ?? ''].filter((s) => s.length >= 3);
  }

  publicList(): PublicModel[] {
    return this.enabled().map(toPublicModel);
  }
}

/**
 * An enabled model must be reachable: one served from the vendor's own API (no baseUrl) needs a
 * key. Catches imported history models being switched on before an endpoint is given.
 */
function requireServable(model: ModelConfig): void {
  if (model.enabled && model.provider !== 'demo' && !model.baseUrl && !model.apiKeyEnv) {
    throw new AppError('invalid_input', `apiKeyEnv: "${model.id}" would call the ${model.provider} API without a key; give a baseUrl or an apiKeyEnv first`, {
      field: 'apiKeyEnv',
    });
  }
}

/** What the pool is built from, in one order (times left out: a config sync rewrites them unchanged). */
function storedForm(rows: readonly ModelRow[]): string {
  const sorted = [...rows].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return JSON.stringify(sorted.map((r) => [r.id, r.source, r.enabled, r.deprecated, r.settings]));
}

export function toPublicModel(model: ModelConfig): PublicModel {
  return {
    id: model.id,
    name: model.name,
    demo: model.provider === 'demo',
    organization: model.organization ?? null,
    license: model.license ?? null,
  };
}
