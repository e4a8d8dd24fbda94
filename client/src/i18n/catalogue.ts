/**
 * The message catalogue: one tree per language, English the reference. `Messages` is the English
 * tree's shape, so a Korean tree missing a message (or with one too many) fails the type check.
 */
import { en } from './en/index.ts';
import { ko } from './ko/index.ts';
import type { Messages } from './messages-type.ts';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

/** The names of the languages, each in itself (for the switcher). */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' };

export type Tree = { readonly [key: string]: string | Tree };

export const CATALOGUES: Record<Locale, Tree> = { en, ko: ko satisfies Messages };

/** The message at a dotted key; `fallback` (default: the key itself) when there is none. */
export function messageAt<F extends string | null = string>(tree: Tree, key: string, fallback?: F): string | F {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : ((fallback === undefined ? key : fallback) as F);
}
