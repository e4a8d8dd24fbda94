/**
 * The page's language: English or Korean, from the browser (`navigator.languages`) unless the
 * visitor chose one (kept in localStorage), with `<html lang>` following it. Messages are ICU
 * MessageFormat strings (plurals, numbers, dates) formatted by FormatJS's intl-messageformat;
 * numbers, percentages, money and dates go through `Intl` for the locale.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { ErrorBody } from '../../../protocol/errors.ts';
import { CATALOGUES, LOCALES, type Locale, messageAt } from './catalogue.ts';
import type { MessageKey } from './messages-type.ts';

const STORAGE_KEY = 'arena.locale';

export function preferredLocale(languages: readonly string[], stored: string | null): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base && (LOCALES as readonly string[]).includes(base)) return base as Locale;
  }
  return 'en';
}

export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

/** A piece of a message with markup: plain text, or text inside one of the message's tags (`<b>…</b>`). */
export interface RichPart {
  text: string;
  tag: string | null;
}

export class I18n {
  #locale = $state<Locale>('en');
  readonly #formats = new Map<string, IntlMessageFormat>();

  constructor(locale: Locale) {
    this.#locale = locale;
  }

  /** From the browser: the stored choice, else the first supported of `navigator.languages`. */
  static fromBrowser(): I18n {
    const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    const languages = typeof navigator === 'undefined' ? [] : navigator.languages;
    return new I18n(preferredLocale(languages, stored));
  }

  get locale(): Locale {
    return this.#locale;
  }

  /** The visitor's choice: kept across visits. */
  setLocale(locale: Locale): void {
    this.#locale = locale;
    if (typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, locale);
  }

  /** The message in the current language, with its placeholders filled (ICU: `{count, plural, …}`). */
  t(key: MessageKey, values?: MessageValues): string {
    const source = messageAt(CATALOGUES[this.#locale], key);
    if (!values && !source.includes('{')) return source;
    return String(this.#format(key, source).format(values as Record<string, string | number | Date | boolean>));
  }

  /**
   * A message with markup as parts, for a component to render as elements: values stay text,
   * never HTML (a model's name is shown as written, whatever it contains).
   */
  rich(key: MessageKey, values: MessageValues = {}): RichPart[] {
    const format = this.#format(key, messageAt(CATALOGUES[this.#locale], key));
    const tags = Object.fromEntries(
      [
        ...format.getAst().flatMap(function collect(node): string[] {
          return node.type === 8 ? [node.value, ...node.children.flatMap(collect)] : [];
        }),
      ].map((tag) => [tag, (chunks: unknown[]) => ({ text: chunks.join(''), tag })]),
    );
    const out = format.formatToParts<RichPart>({ ...(values as Record<string, string | number>), ...tags });
    return out.map((part) => (typeof part.value === 'object' && part.value !== null ? (part.value as RichPart) : { text: String(part.value), tag: null }));
  }

  #format(key: string, source: string): IntlMessageFormat {
    const cacheKey = `${this.#locale}\u0000${key}`;
    let format = this.#formats.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(source, this.#locale);
      this.#formats.set(cacheKey, format);
    }
    return format;
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.#locale, options).format(value);
  }

  percent(share: number, digits = 0): string {
    return this.number(share, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits });
  }

  /** Money is priced in US dollars: shown as such, in the locale's way of writing numbers. */
  usd(value: number, digits = 4): string {
    return this.number(value, { style: 'currency', currency: 'USD', maximumFractionDigits: digits, minimumFractionDigits: Math.min(2, digits) });
  }

  date(value: Date | string | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
    return new Intl.DateTimeFormat(this.#locale, options).format(new Date(value));
  }

  /**
   * What to tell the visitor about a refusal. The server words it in English, precisely (which limit,
   * which field): shown as is in English; other languages get the text for its code (naming the field
   * when one is to blame) with the server's words after it for the detail a code cannot carry.
   */
  error(body: Pick<ErrorBody, 'code' | 'message' | 'field' | 'retryAfterMs'>): string {
    if (this.#locale === 'en' && body.message) return body.message;
    const key = `common.errors.${body.code}` as MessageKey;
    if (messageAt(CATALOGUES[this.#locale], key, null) === null) return body.message;
    const seconds = body.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(body.retryAfterMs / 1000));
    const text = this.t(key, { field: body.field ?? 'none', seconds: seconds ?? 0, hasRetry: seconds === null ? 'no' : 'yes' });
    return body.message ? `${text} (${body.message})` : text;
  }
}
