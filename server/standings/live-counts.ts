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
import { type MergedPair, PairMerge } from './pair-merge.ts';

/** Past this many new votes, reading the counts again costs less than adding the votes. */
const MAX_ADDED = 50_000;

interface Marks {
  rewrites: number;
  votes: number;
  evalVotes: number;
}

type AddedVote = [modelA: string, modelB: string, winner: Winner, promptHash: string | null];

const pairKey = (first: string, second: string) => `${first}\u0000${second}`;

/** One vote into a pair table, as the SIDES sums count it (a winner of no known kind adds nothing). */
function addVote(merge: PairMerge<string>, modelA: string, modelB: string, winner: Winner): void {
  merge.add(modelA, modelB, winner === 'a' ? 1 : 0, winner === 'b' ? 1 : 0, winner === 'tie' || winner === 'bothbad' ? 1 : 0);
}

/**
 * Where a pair comes in SQLite's (model_a, model_b) order: at its first ordered row. Model ids are
 * ASCII (the config's id pattern), so code-unit order is SQLite's BINARY order.
 */
function sqlOrder(x: MergedPair, y: MergedPair): number {
  const [xa, xb] = x.firstOrder ? [x.tally.first, x.tally.second] : [x.tally.second, x.tally.first];
  const [ya, yb] = y.firstOrder ? [y.tally.first, y.tally.second] : [y.tally.second, y.tally.first];
  return xa < ya ? -1 : xa > ya ? 1 : xb < yb ? -1 : xb > yb ? 1 : 0;
}

/** A frequent prompt's votes per pair, listed as PairCountsRepo.promptTallies lists them. */
class PromptPairs {
  readonly #merge: PairMerge<string>;
  #listed: Array<PairTally & { prompt: string }> | null = null;

  constructor(
    readonly prompt: string,
    pairs: readonly MergedPair[],
  ) {
    this.#merge = new PairMerge(pairKey, pairs);
  }

  add(modelA: string, modelB: string, winner: Winner): void {
    addVote(this.#merge, modelA, modelB, winner);
    this.#listed = null;
  }

  list(): ReadonlyArray<PairTally & { prompt: string }> {
    this.#listed ??= [...this.#merge.pairs.values()].sort(sqlOrder).map((p) => ({ prompt: this.prompt, ...p.tally }));
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
  };
  #marks: Marks | null = null;
  /** How the last sync brought the counts up to date. */
  lastSync: 'added' | 'read' | null = null;
  #pairs = new PairMerge(pairKey);
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
    };
  }

  /**
   * Brings the counts up to what the database holds now: the votes added since the last call, or
   * everything again. Run inside the read transaction that then reads the rest of the fit's input.
   */
  sync(): void {
    try {
      this.#sync();
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

  #sync(): void {
    const marks = this.#q.marks.get()!;
    const last = this.#marks;
    const stillAdding = last !== null && marks.rewrites === last.rewrites && marks.votes >= last.votes && marks.evalVotes >= last.evalVotes;
    if (!stillAdding || marks.votes - last.votes + marks.evalVotes - last.evalVotes > MAX_ADDED) {
      this.#readAll();
      this.#marks = marks;
      this.lastSync = 'read';
      return;
    }
    const added = [...(this.#q.votes.all(last.votes, marks.votes) as AddedVote[]), ...(this.#q.evalVotes.all(last.evalVotes, marks.evalVotes) as AddedVote[])];
    const perPrompt = new Map<string, number>();
    for (const [modelA, modelB, winner, prompt] of added) {
      if (modelA === modelB) continue;
      addVote(this.#pairs, modelA, modelB, winner);
      // As prompt_counts counts: arena votes with a prompt hash (an evaluation vote's is '').
      if (!prompt) continue;
      perPrompt.set(prompt, (perPrompt.get(prompt) ?? 0) + 1);
      this.#prompts.get(prompt)?.add(modelA, modelB, winner);
    }
    // A prompt is new when all of its votes are the ones just added.
    for (const [prompt, n] of perPrompt) if (this.#q.promptCount.get(prompt) === n) this.#promptTotal++;
    this.#marks = marks;
    this.lastSync = 'added';
  }

  #readAll(): void {
    this.#pairs = new PairMerge(pairKey, this.#repo.pairsOf('all'));
    this.#promptTotal = this.#repo.promptTotal();
    this.#prompts.clear();
  }

  tallies(category: string): PairTally[] {
    if (category !== 'all') throw new Error('live counts are kept for all public votes only');
    return [...this.#pairs.pairs.values()].map((p) => p.tally);
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
      const read = this.#repo.promptPairs(missing);
      for (const p of missing) this.#prompts.set(p, new PromptPairs(p, read.get(p) ?? []));
    }
    return [...prompts].sort().flatMap((p) => this.#prompts.get(p)!.list());
  }
}
