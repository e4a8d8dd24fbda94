/**
 * A database's schema as its own catalog reports it, in one shape for SQLite and PostgreSQL:
 * tables, columns (declared type, nullability, default, auto-generated id), primary keys, foreign
 * keys and indexes (unique, columns, partial predicate). What the schema parity test compares.
 */
import type pg from 'pg';
import type { Sqlite } from '../../db/client.ts';

export interface ColumnShape {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  /** SQLite AUTOINCREMENT, PostgreSQL identity. */
  auto: boolean;
}

export interface IndexShape {
  unique: boolean;
  columns: string[];
  /** The WHERE of a partial index, as the catalog prints it; null for a full index. */
  predicate: string | null;
}

export interface TableShape {
  columns: Map<string, ColumnShape>;
  primaryKey: string[];
  /** `from columns -> table(to columns)`, sorted. */
  foreignKeys: string[];
  /** Every index but the primary key's. */
  indexes: Map<string, IndexShape>;
}

export type Catalog = Map<string, TableShape>;

const fk = (from: string[], table: string, to: string[]) => `${from.join(',')} -> ${table}(${to.join(',')})`;

export function sqliteCatalog(sqlite: Sqlite): Catalog {
  const catalog: Catalog = new Map();
  const tables = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != '__drizzle_migrations'")
    .all() as Array<{ name: string; sql: string }>;
  for (const { name, sql } of tables) {
    const info = sqlite.prepare('SELECT name, type, "notnull" AS "notNull", dflt_value AS dflt, pk FROM pragma_table_info(?)').all(name) as Array<{
      name: string;
      type: string;
      notNull: number;
      dflt: string | null;
      pk: number;
    }>;
    const columns = new Map(
      info.map((c) => [
        c.name,
        {
          type: c.type.toLowerCase(),
          notNull: c.notNull === 1,
          hasDefault: c.dflt !== null,
          auto: new RegExp(`\`${c.name}\` integer PRIMARY KEY AUTOINCREMENT`, 'i').test(sql),
        },
      ]),
    );
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const fkRows = sqlite.prepare('SELECT id, "table" AS tbl, "from" AS src, "to" AS dst FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(name) as Array<{
      id: number;
      tbl: string;
      src: string;
      dst: string;
    }>;
    const foreignKeys = [...new Set(fkRows.map((r) => r.id))].map((id) => {
      const rows = fkRows.filter((r) => r.id === id);
      return fk(
        rows.map((r) => r.src),
        rows[0]!.tbl,
        rows.map((r) => r.dst),
      );
    });
    const indexes = new Map<string, IndexShape>();
    for (const index of sqlite.prepare('SELECT name, "unique" AS uniq, origin FROM pragma_index_list(?)').all(name) as Array<{
      name: string;
      uniq: number;
      origin: string;
    }>) {
      if (index.origin === 'pk') continue;
      const indexSql = (sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index.name) as string | null) ?? '';
      const where = /\sWHERE\s([\s\S]+)$/i.exec(indexSql);
      indexes.set(index.name, {
        unique: index.uniq === 1,
        columns: sqlite.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index.name) as string[],
        predicate: where ? where[1]!.trim() : null,
      });
    }
    catalog.set(name, { columns, primaryKey, foreignKeys: foreignKeys.sort(), indexes });
  }
  return catalog;
}

const ATTRIBUTES = (keys: string, rel: string) =>
  `array(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.o)`;

export async function pgCatalog(client: pg.ClientBase): Promise<Catalog> {
  const catalog: Catalog = new Map();
  const tables = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  for (const { name } of tables.rows) catalog.set(name, { columns: new Map(), primaryKey: [], foreignKeys: [], indexes: new Map() });
  const columns = await client.query<{ tbl: string; name: string; type: string; nullable: string; dflt: string | null; identity: string }>(
    `SELECT table_name AS tbl, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS dflt, is_identity AS identity
     FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  for (const c of columns.rows) {
    catalog.get(c.tbl)?.columns.set(c.name, { type: c.type, notNull: c.nullable === 'NO', hasDefault: c.dflt !== null, auto: c.identity === 'YES' });
  }
  const constraints = await client.query<{ tbl: string; kind: string; cols: string[]; ref: string | null; refCols: string[] }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.contype AS kind, ${ATTRIBUTES('c.conkey', 'c.conrelid')} AS cols,
       c.confrelid::regclass::text AS ref, ${ATTRIBUTES('c.confkey', 'c.confrelid')} AS "refCols"
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f')`,
  );
  for (const c of constraints.rows) {
    const table = catalog.get(c.tbl)!;
    if (c.kind === 'p') table.primaryKey = c.cols;
    else table.foreignKeys.push(fk(c.cols, c.ref!, c.refCols));
  }
  for (const table of catalog.values()) table.foreignKeys.sort();
  const indexes = await client.query<{ tbl: string; name: string; unique: boolean; cols: string[]; predicate: string | null }>(
    `SELECT t.relname AS tbl, c.relname AS name, i.indisunique AS unique, ${ATTRIBUTES('i.indkey::int2[]', 'i.indrelid')} AS cols,
       pg_get_expr(i.indpred, i.indrelid) AS predicate
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary`,
  );
  for (const i of indexes.rows) catalog.get(i.tbl)?.indexes.set(i.name, { unique: i.unique, columns: i.cols, predicate: i.predicate });
  return catalog;
}
