/**
 * How the evaluation pages write their figures, in the page's language: shares as percentages,
 * κ, ρ and ratings with a fixed number of decimals, and '–' for a figure there is none of.
 */
import type { I18n } from '../i18n/i18n.svelte.ts';

export const NONE = '–';

export interface EvalFormat {
  /** A share (0–1) as a whole percentage. */
  pct(share: number | null): string;
  /** A figure with exactly `digits` decimals; never "-0.00" for something that rounds to zero. */
  fixed(value: number | null, digits?: number): string;
  /** A rating (Bradley-Terry or Elo, around 1000): a score, written without grouping as the standings write it. */
  rating(value: number | null, digits?: number): string;
  /** A count. */
  count(value: number): string;
}

export function evalFormat(i18n: I18n): EvalFormat {
  return {
    pct: (share) => (share === null ? NONE : i18n.percent(share)),
    fixed: (value, digits = 2) =>
      value === null ? NONE : i18n.number(Number(value.toFixed(digits)) || 0, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    rating: (value, digits = 0) =>
      value === null ? NONE : i18n.number(value, { useGrouping: false, minimumFractionDigits: digits, maximumFractionDigits: digits }),
    count: (value) => i18n.number(value),
  };
}
