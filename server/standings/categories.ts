/**
 * The categories a vote is filed under (pure), decided from its conversation when the vote is
 * recorded: the prompt's language, `coding` (code in the prompt or in either answer), `math`,
 * `long` (prompts over a token count), `multi_turn`, `evaluation` (team evaluations), and `tag:…`
 * for categories that came with imported data. Heuristics, documented in docs/RATINGS.md.
 */

import { BUILT_IN_CATEGORIES, type CategoryId } from '../../protocol/standings.ts';
import { type LanguageCategory, languageOf, proseOf } from './language.ts';
import { tokenizer } from './tokenizer.ts';

/** What a vote was about: the user's prompts (oldest first) and both models' answers. */
export interface Conversation {
  prompts: string[];
  answers: string[];
}

/** What the data itself says (an imported file's fields, an evaluation's prompt set); it wins over the heuristics. */
export interface CategoryHints {
  language?: LanguageCategory;
  coding?: boolean;
  evaluation?: boolean;
  /** Turns of the battle when the conversation is missing or shorter (imports without messages). */
  turns?: number;
  /** Raw category names (cleaned into `tag:` ids). */
  tags?: readonly string[];
}

export interface CategoryOptions {
  longPromptTokens: number;
}

/** Text a prompt contributes to the heuristics at most (the language needs far less). */
const SCAN_CHARS = 20_000;

const FENCE = /(^|\n)[ \t]*(```|~~~)/;
/** Lines that are code in any common language, not prose. */
const CODE_LINE =
  /^\s*(def \w+\s*\(|class \w+[\s:({]|import [\w{*]|from [\w.]+ import |#include\b|function\s*\w*\s*\(|(const|let|var) \w+\s*=|public |private |fn \w+|func \w+|package \w+|using \w+(\.\w+)*;|SELECT\b.+\bFROM\b)|[;{}]\s*$|=>|^\s*(if|for|while)\s*\(.*\)\s*\{?\s*$/;

/** Fenced code anywhere, or several lines that read as code. */
export function containsCode(text: string): boolean {
  if (FENCE.test(text)) return true;
  let lines = 0;
  let code = 0;
  for (const line of text.slice(0, SCAN_CHARS).split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    if (CODE_LINE.test(line)) code++;
  }
  return code >= 3 || (code >= 2 && code * 2 >= lines);
}

const MATH_PATTERNS = [
  // LaTeX
  /\$\$|\\\(|\\\[|\\(frac|int|sum|sqrt|lim|prod|binom|begin\{(equation|align))/,
  // Arithmetic: 12 + 5, 3×4, 2^10, 7 - 2 (a dash between digits needs spaces: dates are not sums).
  /\d\s*[+*×÷^]\s*\d|\d\s+[-/]\s*\d|\d\s*[-/]\s+\d|\d\s*=\s*\?/,
  // Algebra: x^2, 3x + 1 =, x²
  /\b\d*[a-z]\s*\^\s*\d|\b\d+[a-z]\s*[+-]\s*\d+\s*=|[a-z][²³]/i,
  /[√∫∑∏∞≤≥≠±∂]/,
  /\b(solve|equations?|integrals?|derivatives?|differentiate|integrate|probabilit(y|ies)|theorems?|prove that|calculate|arithmetic|algebra|geometry|calculus|matri(x|ces)|eigen\w*|polynomials?|logarithms?|factorials?|prime numbers?)\b/i,
  /방정식|적분|미분|확률|증명|계산(?!기)|수학|행렬|극한|인수분해|方程|积分|微分|概率|证明|计算|数学|矩阵|極限|積分|確率|証明|計算/,
];

export function isMath(prompt: string): boolean {
  const prose = proseOf(prompt.slice(0, SCAN_CHARS));
  return MATH_PATTERNS.some((pattern) => pattern.test(prose));
}

/**
 * More tokens than `limit`? Exact, and the tokenizer runs only between two bounds: a byte-level BPE
 * never makes more tokens than UTF-8 bytes, and never fewer than the text's runs of non-space
 * characters (its pre-tokenizer never joins two of them into one piece).
 */
export function exceedsTokens(text: string, limit: number): boolean {
  if (Buffer.byteLength(text, 'utf8') <= limit) return false;
  let runs = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++runs > limit) return true;
  return tokenizer().isWithinTokenLimit(text, limit) === false;
}

const TAG_CHARS = /[^\p{L}\p{N}_ .:/+-]+/gu;
const MAX_TAG = 64;

/** A category name from data as a `tag:` id: lower case, NFC, other characters as `_`, at most 64 UTF-16 units; null when nothing is left. */
export function tagOf(name: string): CategoryId | null {
  const clean = name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').replace(TAG_CHARS, '_').trim();
  let cut = '';
  for (const ch of clean) {
    if (cut.length + ch.length > MAX_TAG) break;
    cut += ch;
  }
  cut = cut.trim();
  return cut && cut !== '_' ? `tag:${cut}` : null;
}

const ORDER = new Map<string, number>(BUILT_IN_CATEGORIES.map((id, i) => [id, i]));

/** Built-in categories in their order, then tags alphabetically (code point order). */
export function sortCategories(ids: Iterable<CategoryId>): CategoryId[] {
  return [...new Set(ids)].sort((x, y) => (ORDER.get(x) ?? ORDER.size) - (ORDER.get(y) ?? ORDER.size) || (x < y ? -1 : x > y ? 1 : 0));
}

/** The categories of one vote: always exactly one language; `all` is implied and never stored. */
export function categorize(conversation: Conversation, options: CategoryOptions, hints: CategoryHints = {}): CategoryId[] {
  const prompts = conversation.prompts.join('\n\n');
  const out: CategoryId[] = [hints.language ?? languageOf(prompts)];
  const coding = hints.coding ?? [...conversation.prompts, ...conversation.answers].some(containsCode);
  if (coding) out.push('coding');
  if (conversation.prompts.some(isMath)) out.push('math');
  if (exceedsTokens(prompts, options.longPromptTokens)) out.push('long');
  if (Math.max(conversation.prompts.length, hints.turns ?? 0) > 1) out.push('multi_turn');
  if (hints.evaluation) out.push('evaluation');
  for (const name of hints.tags ?? []) {
    const tag = tagOf(name);
    if (tag) out.push(tag);
  }
  return sortCategories(out);
}

/** `categorize` with the configured options bound: what the vote paths are given. */
export type Categorizer = (conversation: Conversation, hints?: CategoryHints) => CategoryId[];

export function categorizer(options: CategoryOptions): Categorizer {
  return (conversation, hints) => categorize(conversation, options, hints);
}
