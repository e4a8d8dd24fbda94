/**
 * Opens the PostgreSQL database (DATABASE_URL=postgres://…): a node-postgres pool under drizzle's
 * PostgreSQL dialect, with db/migrations-pg applied before anything else runs. The twin of
 * db/client.ts; only db/ imports `pg`.
 */
import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { projectRoot } from '../client.ts';
import * as coreSchema from './schema.ts';
import * as accountsSchema from './schema-accounts.ts';
import * as chatSchema from './schema-chat.ts';
import * as evaluationsSchema from './schema-evaluations.ts';
import * as snapshotsSchema from './schema-snapshots.ts';

export const pgSchema = { ...coreSchema, ...accountsSchema, ...evaluationsSchema, ...snapshotsSchema, ...chatSchema };

export type PgDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };
/** One connection of the pool, for a transaction written in plain SQL. */
export type PgClient = pg.PoolClient;

export const pgMigrationsFolder = path.join(projectRoot, 'db', 'migrations-pg');

/** Any number: the key of the advisory lock that lets one process at a time apply the migrations. */
const MIGRATION_LOCK = 1_700_017;

export interface OpenPgOptions {
  /** Apply db/migrations-pg (default true). */
  migrate?: boolean;
  /** The pool's size (default 10; at least 2: the migrations hold one connection for their lock). */
  max?: number;
  /** How long to wait for a connection (default 10 s), so an unreachable server is reported, not waited for. */
  connectTimeoutMs?: number;
}

/** True for a URL this module opens: postgres://… or postgresql://… */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openPg(url: string, opts: OpenPgOptions = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, opts.max ?? 10), connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000 });
  // An idle connection the server dropped is replaced by the pool; the query that needs one reports it.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool, schema: pgSchema }) as PgDb;
  try {
    if (opts.migrate !== false) await migrateLocked(db);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return db;
}

/** Several processes may start on one database at once (scale-out): they take turns applying the migrations. */
async function migrateLocked(db: PgDb): Promise<void> {
  const lock = await db.$client.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder: pgMigrationsFolder });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

export async function closePg(db: PgDb): Promise<void> {
  await db.$client.end();
}
