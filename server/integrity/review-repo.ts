/** SQL for the integrity review: every arena vote with its flags, and the latest flagged ones. */
import type { Sqlite } from '../../db/client.ts';
import type { FlaggedVote } from '../../protocol/integrity.ts';
import type { IntegrityFlag, Winner } from '../../protocol/types.ts';

export interface ReviewVote {
  voterId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  flags: IntegrityFlag[];
}

interface Row {
  battle_id: string;
  voter_id: string;
  model_a: string;
  model_b: string;
  winner: Winner;
  flags: string;
  created_at: number;
}

export class VoteReviewRepo {
  readonly #sqlite: Sqlite;
  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
  }

  votes(): ReviewVote[] {
    const rows = this.#sqlite.prepare('SELECT voter_id, model_a, model_b, winner, flags FROM votes ORDER BY id').all() as Row[];
    return rows.map((r) => ({ voterId: r.voter_id, modelA: r.model_a, modelB: r.model_b, winner: r.winner, flags: JSON.parse(r.flags) as IntegrityFlag[] }));
  }

  /** Counted arena votes per prompt hash (votes without a stored prompt, or not yet hashed, left out). */
  promptCounts(): Map<string, number> {
    const rows = this.#sqlite
      .prepare("SELECT prompt_hash, count(*) FROM votes WHERE counted = 1 AND prompt_hash IS NOT NULL AND prompt_hash != '' GROUP BY prompt_hash")
      .raw()
      .all() as Array<[string, number]>;
    return new Map(rows);
  }

  /** The user turns of one battle voted with this prompt hash (they are the same for all of them). */
  promptOf(hash: string): string[] {
    const rows = this.#sqlite
      .prepare(
        "SELECT t.prompt FROM turns t WHERE t.battle_id = (SELECT battle_id FROM votes WHERE prompt_hash = ? AND prompt_hash != '' LIMIT 1) ORDER BY t.turn",
      )
      .raw()
      .all(hash) as Array<[string]>;
    return rows.map((r) => r[0]);
  }

  recentFlagged(limit: number): FlaggedVote[] {
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
