/**
 * The style of a stored answer, as style control measures it (server/ratings/style-features.ts):
 * its tokens by the real tokenizer and its Markdown outside code, in the columns of `answers` and
 * `eval_generations` (db/columns.ts). Computed when the answer is stored, backfilled for older ones.
 */
import type { StyleCounts } from '../ratings/style-features.ts';
import { styleCounts } from '../ratings/style-features.ts';
import { countTokens } from './tokenizer.ts';

export interface StyleColumns {
  styleTokens: number;
  styleHeaders: number;
  styleListItems: number;
  styleBold: number;
}

/** Style counts of one answer, or of a side's answers summed over its turns. */
export function answerStyle(answer: string | readonly string[]): StyleCounts {
  return styleCounts(answer, countTokens);
}

export function styleColumnsOf(answer: string | readonly string[]): StyleColumns {
  const s = answerStyle(answer);
  return { styleTokens: s.tokens, styleHeaders: s.headers, styleListItems: s.listItems, styleBold: s.bold };
}
