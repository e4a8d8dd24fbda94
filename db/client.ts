/** Opens the SQLite database: pragmas in one place, migrations applied before anything else runs. */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as coreSchema from './schema.ts';
import * as accountsSchema from './schema-accounts.ts';
import * as chatSchema from './schema-chat.ts';
import * as evaluationsSchema from './schema-evaluations.ts';
import * as snapshotsSchema from './schema-snapshots.ts';

const schema = { ...coreSchema, ...accountsSchema, ...evaluationsSchema, ...snapshotsSchema, ...chatSchema };

export type Db = BetterSQLite3Database<typeof schema> & { $client: Sqlite };
/** A drizzle transaction (what `db.transaction(fn)` hands to `fn`). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** The raw connection, for the few hot or bulk paths that use prepared statements directly. */
export type Sqlite = Database.Database;
export type Statement<P extends unknown[] | object = unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * The project's folder: the nearest one holding package.json, from this module (db/client.ts when
 * run from source, dist/server/*.js in the compiled build), so paths hold in both.
 */
export const projectRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export const migrationsFolder = path.join(projectRoot, 'db', 'migrations');

export interface OpenDbOptions {
  migrate?: boolean;
  /** `full` also survives an OS crash or power cut, at some write throughput. */
  synchronous?: 'normal' | 'full';
  /**
   * For one long write transaction (`arena import`): a page cache of BULK_CACHE_MIB, so the
   * indexes a million-row insert grows stay in memory instead of spilling to the WAL and being
   * read back. Durability is unchanged. (Sorts stay in temporary files: SQLite's merge sort of
   * runs on disk is about twice as fast as its in-memory one for an index of a million rows.)
   */
  bulkWrite?: boolean;
}

/** The page cache of a bulkWrite connection, in MiB (an upper bound: SQLite allocates it as pages are used). */
export const BULK_CACHE_MIB = 512;

export function openDb(file: string, opts: OpenDbOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL keeps every commit through a process crash (kill -9); only an OS crash
  // or power cut can lose the last commits. `full` closes that gap.
  sqlite.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  if (opts.bulkWrite) {
    sqlite.pragma(`cache_size = -${BULK_CACHE_MIB * 1024}`);
  }
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate !== false) migrateWithoutForeignKeys(db);
  sqlite.pragma('foreign_keys = ON');
  return db;
}

/**
 * Applies pending migrations with foreign keys off, as SQLite's procedure for rebuilding a table
 * wants (a parent table dropped and created again). drizzle runs the migrations in one
 * transaction, where `PRAGMA foreign_keys` does nothing, so it is set here, before; a migration
 * that rebuilds a table checks the references it could break itself, inside that transaction, so
 * a broken one rolls it back (0014's last statements). The connection is closed if they fail.
 */
function migrateWithoutForeignKeys(db: Db): void {
  db.$client.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    db.$client.close();
    throw error;
  }
}

/**
 * One bulk write of mostly new pages (`arena import` into a database without battles) in the
 * rollback journal instead of the WAL: pages past the file's old end need no journal, so the
 * write goes once to the database file instead of to the WAL and again at the checkpoint, and is
 * as durable (synchronous FULL: the journal and the file are synced before the commit returns).
 * Only on a connection with the file to itself, outside a transaction: returns false, changing
 * nothing, when another connection has the file open (the WAL stays). `restoreWal` switches back.
 */
export function useRollbackJournal(sqlite: Sqlite): boolean {
  if (sqlite.inTransaction || sqlite.name === ':memory:') return false;
  try {
    return sqlite.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    return false;
  }
}

/**
 * Back to the WAL after `useRollbackJournal`. Never throws (the write it follows is committed or
 * rolled back by then): should another connection have opened the file meanwhile, the next openDb
 * sets the WAL again. Returns whether the WAL is back.
 */
export function restoreWal(sqlite: Sqlite): boolean {
  try {
    return sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  } catch {
    return false;
  }
}

/** A read-only connection (another thread or process reading while the server writes, in WAL mode). */
export function openReadOnly(file: string): Sqlite {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** True for an insert refused by a UNIQUE or PRIMARY KEY constraint. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
