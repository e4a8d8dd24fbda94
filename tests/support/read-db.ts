/** Reads a database file the way an outside tool would: its own read-only connection, closed after. */
import Database from 'better-sqlite3';

export function query<T>(dbFile: string, sql: string): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
