/**
 * During a bulk load into empty tables, foreign keys and secondary indexes cost more row by row
 * than built once at the end (an index build sorts; a foreign key is checked with one join).
 * setAside drops them inside the load's transaction and returns what recreates them exactly as
 * the migrations made them (pg_get_indexdef, pg_get_constraintdef); primary keys and unique
 * constraints stay. A rollback brings everything back.
 */
import type pg from 'pg';

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Drops the foreign keys and the indexes that back no constraint, of @tables; returns the statements that restore them. */
export async function setAside(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  const foreignKeys = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) ORDER BY 1, 2`,
    [tables],
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) ORDER BY 1`,
    [tables],
  );
  for (const fk of foreignKeys.rows) await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${quoted(fk.name)}`);
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
  return [...indexes.rows.map((i) => i.def), ...foreignKeys.rows.map((fk) => `ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${quoted(fk.name)} ${fk.def}`)];
}

/** Runs what setAside returned: the indexes first, then the foreign keys (each checked in one pass). */
export async function restore(client: pg.ClientBase, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await client.query(statement);
}
