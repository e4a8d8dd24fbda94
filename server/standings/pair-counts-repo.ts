/**
 * The maintained counts of the public votes (`pair_counts`, `prompt_counts`, kept by the triggers
 * of migration 0010 in every write's transaction): what the live Bradley-Terry fit reads instead
 * of every vote, and the recount from the votes themselves that audits them (`arena recount`).
 */
import type { Sqlite } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';
import { capDepth, capFromLargest } from '../ratings/prompt-dedup.ts';
import { type FitInput, inputOfCounts, type PairTally } from './fit-input.ts';
import { type MergedPair, mergeSides, type SidesRow } from './pair-merge.ts';

/** One maintained cell: public votes of a category between two models with one outcome. */
export interface PairCount {
  category: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  n: number;
}

/**
 * Per ordered pair (model_a, model_b), from cells of (model_a, model_b, winner, n): SQLite sums
 * them in the order of its index, without sorting, so few rows reach JavaScript, which merges the
 * two orders of a pair (mergeSides, pair-merge.ts).
 */
const SIDES = (n: string) =>
  // FILTER, not total(n * (winner = 'a')): a row outside the filter costs no arithmetic (a fifth less time at 3M votes).
  `model_a, model_b, total(${n}) FILTER (WHERE winner = 'a'), total(${n}) FILTER (WHERE winner = 'b'), total(${n}) FILTER (WHERE winner IN ('tie', 'bothbad'))`;

type Row = [category: string, modelA: string, modelB: string, winner: Winner, n: number];

/**
 * The public votes with ids above @votes (arena) and @evalVotes counted per cell: from 0, the
 * audit of the maintained table (and its backfill, migration 0010); from marks, the rows a bulk
 * import inserted with the triggers deferred.
 */
const COUNT_CELLS = `
  SELECT category, model_a, model_b, winner, sum(n) AS n FROM (
    SELECT 'all' AS category, model_a, model_b, winner, count(*) AS n FROM votes WHERE id > @votes AND counted = 1 GROUP BY model_a, model_b, winner
    UNION ALL
    SELECT 'all', v.model_a, v.model_b, v.winner, count(*) FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
      WHERE v.id > @evalVotes AND e.count_in_public = 1 GROUP BY v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM votes v JOIN vote_categories c ON c.source = 0 AND c.vote_id = v.id
      WHERE v.id > @votes AND v.counted = 1 GROUP BY c.category, v.model_a, v.model_b, v.winner
    UNION ALL
    SELECT c.category, v.model_a, v.model_b, v.winner, count(*) FROM eval_votes v JOIN vote_categories c ON c.source = 1 AND c.vote_id = v.id
      JOIN evaluations e ON e.id = v.evaluation_id WHERE v.id > @evalVotes AND e.count_in_public = 1 GROUP BY c.category, v.model_a, v.model_b, v.winner
  ) GROUP BY category, model_a, model_b, winner`;

const COUNT_PROMPTS = `SELECT prompt_hash, count(*) AS n FROM votes WHERE id > @votes AND counted = 1 AND prompt_hash != '' AND model_a != model_b GROUP BY prompt_hash`;

/** The last vote ids before a bulk write: what it inserts has larger ones. */
export interface CountMarks {
  votes: number;
  evalVotes: number;
}

const FROM_START: CountMarks = { votes: 0, evalVotes: 0 };

const toCount = ([category, modelA, modelB, winner, n]: Row): PairCount => ({ category, modelA, modelB, winner, n });

