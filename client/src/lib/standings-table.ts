/** The leaderboard table's columns: how each sorts and how its numbers read. Pure, unit-tested. */
import type { StandingsEntry } from '../../../protocol/standings.ts';
import type { SortKey, SortSpec } from './standings-view.ts';

type SortValue = number | string | null;

/** Hangul, then other scripts, in the reader's order; numbers inside names by value (7B before 13B). */
const collator = new Intl.Collator(['ko', 'en'], { numeric: true, sensitivity: 'base' });

const VALUE: Record<SortKey, (e: StandingsEntry) => SortValue> = {
  rank: (e) => e.rankUB,
  name: (e) => e.name.normalize('NFC'),
  rating: (e) => (e.separated ? null : e.rating),
  votes: (e) => e.battles,
  elo: (e) => e.elo,
  winRate: (e) => e.winRate,
  latency: (e) => e.speed?.medianLatencyMs ?? null,
  tokensPerSecond: (e) => e.speed?.medianTokensPerSecond ?? null,
  cost: (e) => e.costPer1kAnswersUsd,
};

/**
 * The entries in the order asked, missing values last whichever the direction, ties in the
 * server's order. `ranked: false` (provisional models) has no rank to sort by: the server's order.
 */
export function sortEntries(entries: readonly StandingsEntry[], sort: SortSpec, ranked = true): StandingsEntry[] {
  const value = sort.key === 'rank' && !ranked ? () => null : VALUE[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return entries
    .map((entry, index) => ({ entry, index, v: value(entry) }))
    .sort((x, y) => {
      if (x.v === null || y.v === null) return x.v === y.v ? x.index - y.index : x.v === null ? 1 : -1;
      const order = typeof x.v === 'string' ? collator.compare(x.v, String(y.v)) : x.v - (y.v as number);
      return order === 0 ? x.index - y.index : sign * order;
    })
    .map((row) => row.entry);
}

const DASH = '–';

/** `+12/−9`: how far the 95% interval reaches above and below the rating. */
export function intervalText(e: Pick<StandingsEntry, 'ci' | 'rating' | 'separated'>): string {
  if (!e.ci || e.separated) return DASH;
  return `+${Math.round(e.ci.upper - e.rating)}/−${Math.round(e.rating - e.ci.lower)}`;
}

export function ratingText(e: Pick<StandingsEntry, 'rating' | 'separated'>): string {
  return e.separated ? DASH : e.rating.toFixed(0);
}

export function percentText(share: number | null): string {
  return share === null ? DASH : `${Math.round(100 * share)}%`;
}

export function durationText(ms: number | null | undefined): string {
  if (ms == null) return DASH;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function rateText(tokensPerSecond: number | null | undefined): string {
  return tokensPerSecond == null ? DASH : tokensPerSecond.toFixed(0);
}

export function usdText(usd: number | null | undefined): string {
  if (usd == null) return DASH;
  return usd < 0.1 ? `$${usd.toFixed(4)}` : usd < 100 ? `$${usd.toFixed(2)}` : `$${Math.round(usd).toLocaleString('en-US')}`;
}

export function eloText(elo: number | null): string {
  return elo === null ? DASH : elo.toFixed(0);
}

/** The rank-change mark and its words: `▲2` "up 2 places", `▼1` "down 1 place", `new`. */
export function rankChange(change: number | null): { mark: string; words: string } | null {
  if (change === null) return { mark: 'new', words: 'new in this view since the previous update' };
  if (change === 0) return null;
  const places = Math.abs(change) === 1 ? 'place' : 'places';
  return change > 0 ? { mark: `▲${change}`, words: `up ${change} ${places}` } : { mark: `▼${-change}`, words: `down ${-change} ${places}` };
}
