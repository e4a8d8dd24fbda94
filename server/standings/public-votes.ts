/**
 * The votes the public leaderboard is a projection of, in SQL on the raw connection (so the
 * Bradley-Terry worker and the CLI can read them without drizzle): counted arena votes, plus the
 * votes of evaluations that count in the public leaderboard (they move the public Elo too).
 */
import type Database from 'better-sqlite3';
import type { Winner } from '../../protocol/types.ts';

const PUBLIC_VOTES = `
  SELECT model_a, model_b, winner, created_at, 0 AS source, id FROM votes WHERE counted = 1
  UNION ALL
  SELECT v.model_a, v.model_b, v.winner, v.created_at, 1 AS source, v.id
  FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id WHERE e.count_in_public = 1`;

export type PublicVote = [modelA: string, modelB: string, winner: Winner];

/** Every public vote in the order the online Elo applies them: vote time, then insertion. */
export function publicVotesInOrder(sqlite: Database.Database): IterableIterator<PublicVote> {
  return sqlite.prepare(`SELECT model_a, model_b, winner FROM (${PUBLIC_VOTES}) ORDER BY created_at, source, id`).raw().iterate() as IterableIterator<PublicVote>;
}

/** How many votes the public leaderboard is made of. */
export function countPublicVotes(sqlite: Database.Database): number {
  return (sqlite.prepare(`SELECT count(*) AS n FROM (${PUBLIC_VOTES})`).get() as { n: number }).n;
}

export interface WinnerCount {
  modelA: string;
  modelB: string;
  winner: Winner;
  count: number;
}

/** What a Bradley-Terry fit needs: votes aggregated per (model A, model B, winner), and the stored Elo. */
export interface BtSnapshot {
  counts: WinnerCount[];
  elo: Array<[modelId: string, rating: number]>;
}

/** Both in one read transaction, so the Elo column belongs to the same votes as the counts. */
export function readBtSnapshot(sqlite: Database.Database): BtSnapshot {
  const counts = sqlite.prepare(
    // Ordered by each group's first vote, so models come in order of first appearance, as when
    // `arena ratings` reads the same votes from a file: same order, same seed, same intervals.
    `SELECT model_a AS modelA, model_b AS modelB, winner, count(*) AS count FROM (${PUBLIC_VOTES})
     GROUP BY model_a, model_b, winner ORDER BY min(created_at), min(source), min(id)`,
  );
  const elo = sqlite.prepare('SELECT model_id, rating FROM ratings').raw();
  return sqlite.transaction(() => ({
    counts: counts.all() as WinnerCount[],
    elo: elo.all() as Array<[string, number]>,
  }))();
}
