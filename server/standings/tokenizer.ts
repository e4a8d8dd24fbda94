/**
 * gpt-tokenizer (o200k, the encoding of current OpenAI models, kinder to Hangul than cl100k), loaded
 * on first use: its token table takes 66 MB and 0.2 s to load. Shared by the `long` category and
 * the answers' style features.
 */
import { createRequire } from 'node:module';

export type Tokenizer = Pick<typeof import('gpt-tokenizer'), 'isWithinTokenLimit' | 'countTokens'>;
let loaded: Tokenizer | null = null;

export function tokenizer(): Tokenizer {
  loaded ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  return loaded;
}

/** Tokens of a text, by the real tokenizer (not a word count). */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : tokenizer().countTokens(text);
}
