/** The registry's rows in SQLite (the `models` table): the ModelStore of store.ts. */
import { and, eq, inArray, not } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { models } from '../../db/schema.ts';
import type { ModelConfig } from './config.ts';
import { type ModelRow, type ModelStore, syncedRow } from './store.ts';

export class ModelsRepo implements ModelStore {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  async all(): Promise<ModelRow[]> {
    return this.#db.select().from(models).all();
  }

  async syncFromConfig(parsed: ModelConfig[], source: 'config' | 'demo'): Promise<void> {
    const updatedAt = new Date(this.#now());
    this.#db.transaction((tx) => {
      for (const model of parsed) {
        const existing = tx.select().from(models).where(eq(models.id, model.id)).get();
        const row = syncedRow(model, source, existing);
        tx.insert(models)
          .values({ id: model.id, ...row })
          .onConflictDoUpdate({ target: models.id, set: { ...row, updatedAt } })
          .run();
      }
      const ids = parsed.map((m) => m.id);
      tx.update(models)
        .set({ enabled: false, updatedAt })
        .where(and(inArray(models.source, ['config', 'demo']), not(inArray(models.id, ids))))
        .run();
    });
  }

  async insertAdminModel(model: ModelConfig): Promise<boolean> {
    const inserted = this.#db
      .insert(models)
      .values({ id: model.id, name: model.name, provider: model.provider, settings: model, source: 'admin', enabled: model.enabled })
      .onConflictDoNothing({ target: models.id })
      .run().changes;
    return inserted === 1;
  }

  async update(id: string, model: ModelConfig, settingsToo: boolean): Promise<void> {
    const set = settingsToo ? { name: model.name, provider: model.provider, settings: model } : {};
    this.#db
      .update(models)
      .set({ ...set, enabled: model.enabled, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id))
      .run();
  }

  async setDeprecated(id: string, deprecated: boolean): Promise<void> {
    this.#db
      .update(models)
      .set({ deprecated, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id))
      .run();
  }
}
