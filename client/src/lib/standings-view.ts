/**
 * The leaderboard's view in its URL, `#/leaderboard?category=coding&votes=all&sort=votes`, so a
 * link can be shared and a reload shows the same table. Only what differs from the defaults is
 * written (the plain link stays `#/leaderboard`); a value the contract's schema refuses (a link
 * edited by hand) falls back to its default instead of breaking the page.
 */
import type { StandingsView, StandingsViewInput } from '../../../protocol/standings.ts';

export const SORT_KEYS = ['rank', 'name', 'rating', 'votes', 'elo', 'winRate', 'latency', 'tokensPerSecond', 'cost'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  key: SortKey;
  dir: SortDirection;
}

/** The direction a column sorts in first: best first (low rank, low latency and cost, high the rest). */
export function naturalDirection(key: SortKey): SortDirection {
  return key === 'rank' || key === 'name' || key === 'latency' || key === 'cost' ? 'asc' : 'desc';
}

export const DEFAULT_SORT: SortSpec = { key: 'rank', dir: 'asc' };
/** `standingsViewSchema.parse({})` (the unit tests hold the two together). */
export const DEFAULT_VIEW: StandingsView = { method: 'elo', category: 'all', votes: 'blind', deprecated: '0', styleControl: '0' };

export interface LeaderboardLocation {
  view: StandingsView;
  sort: SortSpec;
}

export const LEADERBOARD_PATH = '#/leaderboard';

/**
 * Each field of `standingsViewSchema` (protocol/standings.ts), read from text the way it reads
 * it, or undefined when it refuses the text. The page does not import the schema itself: zod
 * would make the leaderboard's bundle ten times larger. tests/unit/client/standings-view.test.ts
 * checks these against the schema, field by field, so the two cannot drift apart.
 */
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T | undefined =>
    values.find((v) => v === raw);
// Tags come from data and may be Korean: letters and digits of any script, as the schema allows.
const CATEGORY = /^(all|lang:(ko|en|zh|ja|other)|coding|math|long|multi_turn|evaluation|tag:[\p{L}\p{N}_ .:/+-]{1,64})$/u;
function isoDate(raw: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const date = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(raw) ? raw : undefined;
}
function count(raw: string): number | undefined {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 1_000_000 ? n : undefined;
}
export const VIEW_FIELDS: { [K in keyof StandingsView]-?: (raw: string) => StandingsView[K] | undefined } = {
  method: oneOf('elo', 'bt'),
  category: (raw) => (raw.length <= 80 && CATEGORY.test(raw) ? raw : undefined),
  votes: oneOf('blind', 'all'),
  from: isoDate,
  to: isoDate,
  minVotes: count,
  deprecated: oneOf('0', '1'),
  styleControl: oneOf('0', '1'),
};
const VIEW_KEYS = Object.keys(VIEW_FIELDS) as Array<keyof StandingsView>;

/** Reads the view and sort from the query part of the hash (`category=coding&sort=votes`). */
export function parseLocation(query: string): LeaderboardLocation {
  const params = new URLSearchParams(query);
  const view: Record<string, unknown> = {};
  for (const key of VIEW_KEYS) {
    const raw = params.get(key);
    // An empty value is no value (`minVotes=` must not count as 0).
    view[key] = (raw ? VIEW_FIELDS[key](raw) : undefined) ?? DEFAULT_VIEW[key];
  }
  const key = SORT_KEYS.find((k) => k === params.get('sort')) ?? DEFAULT_SORT.key;
  const dirParam = params.get('dir');
  const dir: SortDirection = dirParam === 'asc' || dirParam === 'desc' ? dirParam : naturalDirection(key);
  return { view: view as StandingsView, sort: { key, dir } };
}

/** The view without its defaults: what the URL shows and the subscription sends. */
export function viewInput(view: StandingsView): StandingsViewInput {
  const input: Record<string, unknown> = {};
  for (const key of VIEW_KEYS) if (view[key] !== undefined && view[key] !== DEFAULT_VIEW[key]) input[key] = view[key];
  return input as StandingsViewInput;
}

/** `#/leaderboard` with the view and sort that differ from the defaults. */
export function leaderboardHash({ view, sort }: LeaderboardLocation): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(viewInput(view))) params.set(key, String(value));
  if (sort.key !== DEFAULT_SORT.key) params.set('sort', sort.key);
  if (sort.dir !== naturalDirection(sort.key)) params.set('dir', sort.dir);
  const query = params.toString().replaceAll('%3A', ':');
  return query ? `${LEADERBOARD_PATH}?${query}` : LEADERBOARD_PATH;
}

/**
 * The admin's Publish snapshot form (`#/admin/snapshots?…`) with this view. The method is always
 * written: the form (like the server) takes Bradley-Terry when the link names none, and the
 * leaderboard's default is Elo.
 */
export function publishSnapshotHref(view: StandingsView): string {
  const params = new URLSearchParams({ method: view.method });
  for (const [key, value] of Object.entries(viewInput(view))) params.set(key, String(value));
  return `#/admin/snapshots?${params.toString().replaceAll('%3A', ':')}`;
}

/** The query part of a `#/leaderboard?…` hash; '' for any other. */
export function hashQuery(hash: string): string {
  return hash.startsWith(LEADERBOARD_PATH) ? (hash.split('?')[1] ?? '') : '';
}

/**
 * Whether standings computed for `computed` answer the view `wanted`. Without a threshold of its
 * own, `wanted` takes the server's default, which the server may write into the view it answers.
 */
export function sameView(computed: StandingsView, wanted: StandingsView): boolean {
  return VIEW_KEYS.every((key) => (key === 'minVotes' && wanted.minVotes === undefined) || computed[key] === wanted[key]);
}