export class PairCountsRepo {
  readonly #sqlite: Sqlite;
  readonly #q;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
    this.#q = {
      category: sqlite
        .prepare<[string]>(`SELECT ${SIDES('n')} FROM pair_counts WHERE category = ? AND n > 0 AND model_a != model_b GROUP BY model_a, model_b`)
        .raw(),
      all: sqlite.prepare('SELECT category, model_a, model_b, winner, n FROM pair_counts WHERE n != 0').raw(),
      promptTotal: sqlite.prepare('SELECT count(*) FROM prompt_counts').pluck(),
      largest: sqlite.prepare<[number]>('SELECT n FROM prompt_counts ORDER BY n DESC LIMIT ?').pluck(),
      above: sqlite.prepare<[number]>('SELECT prompt_hash, n FROM prompt_counts WHERE n > ?').raw(),
      cells: sqlite
        .prepare<[string]>(
          `SELECT prompt_hash, ${SIDES('1')} FROM votes
           WHERE prompt_hash IN (SELECT value FROM json_each(?)) AND prompt_hash != '' AND counted = 1 AND model_a != model_b
           GROUP BY prompt_hash, model_a, model_b ORDER BY prompt_hash, model_a, model_b`,
        )
        .raw(),
    };
  }

  /** The maintained votes of one category (`all`: every public vote) per pair of different models. */
  tallies(category: string): PairTally[] {
    return this.pairsOf(category).map((p) => p.tally);
  }

  /** tallies(), with which order of each pair had votes. */
  pairsOf(category: string): MergedPair[] {
    return mergeSides(this.#q.category.all(category) as SidesRow[]);
  }

  /** Public votes per category (`all` among them), self-battles included as every vote count is. */
  totalsByCategory(): Array<[category: string, votes: number]> {
    return this.#sqlite.prepare('SELECT category, sum(n) FROM pair_counts GROUP BY category HAVING sum(n) != 0').raw().all() as Array<[string, number]>;
  }

  /** How many distinct prompts the counted arena votes have. */
  promptTotal(): number {
    return this.#q.promptTotal.get() as number;
  }

  /** The `k` largest per-prompt vote counts, largest first. */
  largestPromptCounts(k: number): number[] {
    return this.#q.largest.all(k) as number[];
  }

  /** Prompts with more than `cap` votes, and their counts. */
  promptsAbove(cap: number): Array<{ key: string; count: number }> {
    return (this.#q.above.all(cap) as Array<[string, number]>).map(([key, count]) => ({ key, count }));
  }

  /**
   * The votes of these prompts per pair (counted, between two different models): prompts in hash
   * order, each one's pairs where their first (model_a, model_b) row comes (live-counts.ts lists its
   * own the same way, so the weighted counts are summed in the same order).
   */
  promptTallies(prompts: readonly string[]): Array<PairTally & { prompt: string }> {
    return [...this.promptPairs(prompts)].flatMap(([prompt, pairs]) => pairs.map((p) => ({ prompt, ...p.tally })));
  }

  /** promptTallies() per prompt (those with votes, in hash order), with which order of each pair had votes. */
  promptPairs(prompts: readonly string[]): Map<string, MergedPair[]> {
    if (prompts.length === 0) return new Map();
    const byPrompt = new Map<string, SidesRow[]>();
    for (const [prompt, ...sides] of this.#q.cells.all(JSON.stringify(prompts)) as Array<[string, ...SidesRow]>) {
      const list = byPrompt.get(prompt);
      if (list) list.push(sides);
      else byPrompt.set(prompt, [sides]);
    }
    return new Map([...byPrompt].map(([prompt, rows]) => [prompt, mergeSides(rows)]));
  }

  /** Every maintained cell that is not zero (a negative one would be a bug the audit shows). */
  maintained(): PairCount[] {
    return (this.#q.all.all() as Row[]).map(toCount);
  }

  /** Every cell counted again from the votes (the audit path: a scan of every public vote). */
  recount(): PairCount[] {
    return (this.#sqlite.prepare(COUNT_CELLS).raw().all(FROM_START) as Row[]).map(toCount);
  }

  maintainedPrompts(): Map<string, number> {
    return new Map(this.#sqlite.prepare('SELECT prompt_hash, n FROM prompt_counts').raw().all() as Array<[string, number]>);
  }

  recountPrompts(): Map<string, number> {
    return new Map(this.#sqlite.prepare(COUNT_PROMPTS).raw().all(FROM_START) as Array<[string, number]>);
  }

  /** Replaces the maintained counts with a recount (one transaction). */
  rebuild(): void {
    this.#sqlite.transaction(() => {
      this.#sqlite.prepare('DELETE FROM pair_counts').run();
      this.#sqlite.prepare('DELETE FROM prompt_counts').run();
      this.#add(FROM_START);
      // The deletes' triggers raise it too, unless the tables were empty: readers holding counts read them again.
      this.#sqlite.prepare('UPDATE counts_maintenance SET rewrites = rewrites + 1 WHERE id = 1').run();
    })();
  }

  /**
   * Inside a bulk import's transaction: the insert triggers stand aside until `countDeferred`,
   * which must run in the same transaction (a rollback undoes both). Returns the marks to pass it.
   */
  deferCounts(): CountMarks {
    const marks = this.#sqlite
      .prepare('SELECT (SELECT coalesce(max(id), 0) FROM votes) AS votes, (SELECT coalesce(max(id), 0) FROM eval_votes) AS evalVotes')
      .get() as CountMarks;
    this.#sqlite.prepare('UPDATE counts_maintenance SET deferred = 1 WHERE id = 1').run();
    return marks;
  }

  /** Counts the votes inserted since `deferCounts` (and their categories) in one pass, and turns the triggers back on. */
  countDeferred(marks: CountMarks): void {
    this.#add(marks);
    this.#resume();
  }

  /**
   * Adds counts the bulk writer tallied itself (what `countDeferred` would count of its votes,
   * without reading them back), and turns the triggers back on.
   */
  addDeferred(cells: readonly PairCount[], prompts: ReadonlyArray<readonly [promptHash: string, n: number]>): void {
    const upsert = 'ON CONFLICT DO UPDATE SET n = n + excluded.n';
    const cell = this.#sqlite.prepare<[string, string, string, string, number]>(
      `INSERT INTO pair_counts (category, model_a, model_b, winner, n) VALUES (?, ?, ?, ?, ?) ${upsert}`,
    );
    for (const c of cells) cell.run(c.category, c.modelA, c.modelB, c.winner, c.n);
    const prompt = this.#sqlite.prepare<[string, number]>(`INSERT INTO prompt_counts (prompt_hash, n) VALUES (?, ?) ${upsert}`);
    for (const [hash, n] of prompts) prompt.run(hash, n);
    this.#resume();
  }

  #resume(): void {
    this.#sqlite.prepare('UPDATE counts_maintenance SET deferred = 0 WHERE id = 1').run();
  }

  #add(marks: CountMarks): void {
    const upsert = 'ON CONFLICT DO UPDATE SET n = n + excluded.n';
    this.#sqlite.prepare(`INSERT INTO pair_counts (category, model_a, model_b, winner, n) SELECT * FROM (${COUNT_CELLS}) WHERE true ${upsert}`).run(marks);
    this.#sqlite.prepare(`INSERT INTO prompt_counts (prompt_hash, n) SELECT * FROM (${COUNT_PROMPTS}) WHERE true ${upsert}`).run(marks);
  }
}

