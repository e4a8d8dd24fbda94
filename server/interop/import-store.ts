/** SQL for `arena import battles`: rows written as the file is read, all in one transaction. */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';

export class ImportStore {
  readonly #sqlite: Sqlite;
  readonly #q: Record<'model' | 'battle' | 'turn' | 'answer' | 'vote', Statement> & {
    voteOf: Statement<[string], { modelA: string; modelB: string; winner: string }>;
    evalVoteOf: Statement<[string], { modelA: string; modelB: string; winner: string }>;
  };

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    this.#q = {
      model: sqlite.prepare(`INSERT OR IGNORE INTO models (id, name, provider, settings, source, enabled) VALUES (?, ?, 'openai', ?, 'admin', 0)`),
      battle: sqlite.prepare(
        `INSERT OR IGNORE INTO battles (id, mode, model_a, model_b, status, voter_id, turns, created_at, updated_at) VALUES (?, 'arena', ?, ?, 'voted', ?, ?, ?, ?)`,
      ),
      turn: sqlite.prepare('INSERT INTO turns (battle_id, turn, prompt, created_at) VALUES (?, ?, ?, ?)'),
      answer: sqlite.prepare(
        `INSERT INTO answers (battle_id, turn, side, model_id, content, input_tokens, output_tokens, tokens_estimated, total_ms, finish_reason, created_at)
         VALUES (?, ?, ?, ?, ?, 0, ?, 1, 0, 'stop', ?)`,
      ),
      vote: sqlite.prepare(
        'INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, flags, counted, categories, prompt_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      voteOf: sqlite.prepare('SELECT model_a AS modelA, model_b AS modelB, winner FROM votes WHERE battle_id = ?'),
      evalVoteOf: sqlite.prepare('SELECT model_a AS modelA, model_b AS modelB, winner FROM eval_votes WHERE id = ?'),
    };
  }

  /** True when the model was new (imported models are added switched off). */
  addModel(id: string, name: string, settingsJson: string): boolean {
    return this.#q.model.run(id, name, settingsJson).changes > 0;
  }

  /** False when a battle with this id is already there (imports are idempotent). */
  addBattle(id: string, modelA: string, modelB: string, voterId: string, turns: number, at: number): boolean {
    return this.#q.battle.run(id, modelA, modelB, voterId, turns, at, at).changes > 0;
  }

  addTurn(battleId: string, turn: number, prompt: string, at: number): void {
    this.#q.turn.run(battleId, turn, prompt, at);
  }

  addAnswer(battleId: string, turn: number, side: 'a' | 'b', modelId: string, content: string, outputTokens: number, at: number): void {
    this.#q.answer.run(battleId, turn, side, modelId, content, outputTokens, at);
  }

  /** A vote without flags counts; one with flags (e.g. `named`) is kept but not counted. Returns its row id. */
  addVote(v: {
    battleId: string;
    voterId: string;
    winner: Winner;
    modelA: string;
    modelB: string;
    flags: string[];
    categories: string[];
    promptHash: string;
    at: number;
  }): number {
    const { battleId, voterId, winner, modelA, modelB, flags, categories, promptHash, at } = v;
    const counted = flags.length === 0 ? 1 : 0;
    const row = this.#q.vote.run(battleId, voterId, winner, modelA, modelB, JSON.stringify(flags), counted, JSON.stringify(categories), promptHash, at);
    return Number(row.lastInsertRowid);
  }

  voteOf(battleId: string): { modelA: string; modelB: string; winner: string } | undefined {
    return this.#q.voteOf.get(battleId);
  }

  /** An evaluation vote by its id (an export names it `eval-vote-<id>`). */
  evalVoteOf(id: string): { modelA: string; modelB: string; winner: string } | undefined {
    return this.#q.evalVoteOf.get(id);
  }

  /**
   * Runs `work` (which may await the file being read) inside one IMMEDIATE transaction: the whole
   * file or nothing. better-sqlite3's transaction() cannot span an await, hence BEGIN by hand.
   */
  async inOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.#sqlite.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.#sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      this.#sqlite.exec('ROLLBACK');
      throw error;
    }
  }
}
