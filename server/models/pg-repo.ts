/** The registry's rows in PostgreSQL (db/pg/schema.ts `models`): the ModelStore of store.ts. */
import { and, eq, inArray, not, sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { models } from '../../db/pg/schema.ts';
import type { ModelConfig } from './config.ts';
import { type ModelRow, type ModelStore, syncedRow } from './store.ts';

export class PgModelsRepo implements ModelStore {
  readonly #db: PgDb;
  readonly #now: () => number;

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  all(): Promise<ModelRow[]> {
    return this.#db.select().from(models);
  }

  async syncFromConfig(parsed: ModelConfig[], source: 'config' | 'demo'): Promise<void> {
    const updatedAt = new Date(this.#now());
    await this.#db.transaction(async (tx) => {
      // Instances starting at once sync in turn: each sees the rows the one before it wrote.
      await tx.execute(sql`LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE`);
      const ids = parsed.map((m) => m.id);
      const stored = new Map((ids.length > 0 ? await tx.select().from(models).where(inArray(models.id, ids)) : []).map((r) => [r.id, r]));
      for (const model of parsed) {
        const row = syncedRow(model, source, stored.get(model.id));
        await tx
          .insert(models)
          .values({ id: model.id, ...row })
          .onConflictDoUpdate({ target: models.id, set: { ...row, updatedAt } });
      }
      await tx
        .update(models)
        .set({ enabled: false, updatedAt })
        .where(and(inArray(models.source, ['config', 'demo']), not(inArray(models.id, ids))));
    });
  }

  async insertAdminModel(model: ModelConfig): Promise<boolean> {
    const inserted = await this.#db
      .insert(models)
      .values({ id: model.id, name: model.name, provider: model.provider, settings: model, source: 'admin', enabled: model.enabled })
      .onConflictDoNothing({ target: models.id });
    return inserted.rowCount === 1;
  }

  async update(id: string, model: ModelConfig, settingsToo: boolean): Promise<void> {
    const set = settingsToo ? { name: model.name, provider: model.provider, settings: model } : {};
    await this.#db
      .update(models)
      .set({ ...set, enabled: model.enabled, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id));
  }

  async setDeprecated(id: string, deprecated: boolean): Promise<void> {
    await this.#db
      .update(models)
      .set({ deprecated, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id));
  }
}
