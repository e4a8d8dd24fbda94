/** The integrity review's reads in SQLite (prepared statements on the votes): the VoteReviewStore of review-store.ts. */
import type { Sqlite } from '../../db/client.ts';
import type { FlaggedVote } from '../../protocol/integrity.ts';
import type { IntegrityFlag, Winner } from '../../protocol/types.ts';
import type { ReviewVote, VoteReviewStore } from './review-store.ts';

interface Row {
  battle_id: string;
  voter_id: string;
  model_a: string;
  model_b: string;
  winner: Winner;
  flags: string;
  created_at: number;
}

// better-sqlite3 answers at once; the methods are async only to share the interface with PostgreSQL.
export class VoteReviewRepo implements VoteReviewStore {
  readonly #sqlite: Sqlite;
  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
  }

  async votes(): Promise<ReviewVote[]> {
    const rows = this.#sqlite.prepare('SELECT voter_id, model_a, model_b, winner, flags FROM votes ORDER BY id').all() as Row[];
    return rows.map((r) => ({ voterId: r.voter_id, modelA: r.model_a, modelB: r.model_b, winner: r.winner, flags: JSON.parse(r.flags) as IntegrityFlag[] }));
  }

  async promptCounts(): Promise<Map<string, number>> {
    const rows = this.#sqlite
      .prepare("SELECT prompt_hash, count(*) FROM votes WHERE counted = 1 AND prompt_hash IS NOT NULL AND prompt_hash != '' GROUP BY prompt_hash")
      .raw()
      .all() as Array<[string, number]>;
    return new Map(rows);
  }

  async promptOf(hash: string): Promise<string[]> {
    const rows = this.#sqlite
      .prepare(
        "SELECT t.prompt FROM turns t WHERE t.battle_id = (SELECT battle_id FROM votes WHERE prompt_hash = ? AND prompt_hash != '' LIMIT 1) ORDER BY t.turn",
      )
      .raw()
      .all(hash) as Array<[string]>;
    return rows.map((r) => r[0]);
  }

  async recentFlagged(limit: number): Promise<FlaggedVote[]> {
    const rows = this.#sqlite
      .prepare("SELECT battle_id, voter_id, winner, model_a, model_b, flags, created_at FROM votes WHERE flags != '[]' ORDER BY id DESC LIMIT ?")
      .all(limit) as Row[];
    return rows.map((r) => ({
      battleId: r.battle_id,
      voterId: r.voter_id,
      winner: r.winner,
      modelA: r.model_a,
      modelB: r.model_b,
      flags: JSON.parse(r.flags) as IntegrityFlag[],
      at: new Date(r.created_at).toISOString(),
    }));
  }
}
