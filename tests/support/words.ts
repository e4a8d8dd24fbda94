/**
 * The record pages' words and figures in a language, for browser tests to know what a page should
 * show (client/src/lib/history-format.ts, fed the catalogues). Built here from the catalogues and
 * intl-messageformat as I18n does, because I18n itself needs a browser (localStorage, navigator).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, type Locale, messageAt } from '../../client/src/i18n/catalogue.ts';
import { type HistoryFormat, historyFormat, type Words } from '../../client/src/lib/history-format.ts';

export function wordsIn(locale: Locale): Words {
  const number = (value: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options).format(value);
  return {
    t: (key, values) => String(new IntlMessageFormat(messageAt<string>(CATALOGUES[locale], key), locale).format(values as Record<string, string | number>)),
    number,
    percent: (share, digits = 0) => number(share, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }),
    date: (value, options = { dateStyle: 'medium', timeStyle: 'short' }) => new Intl.DateTimeFormat(locale, options).format(new Date(value)),
  };
}

export const formatIn = (locale: Locale): HistoryFormat => historyFormat(wordsIn(locale));
