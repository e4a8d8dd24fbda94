/**
 * Permanent links of the pages that show one thing: a model, a battle, a snapshot. Ids are
 * encoded (a model id may hold `/` or spaces), so every link parses back to the id it was made from.
 */

export const modelHref = (id: string): string => `#/models/${encodeURIComponent(id)}`;
export const battleHref = (id: string): string => `#/battles/${encodeURIComponent(id)}`;
export const snapshotHref = (id: string): string => `#/snapshots/${encodeURIComponent(id)}`;

/** The id in `#/<section>/<id>` (before any `?query`), decoded; null when the hash is not such a link. */
export function idIn(hash: string, section: 'models' | 'battles' | 'snapshots'): string | null {
  const raw = new RegExp(`^#/${section}/([^?#]+)`).exec(hash)?.[1];
  if (raw === undefined) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The `?query` of a hash route, e.g. `#/history?q=코딩&offset=25`. */
export function hashQuery(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
}

/** `#/path` with the given query (empty values left out). */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
