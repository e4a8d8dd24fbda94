/**
 * The categories of votes, as stored: the `categories` column of `votes` and `eval_votes` (written
 * with the vote by server/arena and server/evaluations) and the `vote_categories` index beside it
 * (written here, in the vote's transaction). Also what the start-up backfill reads: the votes
 * recorded before categories existed, and their conversations.
 */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import type { Conversation } from './categories.ts';

export type VoteSource = 'arena' | 'evaluation';
/** `vote_categories.source`: which table `vote_id` is a row of. */
export const SOURCE_CODE = { arena: 0, evaluation: 1 } as const satisfies Record<VoteSource, number>;

/** A vote recorded before categories existed, with what its categories are decided from. */
export interface UncategorizedVote {
  source: VoteSource;
  id: number;
  conversation: Conversation;
  turns: number;
  /** An evaluation prompt's category from its prompt file. */
  tag: string | null;
}

/** Rows of one multi-row insert of `indexMany`. */
const INDEX_BATCH = 100;
const indexSql = (rows: number) => `INSERT OR IGNORE INTO vote_categories (category, source, vote_id) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`;

export class VoteCategoriesRepo {
  readonly #sqlite: Sqlite;
  readonly #index: Statement<[string, number, number]>;
  readonly #indexBatch: Statement;
  readonly #q;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    this.#index = sqlite.prepare('INSERT OR IGNORE INTO vote_categories (category, source, vote_id) VALUES (?, ?, ?)');
    this.#indexBatch = sqlite.prepare(indexSql(INDEX_BATCH));
    this.#q = {
      // Served by the partial indexes on `categories IS NULL`: nothing to scan once every vote has its categories.
      pending: {
        arena: sqlite.prepare<[number, number], { id: number }>('SELECT id FROM votes WHERE categories IS NULL AND id > ? ORDER BY id LIMIT ?'),
        evaluation: sqlite.prepare<[number, number], { id: number }>('SELECT id FROM eval_votes WHERE categories IS NULL AND id > ? ORDER BY id LIMIT ?'),
      },
      set: {
        arena: sqlite.prepare<[string, number]>('UPDATE votes SET categories = ? WHERE id = ?'),
        evaluation: sqlite.prepare<[string, number]>('UPDATE eval_votes SET categories = ? WHERE id = ?'),
      },
      battle: sqlite.prepare<[number], { battleId: string; turns: number }>(
        'SELECT v.battle_id AS battleId, b.turns FROM votes v JOIN battles b ON b.id = v.battle_id WHERE v.id = ?',
      ),
      battlesUnder: sqlite.prepare<[string, string]>(
        `SELECT v.battle_id FROM vote_categories c JOIN votes v ON v.id = c.vote_id
         WHERE c.category = ? AND c.source = ${SOURCE_CODE.arena} AND v.battle_id IN (SELECT value FROM json_each(?))`,
      ),
      prompts: sqlite.prepare<[string], { prompt: string }>('SELECT prompt FROM turns WHERE battle_id = ? ORDER BY turn'),
      answers: sqlite.prepare<[string], { content: string }>('SELECT content FROM answers WHERE battle_id = ? ORDER BY turn, side'),
      evaluation: sqlite.prepare<[number], { turns: string; category: string | null; a: string | null; b: string | null }>(
        `SELECT p.turns, p.category, ga.answers AS a, gb.answers AS b
         FROM eval_votes v JOIN eval_items i ON i.id = v.item_id JOIN eval_prompts p ON p.id = i.prompt_id
         LEFT JOIN eval_generations ga ON ga.prompt_id = p.id AND ga.model_id = v.model_a
         LEFT JOIN eval_generations gb ON gb.prompt_id = p.id AND gb.model_id = v.model_b
         WHERE v.id = ?`,
      ),
    };
  }

  /**
   * `index` for many votes, in the same order, with multi-row statements: a bulk import's million
   * votes cost a few thousand statements instead of a million.
   */
  indexMany(source: VoteSource, votes: ReadonlyArray<readonly [voteId: number, categories: readonly CategoryId[]]>): void {
    const code = SOURCE_CODE[source];
    const params: Array<string | number> = [];
    const flush = () => {
      const rows = params.length / 3;
      if (rows === 0) return;
      const statement = rows === INDEX_BATCH ? this.#indexBatch : this.#sqlite.prepare(indexSql(rows));
      statement.run(params);
      params.length = 0;
    };
    for (const [voteId, categories] of votes) {
      for (const category of categories) {
        params.push(category, code, voteId);
        if (params.length === INDEX_BATCH * 3) flush();
      }
    }
    flush();
  }

  /** Adds a vote's categories to the index (inside the vote's transaction; idempotent). */
  index(source: VoteSource, voteId: number, categories: readonly CategoryId[]): void {
    const code = SOURCE_CODE[source];
    for (const category of categories) this.#index.run(category, code, voteId);
  }

  /**
   * Which of these battles are filed under the category (through their vote: an unvoted battle is
   * under none but `all`). For prompt sets made from past battles (server/evaluations).
   */
  battlesUnder(battleIds: readonly string[], category: string): Set<string> {
    if (category === 'all') return new Set(battleIds);
    const rows = this.#q.battlesUnder.raw().all(category, JSON.stringify(battleIds)) as Array<[string]>;
    return new Set(rows.map(([id]) => id));
  }

  /** Stores the categories of an older vote: its column and the index. */
  setCategories(source: VoteSource, voteId: number, categories: readonly CategoryId[]): void {
    this.#q.set[source].run(JSON.stringify(categories), voteId);
    this.index(source, voteId, categories);
  }

  /** Up to `limit` votes without categories after `afterId`, oldest first, with their conversations. */
  uncategorized(source: VoteSource, afterId: number, limit: number): UncategorizedVote[] {
    return this.#q.pending[source].all(afterId, limit).map(({ id }) => (source === 'arena' ? this.#arenaVote(id) : this.#evaluationVote(id)));
  }

  #arenaVote(id: number): UncategorizedVote {
    const battle = this.#q.battle.get(id);
    if (!battle) return { source: 'arena', id, conversation: { prompts: [], answers: [] }, turns: 0, tag: null };
    const prompts = this.#q.prompts.all(battle.battleId).map((r) => r.prompt);
    const answers = this.#q.answers.all(battle.battleId).map((r) => r.content);
    return { source: 'arena', id, conversation: { prompts, answers }, turns: battle.turns, tag: null };
  }

  #evaluationVote(id: number): UncategorizedVote {
    const row = this.#q.evaluation.get(id);
    const list = (json: string | null | undefined): string[] => (json ? (JSON.parse(json) as string[]) : []);
    const prompts = list(row?.turns);
    return {
      source: 'evaluation',
      id,
      conversation: { prompts, answers: [...list(row?.a), ...list(row?.b)] },
      turns: prompts.length,
      tag: row?.category ?? null,
    };
  }

  /** Runs `work` in one write transaction. */
  inTransaction<T>(work: () => T): T {
    return this.#sqlite.transaction(work).immediate();
  }
}
