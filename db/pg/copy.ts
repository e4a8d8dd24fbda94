/**
 * `arena migrate-db`'s copy: every table of a SQLite snapshot (db/pg/source.ts) into an empty
 * PostgreSQL database, in one transaction, in foreign-key order, each table streamed with COPY
 * FROM STDIN (pg-copy-streams) while the next rows are read from SQLite. Foreign keys and
 * secondary indexes are set aside for the load and rebuilt after it (db/pg/indexes.ts); the
 * insert triggers of the counts stand aside (counts_maintenance.deferred) and the counts are then
 * counted from the copied votes in one pass; the identity sequences are set past the copied ids
 * (and past SQLite's AUTOINCREMENT high-water marks, so no deleted id is reused).
 */
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Sqlite } from '../client.ts';
import type { PgDb } from './client.ts';
import { CopyError, fieldOf } from './copy-format.ts';
import { addDeferredCounts, deferCounts } from './counts.ts';
import { restore, setAside } from './indexes.ts';
import type { SqliteSource } from './source.ts';
import { type CopyTable, copyPlan } from './tables.ts';

export { CopyError } from './copy-format.ts';

/** What is written to the COPY stream at a time. */
const CHUNK_CHARS = 1 << 20;

export class TargetNotEmptyError extends Error {
  override name = 'TargetNotEmptyError';
  constructor(readonly tables: ReadonlyArray<{ table: string; rows: number }>) {
    const largest = [...tables].sort((a, b) => b.rows - a.rows);
    const more = largest.length > 3 ? `, and ${largest.length - 3} more tables` : '';
    super(
      `the target already holds arena data (${largest
        .slice(0, 3)
        .map((t) => `${t.table}: ${t.rows} rows`)
        .join(', ')}${more})`,
    );
  }
}

export interface TableCopied {
  table: string;
  rows: number;
  ms: number;
}

export interface CopyOptions {
  onTable?: (done: TableCopied) => void;
}

export interface CopyReport {
  tables: TableCopied[];
  /** Rebuilding the indexes and foreign keys set aside, counting the votes, setting the sequences. */
  finishMs: number;
  /** ANALYZE (so the planner knows the new tables at once) and COMMIT. */
  commitMs: number;
}

type PgError = Error & { detail?: string; where?: string };
const described = (err: PgError) => `${err.message}${err.detail ? ` (${err.detail})` : ''}${err.where ? ` [${err.where}]` : ''}`;

export async function copySqliteToPg(source: SqliteSource, db: PgDb, opts: CopyOptions = {}): Promise<CopyReport> {
  const plan = copyPlan();
  checkSourceTables(source.sqlite, plan);
  const copied = plan.filter((t) => t.copy);
  const client = await db.$client.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    // Nobody else writes these tables until COMMIT, so the emptiness seen here holds for the copy.
    await client.query(`LOCK TABLE ${plan.map((t) => `"${t.name}"`).join(', ')} IN EXCLUSIVE MODE`);
    await refuseNonEmpty(client, plan);
    const marks = await deferCounts(client);
    const rebuild = await setAside(
      client,
      copied.map((t) => t.name),
    );
    const tables: TableCopied[] = [];
    for (const table of copied) {
      const started = performance.now();
      const rows = await copyTable(client, source.sqlite, table);
      const entry = { table: table.name, rows, ms: performance.now() - started };
      tables.push(entry);
      opts.onTable?.(entry);
    }
    const finishing = performance.now();
    await restore(client, rebuild).catch((err: PgError) => {
      throw new CopyError(`the copied rows break a constraint: ${described(err)}`);
    });
    await addDeferredCounts(client, marks);
    await setSequences(client, source.sqlite, copied);
    const finishMs = performance.now() - finishing;
    const committing = performance.now();
    // Inside the transaction: its statistics land with the rows, or not at all.
    await client.query(`ANALYZE ${plan.map((t) => `"${t.name}"`).join(', ')}`);
    await client.query('COMMIT');
    return { tables, finishMs, commitMs: performance.now() - committing };
  } catch (err) {
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(broken);
  }
}

