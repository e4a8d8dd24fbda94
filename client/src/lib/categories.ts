/**
 * The built-in categories and their words (common.categories), for every page that names one:
 * leaderboard filters, history, model pages, snapshots.
 */
import type { CategoryId } from '../../../protocol/standings.ts';
import { common as englishCommon } from '../i18n/en/common.ts';
import type { MessageKey } from '../i18n/messages-type.ts';

/** protocol/standings.ts BUILT_IN_CATEGORIES in the same order, without importing its schemas into the page. */
export const CATEGORY_CHOICES = ['all', ...Object.keys(englishCommon.categories)] as CategoryId[];

const named = new Set<string>(Object.keys(englishCommon.categories));

/** A category in words: a built-in one from the catalogue, one imported from a file (`tag:…`) by its tag. `all` is the caller's to word. */
export function categoryWords(i18n: { t(key: MessageKey): string }, id: string): string {
  if (named.has(id)) return i18n.t(`common.categories.${id}` as MessageKey);
  return id.startsWith('tag:') ? id.slice(4) : id;
}
