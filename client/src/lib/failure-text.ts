/**
 * What to tell the visitor when a request threw, in the page's language. The server words its
 * refusals in English, precisely: English pages show them as they are; other languages get the
 * words for the error code (I18n.error), or the page's own words for a refusal it knows better
 * (`own`: e.g. `unauthorized` on the sign-in form means a wrong password, not "please sign in").
 */
import type { ErrorCode } from '../../../protocol/errors.ts';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { MessageKey } from '../i18n/messages-type.ts';
import { ApiError, errorText } from './http.ts';

/** The page's words for a refusal: by its code, or by code and field (`conflict:id`), which comes first. */
export type OwnWords = Partial<Record<ErrorCode | `${ErrorCode}:${string}`, MessageKey>>;

export function failureText(i18n: Pick<I18n, 'locale' | 't' | 'error'>, err: unknown, own: OwnWords = {}): string {
  // Not an answer at all (the network, or the server gone): the browser's words are English.
  if (!(err instanceof ApiError)) return i18n.error({ code: 'unavailable', message: errorText(err) });
  const { code, field } = err.body;
  const key = (field === undefined ? undefined : own[`${code}:${field}`]) ?? own[code];
  if (key && err.fromServer && i18n.locale !== 'en') return i18n.t(key);
  return i18n.error(err.body);
}
