/**
 * The model pool: models from the config file (or the built-in demo set) and, later, the admin
 * registry, persisted in SQLite and held in memory for the hot path.
 */
import { eq, inArray, not, and } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { models as modelsTable } from '../../db/schema.ts';
import type { PublicModel } from '../../protocol/types.ts';
import { modelConfigSchema, type ModelConfig, type ModelConfigInput } from '../config.ts';

export class ModelRegistry {
  #byId = new Map<string, ModelConfig>();
  #version = 0;
  readonly #db: Db;
  readonly #env: NodeJS.ProcessEnv;

  constructor(db: Db, env: NodeJS.ProcessEnv) {
    this.#db = db;
    this.#env = env;
  }

  /** Writes the configured models to the database and disables configured ones no longer listed. */
  syncFromConfig(configured: ModelConfigInput[], source: 'config' | 'demo'): void {
    const parsed = configured.map((m) => modelConfigSchema.parse(m));
    const ids = parsed.map((m) => m.id);
    this.#db.transaction((tx) => {
      for (const model of parsed) {
        const row = { name: model.name, provider: model.provider, settings: model, source, enabled: model.enabled };
        tx.insert(modelsTable)
          .values({ id: model.id, ...row })
          .onConflictDoUpdate({ target: modelsTable.id, set: { ...row, updatedAt: new Date() } })
          .run();
      }
      tx.update(modelsTable)
        .set({ enabled: false, updatedAt: new Date() })
        .where(and(inArray(modelsTable.source, ['config', 'demo']), not(inArray(modelsTable.id, ids))))
        .run();
    });
    this.reload();
  }

  /** Bumped on every change, so caches derived from the pool know when to rebuild. */
  get version(): number {
    return this.#version;
  }

  reload(): void {
    this.#version++;
    this.#byId.clear();
    for (const row of this.#db.select().from(modelsTable).all()) {
      const settings = modelConfigSchema.parse({ ...(row.settings as object), enabled: row.enabled });
      this.#byId.set(row.id, settings);
    }
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

  setEnabled(id: string, enabled: boolean): void {
    this.#db.update(modelsTable).set({ enabled, updatedAt: new Date() }).where(eq(modelsTable.id, id)).run();
    this.reload();
  }

  apiKeyFor(model: ModelConfig): string | undefined {
    return model.apiKeyEnv ? this.#env[model.apiKeyEnv] : undefined;
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

export function toPublicModel(model: ModelConfig): PublicModel {
  return {
    id: model.id,
    name: model.name,
    demo: model.provider === 'demo',
    organization: model.organization ?? null,
    license: model.license ?? null,
  };
}
