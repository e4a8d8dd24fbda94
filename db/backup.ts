/** A consistent copy of a live database (SQLite's online backup API; WAL keeps writers going), checked after. */
import Database from 'better-sqlite3';

export interface BackupResult {
  pages: number;
  votes: number;
  /** `ok`, or what SQLite's integrity check found wrong with the copy. */
  integrity: string;
}

export async function backupDatabase(source: string, destination: string): Promise<BackupResult> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = await db.backup(destination);
    const check = new Database(destination, { readonly: true });
    try {
      const integrity = String(check.pragma('integrity_check', { simple: true }));
      const votes = (check.prepare('SELECT count(*) AS n FROM votes').get() as { n: number }).n;
      return { pages: result.totalPages, votes, integrity };
    } finally {
      check.close();
    }
  } finally {
    db.close();
  }
}