/** The source must have exactly the tables and columns of the PostgreSQL schema (this version's). */
function checkSourceTables(sqlite: Sqlite, plan: readonly CopyTable[]): void {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != '__drizzle_migrations'")
    .pluck()
    .all() as string[];
  const extra = names.filter((n) => !plan.some((t) => t.name === n)).map((n) => `+${n}`);
  const missing = plan.filter((t) => !names.includes(t.name)).map((t) => `-${t.name}`);
  if (extra.length > 0 || missing.length > 0)
    throw new CopyError(`the source's tables differ from the PostgreSQL schema (${[...extra, ...missing].join(', ')})`);
  for (const table of plan) {
    const columns = new Set(sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table.name) as string[]);
    const expected = new Set(table.columns.map((c) => c.name));
    const differ = [...columns].filter((c) => !expected.has(c)).concat([...expected].filter((c) => !columns.has(c)));
    if (differ.length > 0) throw new CopyError(`the columns of ${table.name} differ between the source and the PostgreSQL schema (${differ.join(', ')})`);
  }
}

async function refuseNonEmpty(client: pg.ClientBase, plan: readonly CopyTable[]): Promise<void> {
  const probed = plan.filter((t) => t.name !== 'counts_maintenance');
  const { rows } = await client.query<{ table: string; rows: string }>(
    probed.map((t) => `SELECT '${t.name}' AS "table", count(*) AS rows FROM "${t.name}"`).join(' UNION ALL '),
  );
  const full = rows.filter((r) => Number(r.rows) > 0).map((r) => ({ table: r.table, rows: Number(r.rows) }));
  if (full.length > 0) throw new TargetNotEmptyError(full);
}

async function copyTable(client: pg.ClientBase, sqlite: Sqlite, table: CopyTable): Promise<number> {
  const columns = table.columns.map((c) => `"${c.name}"`).join(', ');
  const fields = table.columns.map((c) => fieldOf(table.name, c));
  // safeIntegers: an id or a time comes over exactly, whatever its size.
  const select = sqlite.prepare(`SELECT ${columns} FROM "${table.name}"`).raw(true).safeIntegers(true);
  const stream = client.query(copyFrom(`COPY "${table.name}" (${columns}) FROM STDIN`));
  let failure: PgError | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (err: PgError) => {
      failure = err;
      reject(err);
    });
  });
  finished.catch(() => undefined);
  let rows = 0;
  try {
    let chunk = '';
    const line: string[] = new Array(fields.length);
    for (const row of select.iterate() as Iterable<unknown[]>) {
      rows++;
      for (let i = 0; i < fields.length; i++) line[i] = fields[i]!(row[i], rows);
      chunk += `${line.join('\t')}\n`;
      if (chunk.length < CHUNK_CHARS) continue;
      const more = stream.write(chunk);
      chunk = '';
      if (!more) await Promise.race([once(stream, 'drain'), finished]);
      if (failure) break;
    }
    if (chunk !== '' && !failure) stream.write(chunk);
    stream.end();
    await finished;
  } catch (err) {
    stream.destroy();
    if (err instanceof CopyError) throw err;
    throw new CopyError(`copying ${table.name}: ${described(err as PgError)}`);
  }
  return rows;
}

/** Each identity sequence continues after the largest id SQLite used (its rows, or AUTOINCREMENT's record). */
async function setSequences(client: pg.ClientBase, sqlite: Sqlite, tables: readonly CopyTable[]): Promise<void> {
  for (const table of tables) {
    if (!table.identity) continue;
    const last = sqlite
      .prepare(
        `SELECT max((SELECT coalesce(max("${table.identity}"), 0) FROM "${table.name}"), (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?))`,
      )
      .pluck()
      .safeIntegers(true)
      .get(table.name) as bigint;
    await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)', [
      `"${table.name}"`,
      table.identity,
      last > 0n ? last.toString() : '1',
      last > 0n,
    ]);
  }
}
