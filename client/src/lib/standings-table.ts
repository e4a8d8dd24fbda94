/** The leaderboard table's columns: how each sorts and how its numbers read. Pure, unit-tested. */
import type { StandingsEntry } from '../../../protocol/standings.ts';
import type { Words } from './history-format.ts';
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

/** The table's figures in the reader's way of writing numbers (the charts round them alike). */
export interface TableFigures {
  /** `+12/−9`: how far the 95% interval reaches above and below the rating. */
  interval(e: Pick<StandingsEntry, 'ci' | 'rating' | 'separated'>): string;
  rating(e: Pick<StandingsEntry, 'rating' | 'separated'>): string;
  percent(share: number | null): string;
  duration(ms: number | null | undefined): string;
  rate(tokensPerSecond: number | null | undefined): string;
  usd(usd: number | null | undefined): string;
  elo(elo: number | null): string;
  count(n: number): string;
  /** The rank-change mark and its words: `▲2` "up 2 places", `▼1` "down 1 place", `new`. */
  rankChange(change: number | null): { mark: string; words: string } | null;
}

export function tableFigures(i18n: Words): TableFigures {
  const whole = (x: number) => i18n.number(Math.round(x), { useGrouping: false });
  return {
    interval: (e) => (!e.ci || e.separated ? DASH : `+${whole(e.ci.upper - e.rating)}/−${whole(e.rating - e.ci.lower)}`),
    rating: (e) => (e.separated ? DASH : whole(e.rating)),
    percent: (share) => (share === null ? DASH : i18n.percent(share)),
    duration: (ms) =>
      ms == null
        ? DASH
        : ms < 1000
          ? i18n.t('history.units.ms', { value: i18n.number(Math.round(ms)) })
          : i18n.t('history.units.seconds', { value: i18n.number(ms / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }),
    rate: (tokensPerSecond) => (tokensPerSecond == null ? DASH : i18n.number(tokensPerSecond, { maximumFractionDigits: 0 })),
    usd(usd) {
      if (usd == null) return DASH;
      const digits = usd < 0.1 ? 4 : usd < 100 ? 2 : 0;
      return i18n.number(usd, { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits });
    },
    elo: (elo) => (elo === null ? DASH : whole(elo)),
    count: (n) => i18n.number(n),
    rankChange(change) {
      if (change === null) return { mark: i18n.t('leaderboard.table.isNew'), words: i18n.t('leaderboard.table.newWords') };
      if (change === 0) return null;
      return change > 0
        ? { mark: `▲${i18n.number(change)}`, words: i18n.t('leaderboard.table.up', { count: change }) }
        : { mark: `▼${i18n.number(-change)}`, words: i18n.t('leaderboard.table.down', { count: -change }) };
    },
  };
}
