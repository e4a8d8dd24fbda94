/**
 * Words and numbers of the model, history and snapshot pages, in the page's language: categories,
 * votes, statuses, who sees what, dates, durations, money and shares (`historyFormat(i18n)`).
 */
import type { Role } from '../../../protocol/permissions.ts';
import type { BattleSummary, CategoryId } from '../../../protocol/standings.ts';
import type { ModelSpeed, RevealedModels, Winner } from '../../../protocol/types.ts';
import type { MessageKey } from '../i18n/messages-type.ts';
import { categoryWords } from './categories.ts';

/**
 * What these words need of the page's I18n (i18n/i18n.svelte.ts), said here so that this file
 * (and what imports it, the browser tests' expectations among them) needs no browser.
 */
export interface Words {
  t(key: MessageKey, values?: Record<string, string | number | Date | boolean | null | undefined>): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(share: number, digits?: number): string;
  date(value: Date | string | number, options?: Intl.DateTimeFormatOptions): string;
}

/** A figure there is none of. */
export const NONE = '–';

export interface HistoryFormat {
  categoryName(id: CategoryId | string): string;
  /** A view's category as a choice among categories: `all` is every category (beside a "Votes" choice, "All votes" would read as that). */
  viewCategoryName(id: CategoryId | string): string;
  /** The vote in words, with the models' names when they are known. */
  voteText(winner: Winner | null, models: RevealedModels | null): string;
  statusText(status: BattleSummary['status']): string;
  /** Whose battles a visitor of this role sees in the history and on model pages. */
  visibilityText(role: Role | null): string;
  /** A moment (ISO), as date and time in the reader's way. */
  dateTime(iso: string): string;
  /** A UTC day (`2026-12-01`) in the reader's way. */
  day(isoDay: string): string;
  count(x: number | null | undefined): string;
  ms(x: number | null | undefined): string;
  usd(x: number | null | undefined): string;
  perSecond(x: number | null | undefined): string;
  percent(x: number | null | undefined, digits?: number): string;
  /** A rating (around 1000): whole points, written without grouping as the standings write them. */
  rating(x: number | null | undefined): string;
  /** The speed figures in a sentence, leaving out what was not measured (no price, no tokens). */
  speedText(s: ModelSpeed): string;
  /** A chart's axis tick: the digits it has (up to six significant ones), in the reader's way. */
  tick(x: number): string;
  /** A chart's tick on a time axis of days from `first` to `last`: day and month, the year too when they span more than one. */
  dayTick(first: Date, last: Date): (d: Date) => string;
}

export function historyFormat(i18n: Words): HistoryFormat {
  const or = (x: number | null | undefined, f: (x: number) => string) => (x == null ? NONE : f(x));
  const format: HistoryFormat = {
    categoryName: (id) => categoryWords(i18n, id),
    viewCategoryName: (id) => (id === 'all' ? i18n.t('history.search.everyCategory') : format.categoryName(id)),
    voteText(winner, models) {
      if (winner === 'a' || winner === 'b') return i18n.t(`history.vote.${winner}`, { name: models?.[winner].name ?? winner.toUpperCase() });
      return i18n.t(`history.vote.${winner ?? 'none'}`);
    },
    statusText: (status) => i18n.t(`history.status.${status}`),
    visibilityText(role) {
      const worded = role === 'admin' || role === 'member' || role === 'anonymous' || role === 'viewer';
      return i18n.t(`history.visibility.${worded ? role : 'other'}`);
    },
    dateTime: (iso) => i18n.date(iso),
    day: (isoDay) => i18n.date(`${isoDay}T00:00:00Z`, { dateStyle: 'medium', timeZone: 'UTC' }),
    count: (x) => or(x, (n) => i18n.number(n)),
    ms: (x) =>
      or(x, (n) =>
        n < 1000
          ? i18n.t('history.units.ms', { value: i18n.number(Math.round(n)) })
          : i18n.t('history.units.seconds', { value: i18n.number(n / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }),
      ),
    usd: (x) =>
      or(x, (n) => i18n.number(n, { style: 'currency', currency: 'USD', minimumFractionDigits: n < 0.01 ? 4 : 2, maximumFractionDigits: n < 0.01 ? 4 : 2 })),
    perSecond: (x) => or(x, (n) => i18n.t('history.units.perSecond', { value: i18n.number(n, { maximumFractionDigits: 0 }) })),
    percent: (x, digits = 0) => or(x, (n) => i18n.percent(n, digits)),
    rating: (x) => or(x, (n) => i18n.number(n, { maximumFractionDigits: 0, useGrouping: false })),
    speedText(s) {
      const figures = [
        s.medianTtftMs !== null ? i18n.t('model.speed.ttft', { median: format.ms(s.medianTtftMs), p90: format.ms(s.p90TtftMs) }) : null,
        s.medianLatencyMs !== null ? i18n.t('model.speed.latency', { median: format.ms(s.medianLatencyMs) }) : null,
        s.medianTokensPerSecond !== null ? format.perSecond(s.medianTokensPerSecond) : null,
        s.medianOutputTokens !== null ? i18n.t('model.speed.outputTokens', { count: s.medianOutputTokens }) : null,
        s.medianCostUsd !== null ? i18n.t('model.speed.cost', { cost: format.usd(s.medianCostUsd) }) : null,
        i18n.t('model.speed.failed', { rate: format.percent(s.errorRate, 1) }),
      ].filter(Boolean);
      return i18n.t('model.speed.sentence', { answers: s.answers, figures: figures.join(', ') });
    },
    tick: (x) => i18n.number(x, { maximumSignificantDigits: 6 }),
    dayTick(first, last) {
      const options: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', timeZone: 'UTC' };
      if (first.getUTCFullYear() !== last.getUTCFullYear()) options.year = 'numeric';
      return (d) => i18n.date(d, options);
    },
  };
  return format;
}

/**
 * The models of a battle, only once it is voted: the server already leaves them out before the
 * vote, and the page does not show any it might be sent then.
 */
export function revealedModels(battle: Pick<BattleSummary, 'status' | 'models'>): RevealedModels | null {
  return battle.status === 'voted' ? battle.models : null;
}
