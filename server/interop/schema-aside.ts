/**
 * Secondary indexes and triggers set aside for a bulk load inside its transaction and created
 * again after it from their own CREATE statements (sqlite_master's `sql`), so the schema after it
 * is the one before: a sorted index build instead of a million random inserts, no trigger program
 * run per row. Only for what the load may do without: the caller decides (import-store.ts).
 */
import type { Sqlite } from '../../db/client.ts';

/** The settings restoreAll changes for its sorts, and puts back. */
const SORT_SETTINGS = ['cache_size', 'threads'] as const;
/** A sorted run of 2 MiB: the index builds were fastest from 0.5 to 8 MiB on this machine. */
const SORT_RUN_KIB = 2048;
/** Helper threads of SQLite's sorter (it merges on the calling one). */
const SORT_THREADS = 2;

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

  /**
   * Creates everything set aside again, building the indexes with SQLite's external merge sort:
   * sorted runs the size of the page cache, written to temporary files and merged, on helper
   * threads. The page cache of a bulk load (hundreds of MiB) makes one in-memory run of a million
   * rows instead, whose list sort takes twice as long (4.2 s against 2.0 s for the nine indexes of
   * a 1M-battle import, temporary files in memory). The connection's settings are put back after.
   */
  restoreAll(): void {
    const settings = SORT_SETTINGS.map((name) => [name, this.#sqlite.pragma(name, { simple: true })] as const);
    try {
      this.#sqlite.pragma(`cache_size = -${SORT_RUN_KIB}`);
      this.#sqlite.pragma(`threads = ${SORT_THREADS}`);
      for (const table of [...this.#aside.keys()]) this.restore(table);
    } finally {
      for (const [name, value] of settings) this.#sqlite.pragma(`${name} = ${Number(value)}`);
    }
  }
}
