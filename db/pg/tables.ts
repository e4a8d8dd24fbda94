/**
 * What a copy from SQLite to PostgreSQL moves, read from the two drizzle schemas: every table in
 * foreign-key order (a table after the tables it refers to), its columns with the PostgreSQL type
 * each value is converted to, and its identity column. The maintained counts are not copied: the
 * copy counts the copied votes again (db/pg/counts.ts) and the verification compares.
 */
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as sqliteCore from '../schema.ts';
import * as sqliteAccounts from '../schema-accounts.ts';
import * as sqliteChat from '../schema-chat.ts';
import * as sqliteEvaluations from '../schema-evaluations.ts';
import * as sqliteSnapshots from '../schema-snapshots.ts';
import { pgSchema } from './client.ts';

/** How a SQLite value becomes a PostgreSQL one. */
export type ValueKind = 'boolean' | 'integer' | 'timestamp' | 'real' | 'text';

export interface CopyColumn {
  name: string;
  /** The PostgreSQL type, as in a cast (`bigint`, `json`, `double precision`). */
  pgType: string;
  kind: ValueKind;
}

export interface CopyTable {
  name: string;
  columns: CopyColumn[];
  /** The identity column whose sequence is set past the copied ids, if any. */
  identity: string | null;
  /** Copied rows, or recounted after the copy (pair_counts, prompt_counts) / written by the migrations (counts_maintenance). */
  copy: boolean;
}

/** Kept by the triggers and recounted after the copy; the one row of counts_maintenance comes from the migrations. */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(['pair_counts', 'prompt_counts', 'counts_maintenance']);

const sqliteTables = new Map(
  (Object.values({ ...sqliteCore, ...sqliteAccounts, ...sqliteEvaluations, ...sqliteSnapshots, ...sqliteChat }) as unknown[])
    .filter((t): t is SQLiteTable => is(t, SQLiteTable))
    .map((t) => [getTableName(t), getSqliteTableConfig(t)]),
);

function kindOf(pgType: string, sqliteColumnType: string | undefined): ValueKind {
  if (pgType === 'boolean') return 'boolean';
  if (pgType === 'double precision') return 'real';
  if (pgType === 'bigint' || pgType === 'integer') return sqliteColumnType === 'SQLiteTimestamp' ? 'timestamp' : 'integer';
  return 'text';
}

function planTable(table: PgTable): CopyTable & { refersTo: string[] } {
  const config = getTableConfig(table);
  const sqlite = sqliteTables.get(config.name);
  if (!sqlite) throw new Error(`table ${config.name} of the PostgreSQL schema is not in the SQLite schema`);
  const sqliteTypes = new Map(sqlite.columns.map((c) => [c.name, c.columnType]));
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, pgType: c.getSQLType(), kind: kindOf(c.getSQLType(), sqliteTypes.get(c.name)) })),
    identity: config.columns.find((c) => c.generatedIdentity)?.name ?? null,
    copy: !DERIVED_TABLES.has(config.name),
    refersTo: config.foreignKeys.map((fk) => getTableName(fk.reference().foreignTable)).filter((name) => name !== config.name),
  };
}

/** Every table of the schema, each after the tables its foreign keys point to (ties by name). */
export function copyPlan(): CopyTable[] {
  const tables = (Object.values(pgSchema) as unknown[])
    .filter((t): t is PgTable => is(t, PgTable))
    .map(planTable)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const placed = new Set<string>();
  const out: CopyTable[] = [];
  while (out.length < tables.length) {
    const next = tables.find((t) => !placed.has(t.name) && t.refersTo.every((r) => placed.has(r)));
    if (!next) throw new Error('the foreign keys of the PostgreSQL schema form a cycle');
    placed.add(next.name);
    const { refersTo: _, ...table } = next;
    out.push(table);
  }
  return out;
}
