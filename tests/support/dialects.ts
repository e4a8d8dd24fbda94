/**
 * The two databases a store runs on, for tests that run the same checks on both: SQLite (a file
 * of its own) and PostgreSQL (a database of its own on the server `.ci/run` starts; never skipped
 * in CI). A store is built for either with `storeOn`, so the checks never know which is underneath.
 */
import path from 'node:path';
import { type Db, openDb } from '../../db/client.ts';
import { closePg, openPg, type PgDb } from '../../db/pg/client.ts';
import type { Cleanup } from './hooks.ts';
import { createPgDatabase, skipPostgres } from './services.ts';

export type Opened = { kind: 'sqlite'; db: Db } | { kind: 'pg'; db: PgDb };

export interface Dialect {
  name: 'SQLite' | 'PostgreSQL';
  skip: boolean;
  /** A fresh, migrated database, closed (and removed) by the cleanup. */
  open(cleanup: Cleanup): Promise<Opened>;
}

export const DIALECTS: Dialect[] = [
  {
    name: 'SQLite',
    skip: false,
    async open(cleanup) {
      const db = openDb(path.join(cleanup.tempDir('arena-store-'), 'arena.db'));
      cleanup.defer(() => db.$client.close());
      return { kind: 'sqlite', db };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipPostgres,
    async open(cleanup) {
      const database = cleanup.add(await createPgDatabase());
      const db = await openPg(database.url, { max: 4 });
      cleanup.defer(() => closePg(db));
      return { kind: 'pg', db };
    },
  },
];

/** The store of `opened`'s dialect. */
export function storeOn<S>(opened: Opened, make: { sqlite: (db: Db) => S; pg: (db: PgDb) => S }): S {
  return opened.kind === 'sqlite' ? make.sqlite(opened.db) : make.pg(opened.db);
}
