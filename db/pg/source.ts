/**
 * The SQLite side of a move to PostgreSQL: a running team's database opened read-only, with one
 * read transaction held from the first row copied to the last one verified, so both see one
 * consistent snapshot while the server goes on writing (WAL mode lets it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsFolder, openReadOnly, type Sqlite } from '../client.ts';

export class SourceError extends Error {
  override name = 'SourceError';
}

export interface SqliteSource {
  readonly file: string;
  readonly sqlite: Sqlite;
  /** Ends the read transaction and closes the file. */
  close(): void;
}

interface Journal {
  entries: Array<{ tag: string; when: number }>;
}

/**
 * Opens @file read-only and starts its snapshot. Refuses a file that is not an arena database or
 * whose schema is not this version's (the PostgreSQL schema mirrors the SQLite schema of this
 * version, column for column).
 */
export function openSqliteSource(file: string): SqliteSource {
  if (!existsSync(file)) throw new SourceError(`no database at ${file}`);
  let sqlite: Sqlite;
  try {
    sqlite = openReadOnly(file);
  } catch (err) {
    throw new SourceError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    // BEGIN takes no snapshot by itself: the first read does, and every later read sees that one.
    sqlite.exec('BEGIN');
    checkSchemaVersion(sqlite, file);
  } catch (err) {
    sqlite.close();
    throw err instanceof SourceError ? err : new SourceError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return {
    file,
    sqlite,
    close() {
      if (sqlite.inTransaction) sqlite.exec('COMMIT');
      sqlite.close();
    },
  };
}

function checkSchemaVersion(sqlite: Sqlite, file: string): void {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!hasTable) throw new SourceError(`${file} is not an arena database (it has no migrations table)`);
  const applied = sqlite.prepare('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get() as { n: number; last: number | null };
  const expected = journal.entries.length;
  const last = journal.entries.at(-1)!;
  if (applied.n < expected || Number(applied.last) < last.when) {
    throw new SourceError(
      `${file} has ${applied.n} of this version's ${expected} migrations: open it once with this version (e.g. \`arena recount --db ${file}\`, or start the server) to bring it up to date, then move it`,
    );
  }
  if (applied.n > expected || Number(applied.last) > last.when) {
    throw new SourceError(
      `${file} was migrated by a newer version of the arena (${applied.n} migrations, this one knows ${expected}): move it with that version`,
    );
  }
}
