/** The integrity review's reads in PostgreSQL (db/pg/schema.ts `votes`, `turns`): the VoteReviewStore of review-store.ts. */
import { and, asc, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { turns, votes } from '../../db/pg/schema.ts';
import type { FlaggedVote } from '../../protocol/integrity.ts';
import type { IntegrityFlag } from '../../protocol/types.ts';
import type { ReviewVote, VoteReviewStore } from './review-store.ts';

export class PgVoteReviewRepo implements VoteReviewStore {
  readonly #db: PgDb;
  constructor(db: PgDb) {
    this.#db = db;
  }

  async votes(): Promise<ReviewVote[]> {
    const rows = await this.#db
      .select({ voterId: votes.voterId, modelA: votes.modelA, modelB: votes.modelB, winner: votes.winner, flags: votes.flags })
      .from(votes)
      .orderBy(asc(votes.id));
    return rows.map((r) => ({ ...r, flags: r.flags as IntegrityFlag[] }));
  }

  async promptCounts(): Promise<Map<string, number>> {
    const rows = await this.#db
      .select({ hash: votes.promptHash, n: sql<number>`count(*)::int` })
      .from(votes)
      .where(and(eq(votes.counted, true), isNotNull(votes.promptHash), ne(votes.promptHash, '')))
      .groupBy(votes.promptHash);
    return new Map(rows.map((r) => [r.hash!, r.n]));
  }

  async promptOf(hash: string): Promise<string[]> {
    const battle = this.#db
      .select({ id: votes.battleId })
      .from(votes)
      .where(and(eq(votes.promptHash, hash), ne(votes.promptHash, '')))
      .limit(1);
    const rows = await this.#db
      .select({ prompt: turns.prompt })
      .from(turns)
      .where(eq(turns.battleId, sql`(${battle})`))
      .orderBy(asc(turns.turn));
    return rows.map((r) => r.prompt);
  }

  async recentFlagged(limit: number): Promise<FlaggedVote[]> {
    const rows = await this.#db
      .select({
        battleId: votes.battleId,
        voterId: votes.voterId,
        winner: votes.winner,
        modelA: votes.modelA,
        modelB: votes.modelB,
        flags: votes.flags,
        createdAt: votes.createdAt,
      })
      .from(votes)
      // json has no equality: a flagged vote is one whose array is not empty.
      .where(sql`json_array_length(${votes.flags}) > 0`)
      .orderBy(desc(votes.id))
      .limit(limit);
    return rows.map(({ createdAt, flags, ...r }) => ({ ...r, flags: flags as IntegrityFlag[], at: createdAt.toISOString() }));
  }
}
