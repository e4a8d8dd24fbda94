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
}

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

  /** Streamed, ordered like the online Elo (vote time, then insertion). */
  votes(includeFlagged: boolean): IterableIterator<ExportedVote> {
    return this.#sqlite
      .prepare(
        `SELECT v.id, v.battle_id AS battleId, v.winner, v.model_a AS modelA, v.model_b AS modelB, v.voter_id AS voterId, v.flags,
                v.counted, v.created_at AS createdAt, b.turns
         FROM votes v JOIN battles b ON b.id = v.battle_id
         ${includeFlagged ? '' : 'WHERE v.counted = 1'}
         ORDER BY v.created_at, v.id`,
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
