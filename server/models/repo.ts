/** SQL for the `models` table: the registry's rows, written by the config sync and the admin pages. */
import { and, eq, inArray, not } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { models } from '../../db/schema.ts';
import type { ModelConfig } from './config.ts';

export type ModelRow = typeof models.$inferSelect;
export type ModelSource = ModelRow['source'];

export class ModelsRepo {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  all(): ModelRow[] {
    return this.#db.select().from(models).all();
  }

  sourceOf(id: string): ModelSource | undefined {
    return this.#db.select({ source: models.source }).from(models).where(eq(models.id, id)).get()?.source;
  }

  /**
   * Writes the file's (or the demo set's) models and switches off the ones it no longer lists. The
   * enabled switch is shared with the admin page: the file's value applies when it changes,
   * otherwise an admin's switch survives restarts.
   */
  syncFromConfig(parsed: ModelConfig[], source: 'config' | 'demo'): void {
    const updatedAt = new Date(this.#now());
    this.#db.transaction((tx) => {
      for (const model of parsed) {
        const existing = tx.select().from(models).where(eq(models.id, model.id)).get();
        const fileChanged = !existing || (existing.settings as ModelConfig).enabled !== model.enabled || existing.source !== source;
        const row = { name: model.name, provider: model.provider, settings: model, source, enabled: fileChanged ? model.enabled : existing.enabled };
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

  insertAdminModel(model: ModelConfig): void {
    this.#db
      .insert(models)
      .values({ id: model.id, name: model.name, provider: model.provider, settings: model, source: 'admin', enabled: model.enabled })
      .run();
  }

  /** An admin model gets its settings replaced; a file-defined one only its enabled switch. */
  update(id: string, model: ModelConfig, settingsToo: boolean): void {
    const set = settingsToo ? { name: model.name, provider: model.provider, settings: model } : {};
    this.#db
      .update(models)
      .set({ ...set, enabled: model.enabled, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id))
      .run();
  }

  /** The standings' deprecated switch (any source: it is not part of a model's settings). */
  setDeprecated(id: string, deprecated: boolean): void {
    this.#db
      .update(models)
      .set({ deprecated, updatedAt: new Date(this.#now()) })
      .where(eq(models.id, id))
      .run();
  }
}
