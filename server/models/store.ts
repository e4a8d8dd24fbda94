/**
 * Where the registry's rows are kept: one interface with a SQLite implementation (repo.ts) and a
 * PostgreSQL one (pg-repo.ts), so the registry never knows which database is underneath. Every
 * method is asynchronous, as PostgreSQL's must be; SQLite's does its work before it returns.
 */
import type { ModelConfig } from './config.ts';

export type ModelSource = 'config' | 'demo' | 'admin';

/** A stored model, as both dialects read it. */
export interface ModelRow {
  id: string;
  name: string;
  provider: ModelConfig['provider'];
  /** The model's settings (never an API key: only the name of its environment variable). */
  settings: unknown;
  source: ModelSource;
  enabled: boolean;
  deprecated: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModelStore {
  all(): Promise<ModelRow[]>;
  /**
   * Writes the file's (or the demo set's) models and switches off the ones it no longer lists, in
   * one transaction. The enabled switch is shared with the admin page: the file's value applies
   * when it changes, otherwise an admin's switch survives restarts.
   */
  syncFromConfig(parsed: ModelConfig[], source: 'config' | 'demo'): Promise<void>;
  /** False when a model with this id exists (added meanwhile, here or on another instance). */
  insertAdminModel(model: ModelConfig): Promise<boolean>;
  /** An admin model gets its settings replaced; a file-defined one only its enabled switch. */
  update(id: string, model: ModelConfig, settingsToo: boolean): Promise<void>;
  /** The standings' deprecated switch (any source: it is not part of a model's settings). */
  setDeprecated(id: string, deprecated: boolean): Promise<void>;
}

/** The row a config sync writes for a model, given the stored one (the rule both dialects share). */
export function syncedRow(model: ModelConfig, source: 'config' | 'demo', existing: Pick<ModelRow, 'settings' | 'source' | 'enabled'> | undefined) {
  const fileChanged = !existing || (existing.settings as ModelConfig).enabled !== model.enabled || existing.source !== source;
  return { name: model.name, provider: model.provider, settings: model, source, enabled: fileChanged ? model.enabled : existing.enabled };
}
