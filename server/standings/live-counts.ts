/**
 * The maintained counts of every public vote, kept by the reader that fits them between its
 * refreshes (the standings worker): each refresh adds only the votes with larger ids than the last
 * one saw, instead of reading the whole table of cells again (at 3M votes and 200 models, 157k
 * cells and the 30k votes of the frequent prompts: most of a refresh). That is exact while
 * `counts_maintenance.rewrites` stays the same: every write that changes the counts other than by
 * adding a vote bumps it (migration 0013), and vote ids only grow (AUTOINCREMENT). Otherwise, or
 * after a large batch (an import), the counts are read again in full. Not seen until then: SQL
 * that edits the count tables themselves (drift that `arena recount` reports; its --fix rebuilds
 * them and raises the counter) or renumbers vote ids.
 *
 * What it gives is what PairCountsRepo gives, in the same order, so the fit's input is the same to
 * the last bit either way (tests/integration/pair-counts.test.ts).
 */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';
import type { PairTally } from './fit-input.ts';
import { type MaintainedCounts, PairCountsRepo } from './pair-counts-repo.ts';

/** Past this many new votes, reading the counts again costs less than adding the votes. */
const MAX_ADDED = 50_000;

interface Marks {
  rewrites: number;
  votes: number;
  evalVotes: number;
}

type AddedVote = [modelA: string, modelB: string, winner: Winner, promptHash: string | null];

/** One unordered pair's tally, and which of its two orders (model_a, model_b) have votes. */
interface Pair {
  tally: PairTally;
  /** A (first, second) row exists: it then comes first in (model_a, model_b) order. */
  firstOrder: boolean;
}

const pairKey = (first: string, second: string) => `${first}\u0000${second}`;

/** Adds n votes of one ordered cell to a pair table, as mergeSides merges ordered rows into unordered pairs. */
function addVotes(pairs: Map<string, Pair>, modelA: string, modelB: string, winner: Winner, n: number): void {
  const swapped = modelB < modelA;
  const first = swapped ? modelB : modelA;
  const second = swapped ? modelA : modelB;
  const key = pairKey(first, second);
  let pair = pairs.get(key);
  if (!pair) {
    pair = { tally: { first, second, firstWins: 0, secondWins: 0, ties: 0 }, firstOrder: false };
    pairs.set(key, pair);
  }
  if (!swapped) pair.firstOrder = true;
  if (winner === 'a') pair.tally[swapped ? 'secondWins' : 'firstWins'] += n;
  else if (winner === 'b') pair.tally[swapped ? 'firstWins' : 'secondWins'] += n;
  else if (winner === 'tie' || winner === 'bothbad') pair.tally.ties += n;
}

/**
 * Where a pair comes in SQLite's (model_a, model_b) order: at its first ordered row. Model ids are
 * ASCII (the config's id pattern), so code-unit order is SQLite's BINARY order.
 */
function sqlOrder(x: Pair, y: Pair): number {
  const [xa, xb] = x.firstOrder ? [x.tally.first, x.tally.second] : [x.tally.second, x.tally.first];
  const [ya, yb] = y.firstOrder ? [y.tally.first, y.tally.second] : [y.tally.second, y.tally.first];
  return xa < ya ? -1 : xa > ya ? 1 : xb < yb ? -1 : xb > yb ? 1 : 0;
}

/** A frequent prompt's votes per pair, listed as PairCountsRepo.promptTallies lists them. */
class PromptPairs {
  readonly #pairs = new Map<string, Pair>();
  #listed: Array<PairTally & { prompt: string }> | null = null;

  constructor(readonly prompt: string) {}

  add(modelA: string, modelB: string, winner: Winner, n = 1): void {
    addVotes(this.#pairs, modelA, modelB, winner, n);
    this.#listed = null;
  }

  list(): ReadonlyArray<PairTally & { prompt: string }> {
    this.#listed ??= [...this.#pairs.values()].sort(sqlOrder).map((p) => ({ prompt: this.prompt, ...p.tally }));
    return this.#listed;
  }
}

export class LiveCounts implements MaintainedCounts {
  readonly #repo: PairCountsRepo;
  readonly #q: {
    marks: Statement<[], Marks>;
    votes: Statement<[number, number]>;
    evalVotes: Statement<[number, number]>;
    promptCount: Statement<[string]>;
    promptCells: Statement<[string]>;
  };
  #marks: Marks | null = null;
  /** How the last sync brought the counts up to date. */
  lastSync: 'added' | 'read' | null = null;
  readonly #pairs = new Map<string, Pair>();
  #promptTotal = 0;
  readonly #prompts = new Map<string, PromptPairs>();

