/**
 * The one place battle history reads the categories votes are filed under. They are computed
 * and stored by the standings (server/standings/categories.ts, another branch); until their
 * column exists no battle has a category. TODO(categories): the lead wires both functions to it.
 */
import type { Sqlite } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';

/** Each listed battle's categories (battles without any are left out of the map). */
export function categoriesOf(_sqlite: Sqlite, _battleIds: readonly string[]): Map<string, CategoryId[]> {
  return new Map();
}

/**
 * A condition on the battle `b` (and its vote `v`) for "filed under this category", with its
 * parameters; `all` is no condition. Until categories are stored, no battle is in any other.
 */
export function categoryCondition(category: CategoryId): { sql: string; params: unknown[] } | null {
  if (category === 'all') return null;
  return { sql: '0', params: [] };
}
