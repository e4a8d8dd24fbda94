/**
 * SQL for `arena import battles`: rows written as the file is read, all in one transaction. Into
 * a database without battles, the battle tables' secondary indexes and the vote insert triggers
 * are set aside during the load and created again after it, in the same transaction
 * (schema-aside.ts), and the transaction uses the rollback journal (db/client.ts). The category
 * index rows go in multi-row statements.
 */
import { restoreWal, type Sqlite, type Statement, useRollbackJournal } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import { VoteCategoriesRepo } from '../standings/vote-categories-repo.ts';
import type { DerivedBattle } from './import-derive.ts';
import { SchemaAside } from './schema-aside.ts';

type EarlierVote = { modelA: string; modelB: string; winner: string };

/** The tables one imported battle writes to (its category index rows aside). */
const BATTLE_TABLES = ['battles', 'turns', 'answers', 'votes'] as const;
/** Votes whose category index rows wait for one multi-row write. */
const CATEGORY_BATCH = 1_000;

export class ImportStore {
  readonly #sqlite: Sqlite;
  readonly #index: VoteCategoriesRepo;
  readonly #q: Record<'model' | 'battle' | 'turn' | 'answer' | 'vote', Statement> & {
    voteOf: Statement<[string], EarlierVote>;
    evalVoteOf: Statement<[string], EarlierVote>;
  };
  /** JSON of flag and category lists, by list: a file has few distinct ones. */
  readonly #json = new Map<readonly string[], string>();
  readonly #pendingCategories: Array<[voteId: number, categories: readonly CategoryId[]]> = [];
  readonly #aside: SchemaAside;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    this.#index = new VoteCategoriesRepo(sqlite);
    this.#aside = new SchemaAside(sqlite);
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

  /**
   * The import's one write path: the battle, its turns and answers, its vote and the vote's
   * category index, or nothing when a battle with this id is already there (imports are
   * idempotent). A vote with flags (e.g. `named`) is kept but not counted. Returns false when the
   * battle was already present.
   */
  addBattle(b: DerivedBattle, modelA: string, modelB: string, flags: readonly string[]): boolean {
    const q = this.#q;
    if (q.battle.run(b.id, modelA, modelB, b.voterId, b.turns, b.at, b.at).changes === 0) return false;
    for (let i = 0; i < b.conversation.length; i++) {
      const { prompt, a, b: answerB } = b.conversation[i]!;
      q.turn.run(b.id, i + 1, prompt, b.at);
      if (a !== null) q.answer.run(b.id, i + 1, 'a', modelA, a, Math.ceil(a.length / 4), b.at);
      if (answerB !== null) q.answer.run(b.id, i + 1, 'b', modelB, answerB, Math.ceil(answerB.length / 4), b.at);
    }
    const counted = flags.length === 0 ? 1 : 0;
    const row = q.vote.run(b.id, b.voterId, b.winner, modelA, modelB, this.#jsonOf(flags), counted, this.#jsonOf(b.categories), b.promptHash, b.at);
    this.#pendingCategories.push([Number(row.lastInsertRowid), b.categories]);
    if (this.#pendingCategories.length >= CATEGORY_BATCH) this.#flushCategories();
    return true;
  }

  #flushCategories(): void {
    this.#index.indexMany('arena', this.#pendingCategories);
    this.#pendingCategories.length = 0;
  }

  /**
   * Runs the load. Into a database without battles, the battle tables' secondary indexes and the
   * insert triggers of votes and their categories (which count nothing while the counts are
   * deferred) are set aside and created again after it; a read of the votes during the load
   * restores their indexes first. The category index rows are written at the end at the latest.
   */
  async load<T>(work: () => Promise<T>): Promise<T> {
    // The battles' unique id index goes aside only where foreign keys are off (inOneTransaction):
    // with them on, a reference to a table without a unique key is an error.
    if (this.#sqlite.pragma('foreign_keys', { simple: true }) === 0 && this.#hasNoBattles()) {
      for (const table of BATTLE_TABLES) this.#aside.setAside(table, 'index');
      for (const table of ['votes', 'vote_categories']) this.#aside.setAside(table, 'trigger');
    }
    const result = await work();
    this.#flushCategories();
    this.#aside.restoreAll();
    return result;
  }

  /** No battle rows, and no statistics of their indexes (dropping an index drops its rows of sqlite_stat1). */
  #hasNoBattles(): boolean {
    const empty = (sql: string) => this.#sqlite.prepare(`SELECT NOT EXISTS (${sql})`).pluck().get() === 1;
    return empty("SELECT 1 FROM sqlite_master WHERE name LIKE 'sqlite\\_stat%' ESCAPE '\\'") && BATTLE_TABLES.every((table) => empty(`SELECT 1 FROM ${table}`));
  }

  #jsonOf(list: readonly string[]): string {
    let json = this.#json.get(list);
    if (json === undefined) {
      json = JSON.stringify(list);
      // Only shared lists (the import's memoised ones) are worth keeping; a map of every list would grow with the file.
      if (Object.isFrozen(list)) this.#json.set(list, json);
    }
    return json;
  }

  voteOf(battleId: string): EarlierVote | undefined {
    // An exported file names a battle on every line: by the index, not by a scan each.
    if (this.#aside.isAside('votes')) this.#aside.restore('votes');
    return this.#q.voteOf.get(battleId);
  }

  /** An evaluation vote by its id (an export names it `eval-vote-<id>`). */
  evalVoteOf(id: string): EarlierVote | undefined {
    return this.#q.evalVoteOf.get(id);
  }

  /**
   * Runs `work` (which may await the file being read) inside one IMMEDIATE transaction: the whole
   * file or nothing. better-sqlite3's transaction() cannot span an await, hence BEGIN by hand.
   * The connection must have the file to itself for the rollback journal (see db/client.ts).
   */
  async inOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    const intoEmpty = this.#hasNoBattles();
    // Into a database without battles nearly every page is new: the rollback journal writes them once (db/client.ts).
    const rollbackJournal = intoEmpty && useRollbackJournal(this.#sqlite);
    // The battles' unique index on id is set aside for the load (load()), and a reference to a
    // table without a unique key is an error while foreign keys are on. The rows the load writes
    // refer to each other by construction; the index built again after it checks the ids.
    const foreignKeys = this.#sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (intoEmpty && foreignKeys) this.#sqlite.pragma('foreign_keys = OFF');
    try {
      this.#sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        this.#sqlite.exec('COMMIT');
        return result;
      } catch (error) {
        this.#sqlite.exec('ROLLBACK');
        throw error;
      }
    } finally {
      if (rollbackJournal) restoreWal(this.#sqlite);
      if (intoEmpty && foreignKeys) this.#sqlite.pragma('foreign_keys = ON');
    }
  }
}