  constructor(sqlite: Sqlite) {
    this.#repo = new PairCountsRepo(sqlite);
    this.#q = {
      marks: sqlite.prepare(
        `SELECT (SELECT rewrites FROM counts_maintenance WHERE id = 1) AS rewrites,
           (SELECT coalesce(max(id), 0) FROM votes) AS votes, (SELECT coalesce(max(id), 0) FROM eval_votes) AS evalVotes`,
      ),
      votes: sqlite.prepare<[number, number]>('SELECT model_a, model_b, winner, prompt_hash FROM votes WHERE id > ? AND id <= ? AND counted = 1').raw(),
      evalVotes: sqlite
        .prepare<[number, number]>(
          `SELECT v.model_a, v.model_b, v.winner, '' FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id
           WHERE v.id > ? AND v.id <= ? AND e.count_in_public = 1`,
        )
        .raw(),
      promptCount: sqlite.prepare<[string]>('SELECT n FROM prompt_counts WHERE prompt_hash = ?').pluck(),
      // PairCountsRepo.promptTallies's votes, by ordered cell: which orders of a pair have votes decides its place.
      promptCells: sqlite
        .prepare<[string]>(
          `SELECT prompt_hash, model_a, model_b, winner, count(*) FROM votes
           WHERE prompt_hash IN (SELECT value FROM json_each(?)) AND prompt_hash != '' AND counted = 1 AND model_a != model_b
           GROUP BY prompt_hash, model_a, model_b, winner`,
        )
        .raw(),
    };
  }

  /**
   * Brings the counts up to what the database holds now: the votes added since the last call, or
   * everything again. Run inside the read transaction that then reads the rest of the fit's input.
   */
  sync(): 'added' | 'read' {
    try {
      return this.#sync();
    } catch (error) {
      this.#forget();
      throw error;
    }
  }

  /** After a failed read the counts may hold half of it: the next sync reads everything. */
  #forget(): void {
    this.#marks = null;
    this.#prompts.clear();
  }

  #sync(): 'added' | 'read' {
    const marks = this.#q.marks.get()!;
    const last = this.#marks;
    const stillAdding = last !== null && marks.rewrites === last.rewrites && marks.votes >= last.votes && marks.evalVotes >= last.evalVotes;
    if (!stillAdding || marks.votes - last.votes + marks.evalVotes - last.evalVotes > MAX_ADDED) {
      this.#readAll();
      this.#marks = marks;
      this.lastSync = 'read';
      return 'read';
    }
    const added = [...(this.#q.votes.all(last.votes, marks.votes) as AddedVote[]), ...(this.#q.evalVotes.all(last.evalVotes, marks.evalVotes) as AddedVote[])];
    const perPrompt = new Map<string, number>();
    for (const [modelA, modelB, winner, prompt] of added) {
      if (modelA === modelB) continue;
      addVotes(this.#pairs, modelA, modelB, winner, 1);
      // As prompt_counts counts: arena votes with a prompt hash (an evaluation vote's is '').
      if (!prompt) continue;
      perPrompt.set(prompt, (perPrompt.get(prompt) ?? 0) + 1);
      this.#prompts.get(prompt)?.add(modelA, modelB, winner);
    }
    // A prompt is new when all of its votes are the ones just added.
    for (const [prompt, n] of perPrompt) if (this.#q.promptCount.get(prompt) === n) this.#promptTotal++;
    this.#marks = marks;
    this.lastSync = 'added';
    return 'added';
  }

  #readAll(): void {
    this.#pairs.clear();
    for (const tally of this.#repo.tallies('all')) this.#pairs.set(pairKey(tally.first, tally.second), { tally, firstOrder: true });
    this.#promptTotal = this.#repo.promptTotal();
    this.#prompts.clear();
  }

  tallies(category: string): PairTally[] {
    if (category !== 'all') throw new Error('live counts are kept for all public votes only');
    return [...this.#pairs.values()].map((p) => p.tally);
  }

  promptTotal(): number {
    return this.#promptTotal;
  }

  largestPromptCounts(k: number): number[] {
    return this.#repo.largestPromptCounts(k);
  }

  promptsAbove(cap: number): Array<{ key: string; count: number }> {
    return this.#repo.promptsAbove(cap);
  }

  /** In the repository's order: prompts by hash, each one's pairs in (model_a, model_b) order. */
  promptTallies(prompts: readonly string[]): Array<PairTally & { prompt: string }> {
    const missing = prompts.filter((p) => !this.#prompts.has(p));
    if (missing.length > 0) {
      const read = new Map(missing.map((p) => [p, new PromptPairs(p)]));
      try {
        for (const [prompt, modelA, modelB, winner, n] of this.#q.promptCells.all(JSON.stringify(missing)) as Array<[string, string, string, Winner, number]>) {
          read.get(prompt)!.add(modelA, modelB, winner, n);
        }
      } catch (error) {
        this.#forget();
        throw error;
      }
      for (const [prompt, pairs] of read) this.#prompts.set(prompt, pairs);
    }
    return [...prompts].sort().flatMap((p) => this.#prompts.get(p)!.list());
  }
}
