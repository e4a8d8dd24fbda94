/**
 * Secondary indexes and triggers set aside for a bulk load inside its transaction and created
 * again after it from their own CREATE statements (sqlite_master's `sql`), so the schema after it
 * is the one before: a sorted index build instead of a million random inserts, no trigger program
 * run per row. Only for what the load may do without: the caller decides (import-store.ts).
 */
import type { Sqlite } from '../../db/client.ts';

export class SchemaAside {
  readonly #sqlite: Sqlite;
  /** What was set aside, by table: name → CREATE statement, in the order they were created. */
  readonly #aside = new Map<string, Map<string, string>>();

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
  }

  /**
   * Drops the table's indexes (not those of its PRIMARY KEY or UNIQUE constraints, whose `sql` is
   * NULL) or its triggers, keeping their statements.
   */
  setAside(table: string, type: 'index' | 'trigger'): void {
    const rows = this.#sqlite
      .prepare<[string, string], { name: string; sql: string }>(
        'SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid',
      )
      .all(type, table);
    const aside = this.#aside.get(table) ?? new Map<string, string>();
    for (const { name, sql } of rows) {
      this.#sqlite.exec(`DROP ${type === 'index' ? 'INDEX' : 'TRIGGER'} "${name.replaceAll('"', '""')}"`);
      aside.set(name, sql);
    }
    this.#aside.set(table, aside);
  }

  isAside(table: string): boolean {
    return this.#aside.has(table);
  }

  /** Creates what was set aside of this table again. */
  restore(table: string): void {
    for (const sql of this.#aside.get(table)?.values() ?? []) this.#sqlite.exec(sql);
    this.#aside.delete(table);
  }

  restoreAll(): void {
    for (const table of [...this.#aside.keys()]) this.restore(table);
  }
}
