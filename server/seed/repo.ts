/** The seed's own SQL: whether a database already holds anything a seed would mix with. */
import type { Sqlite } from '../../db/client.ts';

export function contentRows(sqlite: Sqlite): { battles: number; votes: number; evaluations: number } {
  return sqlite
    .prepare('SELECT (SELECT count(*) FROM battles) AS battles, (SELECT count(*) FROM votes) AS votes, (SELECT count(*) FROM evaluations) AS evaluations')
    .get() as { battles: number; votes: number; evaluations: number };
}
