/**
 * What the start-up backfill of style control and prompt deduplication reads and writes: answers
 * and evaluation answers stored before their style features existed, and votes stored before
 * their prompt hash. Plain SQL on the raw connection; the partial index `answers_unstyled_idx` and
 * the index on `votes.prompt_hash` find them without a scan.
 */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { StyleColumns } from './answer-style.ts';

export class StyleBackfillRepo {
  readonly #sqlite: Sqlite;
  readonly #q: {
    answers: Statement<[number, number], { id: number; content: string }>;
    setAnswer: Statement<StyleColumns & { id: number }>;
    generations: Statement<[number, number], { id: number; answers: string }>;
    setGeneration: Statement<StyleColumns & { id: number }>;
    votes: Statement<[number, number], { id: number; prompt: string | null }>;
    setVote: Statement<[string, number]>;
  };

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    const set = (table: string) =>
      sqlite.prepare<StyleColumns & { id: number }>(
        `UPDATE ${table} SET style_tokens = @styleTokens, style_headers = @styleHeaders, style_list_items = @styleListItems, style_bold = @styleBold WHERE id = @id`,
      );
    this.#q = {
      answers: sqlite.prepare('SELECT id, content FROM answers WHERE style_tokens IS NULL AND id > ? ORDER BY id LIMIT ?'),
      setAnswer: set('answers'),
      generations: sqlite.prepare(
        `SELECT id, answers FROM eval_generations WHERE style_tokens IS NULL AND status = 'done' AND answers IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
      ),
      setGeneration: set('eval_generations'),
      // One query per batch: the votes and their battles' turns, in order.
      votes: sqlite.prepare(
        `SELECT v.id, t.prompt FROM (SELECT id, battle_id FROM votes WHERE prompt_hash IS NULL AND id > ? ORDER BY id LIMIT ?) v
         LEFT JOIN turns t ON t.battle_id = v.battle_id ORDER BY v.id, t.turn`,
      ),
      setVote: sqlite.prepare('UPDATE votes SET prompt_hash = ? WHERE id = ?'),
    };
  }

  unstyledAnswers(afterId: number, limit: number): Array<{ id: number; content: string }> {
    return this.#q.answers.all(afterId, limit);
  }

  setAnswerStyle(id: number, style: StyleColumns): void {
    this.#q.setAnswer.run({ ...style, id });
  }

  /** Done evaluation answers without style, each generation's answers (one per turn). */
  unstyledGenerations(afterId: number, limit: number): Array<{ id: number; answers: string[] }> {
    return this.#q.generations.all(afterId, limit).map((r) => ({ id: r.id, answers: JSON.parse(r.answers) as string[] }));
  }

  setGenerationStyle(id: number, style: StyleColumns): void {
    this.#q.setGeneration.run({ ...style, id });
  }

  /** Votes without a prompt hash, with their battle's user turns. */
  unhashedVotes(afterId: number, limit: number): Array<{ id: number; prompts: string[] }> {
    const votes: Array<{ id: number; prompts: string[] }> = [];
    for (const row of this.#q.votes.all(afterId, limit)) {
      const last = votes.at(-1);
      const vote = last?.id === row.id ? last : { id: row.id, prompts: [] };
      if (vote !== last) votes.push(vote);
      if (row.prompt !== null) vote.prompts.push(row.prompt);
    }
    return votes;
  }

  setPromptHash(id: number, hash: string): void {
    this.#q.setVote.run(hash, id);
  }

  inTransaction<T>(work: () => T): T {
    return this.#sqlite.transaction(work).immediate();
  }
}
