/**
 * What a FastChat battle record says about its own categories (pure): `language` (a name such as
 * "Korean", or a code such as "ko"), `is_code`, `category_tag` (FastChat's classifier output, e.g.
 * `{"math_v0.1": {"math": true}, "criteria_v0.1": {"specificity": true, …}}`) and a plain
 * `category` string. Whatever is present wins over the arena's own heuristics.
 */
import { type CategoryId, categoryIdSchema } from '../../protocol/standings.ts';
import type { CategoryHints } from '../standings/categories.ts';
import type { LanguageCategory } from '../standings/language.ts';
import type { BattleRecord } from './battle-record.ts';

const LANGUAGES: Record<string, LanguageCategory> = {
  korean: 'lang:ko',
  english: 'lang:en',
  chinese: 'lang:zh',
  japanese: 'lang:ja',
  ko: 'lang:ko',
  en: 'lang:en',
  zh: 'lang:zh',
  ja: 'lang:ja',
};
/** FastChat's "hard prompt": at least this many of its criteria hold. */
const HARD_PROMPT_CRITERIA = 6;

function languageOf(value: unknown): LanguageCategory | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().toLowerCase();
  if (name === '' || name === 'unknown' || name === 'und') return undefined;
  return LANGUAGES[name] ?? LANGUAGES[name.split(/[-_]/)[0]!] ?? 'lang:other';
}

/** `{"math_v0.1": {"math": true}}` → `math`; `{"criteria_v0.1": {"complexity": true}}` → `criteria.complexity`, and `hard_prompt` for six of them. */
function tagsOf(categoryTag: unknown): string[] {
  if (!categoryTag || typeof categoryTag !== 'object') return [];
  const tags: string[] = [];
  for (const [group, value] of Object.entries(categoryTag as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const name = group.replace(/_v\d+(\.\d+)*$/, '');
    const held = Object.entries(value as Record<string, unknown>).filter(([, v]) => v === true);
    for (const [key] of held) tags.push(key === name ? key : `${name}.${key}`);
    if (name === 'criteria' && held.length >= HARD_PROMPT_CRITERIA) tags.push('hard_prompt');
  }
  return tags;
}

export function categoryHintsOf(record: BattleRecord): CategoryHints {
  const language = languageOf(record.language);
  const tags = [...tagsOf(record.category_tag), ...(typeof record.category === 'string' ? [record.category] : [])];
  return {
    ...(language ? { language } : {}),
    ...(typeof record.is_code === 'boolean' ? { coding: record.is_code } : {}),
    ...(typeof record.turn === 'number' ? { turns: record.turn } : {}),
    tags,
  };
}

/**
 * The categories an arena export wrote for the vote (`categories`), when every one is a category
 * id: the same filing again, so a re-imported export keeps its category views. Null otherwise.
 */
export function exportedCategoriesOf(record: BattleRecord): CategoryId[] | null {
  const { categories } = record;
  if (!Array.isArray(categories) || !categories.every((c) => categoryIdSchema.safeParse(c).success && c !== 'all')) return null;
  return [...new Set(categories as CategoryId[])];
}
