/**
 * Ordered (model_a, model_b) tallies merged per unordered pair (pure): what the maintained counts'
 * rows become for the fit (pair-counts-repo.ts), and what the live counts add their new votes to
 * (live-counts.ts).
 */
import type { PairTally } from './fit-input.ts';

/** One ordered pair's row: its wins of model_a, of model_b, and ties of both kinds. */
export type SidesRow = [modelA: string, modelB: string, winsA: number, winsB: number, ties: number];

/** An unordered pair's tally, and whether its (first, second) order had a row of its own. */
export interface MergedPair {
  tally: PairTally;
  /** Then the pair's first row in (model_a, model_b) order is (first, second), else (second, first). */
  firstOrder: boolean;
}

/**
 * Ordered (model_a, model_b) rows merged per unordered pair, `first` sorting before `second`
 * (code-unit order), pairs kept in the order of their first row (the order rows arrive in).
 */
export class PairMerge<K> {
  readonly pairs = new Map<K, MergedPair>();
  readonly #keyOf: (first: string, second: string) => K;

  constructor(keyOf: (first: string, second: string) => K, pairs: Iterable<MergedPair> = []) {
    this.#keyOf = keyOf;
    for (const pair of pairs) this.pairs.set(keyOf(pair.tally.first, pair.tally.second), pair);
  }

  add(modelA: string, modelB: string, winsA: number, winsB: number, ties: number): void {
    const swapped = modelB < modelA;
    const first = swapped ? modelB : modelA;
    const second = swapped ? modelA : modelB;
    const key = this.#keyOf(first, second);
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = { tally: { first, second, firstWins: 0, secondWins: 0, ties: 0 }, firstOrder: false };
      this.pairs.set(key, pair);
    }
    if (!swapped) pair.firstOrder = true;
    pair.tally.firstWins += swapped ? winsB : winsA;
    pair.tally.secondWins += swapped ? winsA : winsB;
    pair.tally.ties += ties;
  }
}

/** The merged pairs of rows of (model_a, model_b, wins of a, wins of b, ties), in their order. */
export function mergeSides(rows: readonly SidesRow[]): MergedPair[] {
  // Models as small integers, so a pair's key is a number, not a concatenated string.
  const ids = new Map<string, number>();
  const idOf = (model: string) => {
    let id = ids.get(model);
    if (id === undefined) {
      id = ids.size;
      ids.set(model, id);
    }
    return id;
  };
  const merge = new PairMerge((first, second) => idOf(first) * 2 ** 26 + idOf(second));
  for (const [modelA, modelB, winsA, winsB, ties] of rows) merge.add(modelA, modelB, winsA, winsB, ties);
  return [...merge.pairs.values()];
}
