/**
 * The one place battle history reads the categories votes are filed under. They are decided and
 * stored with the vote by the standings (server/standings/categories.ts): the `categories`
 * column of `votes`, and its `vote_categories` index. A battle has the categories of its vote, so
 * an unvoted battle has none (and is in no category but `all`).
 */
import type { Sqlite } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import { SOURCE_CODE } from '../standings/vote-categories-repo.ts';

/** Each listed battle's categories (battles without any are left out of the map). */
export function categoriesOf(sqlite: Sqlite, battleIds: readonly string[]): Map<string, CategoryId[]> {
  if (battleIds.length === 0) return new Map();
  const rows = sqlite
    .prepare(
      `SELECT battle_id, categories FROM votes
       WHERE battle_id IN (SELECT value FROM json_each(?)) AND categories IS NOT NULL AND categories <> '[]'`,
    )
    .raw()
    .all(JSON.stringify(battleIds)) as Array<[string, string]>;
  return new Map(rows.map(([id, json]) => [id, JSON.parse(json) as CategoryId[]]));
}

/**
 * A condition on the battle `b` (and its vote `v`) for "filed under this category", with its
 * parameters; `all` is no condition. One primary-key lookup in the index per battle, so the
 * history still walks its time index newest first and stops at the page.
 */
export function categoryCondition(category: CategoryId): { sql: string; params: unknown[] } | null {
  if (category === 'all') return null;
  return {
    sql: `v.id IS NOT NULL AND EXISTS (SELECT 1 FROM vote_categories c WHERE c.category = ? AND c.source = ${SOURCE_CODE.arena} AND c.vote_id = v.id)`,
    params: [category],
  };
}
