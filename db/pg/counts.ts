/**
 * The maintained counts on PostgreSQL counted again from the votes: the queries of
 * server/standings/pair-counts-repo.ts (COUNT_CELLS, COUNT_PROMPTS) in PostgreSQL's words, for a
 * bulk write that deferred the insert triggers (counts_maintenance.deferred = 1) and adds the
 * counts of its rows before it commits.
 */
import type pg from 'pg';

/** The public votes with ids above $1 (arena) and $2 (evaluations), per cell. */
export const PG_COUNT_CELLS = `
  SELECT category, model_a, model_b, winner, sum(n) AS n FROM (
    SELECT 'all' AS category, model_a, model_b, winner, count(*) AS n FROM votes WHERE id > $1 AND counted GROUP BY model_a, model_b, winner
    UNION ALL
    SELECT 'all', v.model_a, v.model_b, v.winner, count(*) FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
      WHERE v.id > $2 AND e.count_in_public GROUP BY v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM votes v JOIN vote_categories c ON c.source = 0 AND c.vote_id = v.id
      WHERE v.id > $1 AND v.counted GROUP BY c.category, v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM eval_votes v JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id
      JOIN evaluations e ON e.id = v.evaluation_id WHERE v.id > $2 AND e.count_in_public GROUP BY c.category, v.model_a, v.model_b, v.winner
  ) k GROUP BY category, model_a, model_b, winner`;

export const PG_COUNT_PROMPTS = `SELECT prompt_hash, count(*) AS n FROM votes
  WHERE id > $1 AND counted AND prompt_hash != '' AND model_a != model_b GROUP BY prompt_hash`;

/** The last vote ids before a bulk write: what it inserts has larger ones. */
export interface PgCountMarks {
  votes: number;
  evalVotes: number;
}

/** Turns the three insert triggers off for the rest of the transaction (it must call addDeferredCounts before COMMIT). */
export async function deferCounts(client: pg.ClientBase): Promise<PgCountMarks> {
  const { rows } = await client.query<{ votes: string; evalVotes: string }>(
    `SELECT (SELECT coalesce(max(id), 0) FROM votes) AS votes, (SELECT coalesce(max(id), 0) FROM eval_votes) AS "evalVotes"`,
  );
  await client.query('UPDATE counts_maintenance SET deferred = 1 WHERE id = 1');
  return { votes: Number(rows[0]!.votes), evalVotes: Number(rows[0]!.evalVotes) };
}

/** Adds the counts of the votes written since `deferCounts` in one pass, and turns the triggers back on. */
export async function addDeferredCounts(client: pg.ClientBase, marks: PgCountMarks): Promise<void> {
  const upsert = (key: string, table: string) => `ON CONFLICT (${key}) DO UPDATE SET n = ${table}.n + excluded.n`;
  await client.query(
    `INSERT INTO pair_counts (category, model_a, model_b, winner, n) ${PG_COUNT_CELLS} ${upsert('category, model_a, model_b, winner', 'pair_counts')}`,
    [marks.votes, marks.evalVotes],
  );
  await client.query(`INSERT INTO prompt_counts (prompt_hash, n) ${PG_COUNT_PROMPTS} ${upsert('prompt_hash', 'prompt_counts')}`, [marks.votes]);
  await client.query('UPDATE counts_maintenance SET deferred = 0 WHERE id = 1');
}
