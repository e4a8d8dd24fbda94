/**
 * What `arena import battles` counts of the votes it adds, as it adds them (pure): the maintained
 * counts' cells (`pair_counts`: every public vote under `all` and under each of its categories;
 * `prompt_counts`: per prompt hash), exactly what pair-counts-repo.ts's recount of the same votes
 * gives, and the counted votes in the order the online Elo takes them (vote time, then insertion),
 * so neither needs a million rows read back.
 */
import type { Winner } from '../../protocol/types.ts';
import { type EloRecord, newEloRecord, recordGame } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';

/** One cell of `pair_counts`, or one row of `prompt_counts`. */
export interface TallyCell {
  category: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  n: number;
}

const WINNERS: readonly Winner[] = ['a', 'b', 'tie', 'bothbad'];
const WINNER_CODE: Record<Winner, number> = { a: 0, b: 1, tie: 2, bothbad: 3 };

export interface TalliedVote {
  modelA: string;
  modelB: string;
  winner: Winner;
  /** Only counted votes are public (and counted, and rated). */
  counted: boolean;
  categories: readonly string[];
  promptHash: string;
  at: number;
}

export class ImportTally {
  readonly #models: string[] = [];
  readonly #modelIndex = new Map<string, number>();
  /** Ordered pairs of models as they appear: pairOf[a][b] is the pair's number, pairA/pairB its models. */
  readonly #pairOf: number[][] = [];
  readonly #pairA: number[] = [];
  readonly #pairB: number[] = [];
  /** Per category, count by pair number × 4 + outcome code (small integers: a dense array). */
  readonly #cells = new Map<string, number[]>();
  readonly #prompts = new Map<string, number>();
  /** The counted votes, in insertion order: model numbers, outcome codes, times. */
  readonly #eloA: number[] = [];
  readonly #eloB: number[] = [];
  readonly #eloWinner: number[] = [];
  readonly #eloAt: number[] = [];

  add(vote: TalliedVote): void {
    if (!vote.counted) return;
    const a = this.#model(vote.modelA);
    const b = this.#model(vote.modelB);
    const w = WINNER_CODE[vote.winner];
    const key = this.#pair(a, b) * 4 + w;
    this.#count('all', key);
    // vote_categories holds each category of a vote once (INSERT OR IGNORE); 'all' among them counts again, as the recount does.
    const { categories } = vote;
    if (categories.length === 1) this.#count(categories[0]!, key);
    else for (const category of new Set(categories)) this.#count(category, key);
    if (vote.promptHash !== '' && vote.modelA !== vote.modelB) this.#prompts.set(vote.promptHash, (this.#prompts.get(vote.promptHash) ?? 0) + 1);
    this.#eloA.push(a);
    this.#eloB.push(b);
    this.#eloWinner.push(w);
    this.#eloAt.push(vote.at);
  }

  /** The `pair_counts` cells of the tallied votes. */
  cells(): TallyCell[] {
    const out: TallyCell[] = [];
    for (const [category, counts] of this.#cells) {
      counts.forEach((n, key) => {
        const pair = key >> 2;
        out.push({ category, modelA: this.#models[this.#pairA[pair]!]!, modelB: this.#models[this.#pairB[pair]!]!, winner: WINNERS[key & 3]!, n });
      });
    }
    return out;
  }

  /** The `prompt_counts` rows of the tallied votes. */
  prompts(): Array<[promptHash: string, n: number]> {
    return [...this.#prompts];
  }

  /** Counted votes tallied. */
  get counted(): number {
    return this.#eloA.length;
  }

  /**
   * The online Elo of the tallied votes alone, taken by vote time and then in the order they were
   * added (what ratings-repo.ts's recompute does when they are all the public votes there are);
   * models in order of their first game, as the recompute stores them.
   */
  onlineElo(k: number): Map<string, EloRecord> {
    const at = this.#eloAt;
    const order = Array.from({ length: at.length }, (_, i) => i);
    if (!isSorted(at)) order.sort((x, y) => at[x]! - at[y]! || x - y);
    const state = new Map<string, EloRecord>();
    for (const i of order) {
      const a = this.#models[this.#eloA[i]!]!;
      const b = this.#models[this.#eloB[i]!]!;
      if (a === b) continue;
      const score = scoreOfA(outcomeFromDbWinner(WINNERS[this.#eloWinner[i]!]!));
      const [ra, rb] = recordGame(state.get(a) ?? newEloRecord(), state.get(b) ?? newEloRecord(), score, k);
      state.set(a, ra);
      state.set(b, rb);
    }
    return state;
  }

  #model(id: string): number {
    let index = this.#modelIndex.get(id);
    if (index === undefined) {
      index = this.#models.length;
      this.#models.push(id);
      this.#modelIndex.set(id, index);
    }
    return index;
  }

  #pair(a: number, b: number): number {
    let row = this.#pairOf[a];
    if (row === undefined) {
      row = [];
      this.#pairOf[a] = row;
    }
    let pair = row[b];
    if (pair === undefined) {
      pair = this.#pairA.length;
      row[b] = pair;
      this.#pairA.push(a);
      this.#pairB.push(b);
    }
    return pair;
  }

  #count(category: string, key: number): void {
    let counts = this.#cells.get(category);
    if (counts === undefined) {
      counts = [];
      this.#cells.set(category, counts);
    }
    counts[key] = (counts[key] ?? 0) + 1;
  }
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
  return true;
}
