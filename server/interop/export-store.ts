/** SQL for `arena export battles`: the votes in vote order, and the prompts and answers of each batch. */
import { openReadOnly, type Sqlite } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';

export interface ExportedVote {
  id: number;
  battleId: string;
  winner: Winner;
  modelA: string;
  modelB: string;
  voterId: string;
  flags: string;
  counted: number;
  createdAt: number;
  turns: number;
  /** Set for a vote of an evaluation that counts in public (its `battleId` is `eval-vote-<id>`). */
  evaluationId: string | null;
  /** The vote's categories as stored (JSON), null until the start-up backfill files it. */
  categories: string | null;
}

/** The battle id an exported evaluation vote carries (evaluation votes have no battle). */
export const EVAL_VOTE_PREFIX = 'eval-vote-';

export interface BatchContent {
  prompts: Map<string, Array<{ battleId: string; turn: number; prompt: string }>>;
  /** Keyed `battleId/turn/side`. */
  answers: Map<string, string>;
}

export class ExportStore {
  readonly #sqlite: Sqlite;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
  }

  models(): Array<{ id: string; name: string }> {
    return this.#sqlite.prepare('SELECT id, name FROM models').all() as Array<{ id: string; name: string }>;
  }

  /**
   * Streamed, ordered like the online Elo (vote time, arena before evaluation, then insertion):
   * the arena's votes and the votes of evaluations that count in the public standings, so an
   * export holds every public vote.
   */
  votes(includeFlagged: boolean): IterableIterator<ExportedVote> {
    return this.#sqlite
      .prepare(
        `SELECT id, battleId, winner, modelA, modelB, voterId, flags, counted, createdAt, turns, evaluationId, categories FROM (
           SELECT v.id, v.battle_id AS battleId, v.winner, v.model_a AS modelA, v.model_b AS modelB, v.voter_id AS voterId, v.flags,
                  v.counted, v.created_at AS createdAt, b.turns, NULL AS evaluationId, v.categories, 0 AS source
           FROM votes v JOIN battles b ON b.id = v.battle_id
           ${includeFlagged ? '' : 'WHERE v.counted = 1'}
           UNION ALL
           SELECT v.id, '${EVAL_VOTE_PREFIX}' || v.id, v.winner, v.model_a, v.model_b, v.voter_id, '[]', 1, v.created_at,
                  json_array_length(p.turns), v.evaluation_id, v.categories, 1
           FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
             JOIN eval_items i ON i.id = v.item_id JOIN eval_prompts p ON p.id = i.prompt_id
           WHERE e.count_in_public = 1)
         ORDER BY createdAt, source, id`,
      )
      .iterate() as IterableIterator<ExportedVote>;
  }

  /**
   * Prompts and answers come from a second connection while the votes stream from the first; its
   * snapshot starts later, so it holds every battle the first one lists (written before the vote).
   */
  contentReader(): { read(battleIds: string[]): BatchContent; close(): void } {
    const side = openReadOnly(this.#sqlite.name);
    const turnsOf = side.prepare('SELECT battle_id AS battleId, turn, prompt FROM turns WHERE battle_id IN (SELECT value FROM json_each(?)) ORDER BY turn');
    const answersOf = side.prepare('SELECT battle_id AS battleId, turn, side, content FROM answers WHERE battle_id IN (SELECT value FROM json_each(?))');
    return {
      read(battleIds) {
        const ids = JSON.stringify(battleIds);
        const prompts: BatchContent['prompts'] = new Map();
        for (const t of turnsOf.all(ids) as Array<{ battleId: string; turn: number; prompt: string }>) {
          const list = prompts.get(t.battleId);
          if (list) list.push(t);
          else prompts.set(t.battleId, [t]);
        }
        const answers = new Map<string, string>();
        for (const a of answersOf.all(ids) as Array<{ battleId: string; turn: number; side: string; content: string }>) {
          answers.set(`${a.battleId}/${a.turn}/${a.side}`, a.content);
        }
        return { prompts, answers };
      },
      close: () => side.close(),
    };
  }
}