/** Cells whose maintained and recounted counts differ (zero cells count as absent). */
export function countDifferences(
  maintained: readonly PairCount[],
  recounted: readonly PairCount[],
): Array<{ cell: string; maintained: number; recounted: number }> {
  const key = (c: PairCount) => `${c.category}\u0000${c.modelA}\u0000${c.modelB}\u0000${c.winner}`;
  const a = new Map(maintained.filter((c) => c.n !== 0).map((c) => [key(c), c.n]));
  const b = new Map(recounted.filter((c) => c.n !== 0).map((c) => [key(c), c.n]));
  const out: Array<{ cell: string; maintained: number; recounted: number }> = [];
  for (const cell of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(cell) !== b.get(cell)) out.push({ cell: cell.replaceAll('\u0000', ' / '), maintained: a.get(cell) ?? 0, recounted: b.get(cell) ?? 0 });
  }
  return out;
}

/** What the live fit reads of the maintained counts (PairCountsRepo; `arena migrate-db` reads a PostgreSQL copy's too). */
export type MaintainedCounts = Pick<PairCountsRepo, 'tallies' | 'promptTotal' | 'largestPromptCounts' | 'promptsAbove' | 'promptTallies'>;

/**
 * The live fit's input from the maintained counts of `category`, with prompt deduplication decided
 * from the per-prompt counts as frequentPrompts decides it from all of them: the cap from the
 * largest few counts, then the votes of the prompts above it. Run inside a read transaction.
 */
export function maintainedFitInput(repo: MaintainedCounts, category: string, dedupTopShare: number): FitInput {
  const tallies = repo.tallies(category);
  if (dedupTopShare <= 0) return inputOfCounts(tallies, null);
  // prompt_counts counts the prompts of every public arena vote, not of one category.
  if (category !== 'all') throw new Error('prompt deduplication from maintained counts is kept for all votes only');
  const total = repo.promptTotal();
  const largest = total > 0 ? repo.largestPromptCounts(capDepth(total, dedupTopShare)) : [];
  const cap = total > 0 ? capFromLargest(largest, total, dedupTopShare) : Infinity;
  const frequent = Number.isFinite(cap) ? repo.promptsAbove(cap).sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1)) : [];
  const prompts = repo.promptTallies(frequent.map((f) => f.key));
  return inputOfCounts(tallies, { topShare: dedupTopShare, cap: frequent.length > 0 ? cap : Infinity, frequent, tallies: prompts });
}
