/**
 * The votes of a public Bradley-Terry fit, collected column-wise as they stream out of SQL (pure):
 * the pair and outcome (server/ratings/counts.ts columns), who voted, the prompt's hash (prompt
 * deduplication) and, for style control, both sides' style counts. A few bytes per vote.
 */
import type { Winner } from '../../protocol/types.ts';
import { type BattleColumns, BattleColumnsBuilder, ModelIndex } from '../ratings/counts.ts';
import { OUTCOME_CODE, outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { STYLE_FEATURES, type StyleCounts } from '../ratings/style-features.ts';

/** One vote as a fit reads it. */
export interface FitVote {
  modelA: string;
  modelB: string;
  winner: Winner;
  /** Who voted; null when unknown (each such vote is its own cluster). */
  voter?: string | null | undefined;
  /**
   * The prompt's hash (server/standings/prompt-hash.ts); PROMPT_ASKED_ONCE for a prompt no other
   * vote has (SQL says so without sending the hash); null or '' when not deduplicated (evaluation
   * votes, no stored prompt).
   */
  prompt?: string | null | undefined;
  /** Both answers' style, when style control needs it; null when an answer has none. */
  style?: { a: StyleCounts; b: StyleCounts } | null | undefined;
}

export interface FitVotes {
  columns: BattleColumns;
  /** Per vote: voter index into `voters`, or −1 unknown. */
  voter: Int32Array;
  voters: string[];
  /** Per vote: prompt index into `prompts`; ASKED_ONCE (−2) for a prompt no other vote has; −1 not deduplicated. */
  prompt: Int32Array;
  prompts: string[];
  /** Per vote, 8 numbers (side a's features, then side b's, in STYLE_FEATURES order); NaN when the vote has no style. Null when not collected. */
  style: Float64Array | null;
}

const FEATURES = STYLE_FEATURES.length;

/** A prompt asked by this vote alone (never a hash: hashes are base64url). */
export const PROMPT_ASKED_ONCE = '~';
/** `FitVotes.prompt` of a vote whose prompt no other vote has. */
export const ASKED_ONCE = -2;

export class FitVotesBuilder {
  readonly #columns = new BattleColumnsBuilder();
  readonly #voters = new ModelIndex();
  readonly #prompts = new ModelIndex();
  readonly #withStyle: boolean;
  #length = 0;
  #voter = new Int32Array(1024);
  #prompt = new Int32Array(1024);
  #style: Float64Array | null;

  constructor(opts: { style?: boolean } = {}) {
    this.#withStyle = opts.style ?? false;
    this.#style = this.#withStyle ? new Float64Array(1024 * 2 * FEATURES) : null;
  }

  add(v: FitVote): void {
    if (this.#length === this.#voter.length) this.#grow();
    const k = this.#length++;
    this.#columns.addIds(this.#columns.idOf(v.modelA), this.#columns.idOf(v.modelB), OUTCOME_CODE[outcomeFromDbWinner(v.winner)]);
    this.#voter[k] = v.voter ? this.#voters.idOf(v.voter) : -1;
    this.#prompt[k] = v.prompt === PROMPT_ASKED_ONCE ? ASKED_ONCE : v.prompt ? this.#prompts.idOf(v.prompt) : -1;
    if (this.#style) {
      const at = k * 2 * FEATURES;
      STYLE_FEATURES.forEach((f, i) => {
        this.#style![at + i] = v.style ? v.style.a[f] : NaN;
        this.#style![at + FEATURES + i] = v.style ? v.style.b[f] : NaN;
      });
    }
  }

  build(): FitVotes {
    const n = this.#length;
    return {
      columns: this.#columns.build(),
      voter: this.#voter.slice(0, n),
      voters: this.#voters.names(),
      prompt: this.#prompt.slice(0, n),
      prompts: this.#prompts.names(),
      style: this.#style ? this.#style.slice(0, n * 2 * FEATURES) : null,
    };
  }

  #grow(): void {
    const size = this.#voter.length * 2;
    const voter = new Int32Array(size);
    voter.set(this.#voter);
    this.#voter = voter;
    const prompt = new Int32Array(size);
    prompt.set(this.#prompt);
    this.#prompt = prompt;
    if (this.#style) {
      const style = new Float64Array(size * 2 * FEATURES);
      style.set(this.#style);
      this.#style = style;
    }
  }
}

export function fitVotesOf(votes: Iterable<FitVote>, opts: { style?: boolean } = {}): FitVotes {
  const builder = new FitVotesBuilder(opts);
  for (const v of votes) builder.add(v);
  return builder.build();
}

/** Side `side`'s style counts of vote k, or null. */
export function styleAt(votes: FitVotes, k: number, side: 0 | 1): StyleCounts | null {
  const style = votes.style;
  if (!style) return null;
  const at = k * 2 * FEATURES + side * FEATURES;
  if (Number.isNaN(style[at])) return null;
  return { tokens: style[at]!, headers: style[at + 1]!, listItems: style[at + 2]!, bold: style[at + 3]! };
}
