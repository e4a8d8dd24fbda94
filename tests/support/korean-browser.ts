/**
 * A Korean visitor's browser for the record pages' Korean passes: `ko-KR` (tests/support/browser.ts
 * launches Chromium in English), Seoul time, signed in with the cookie of a real sign-in over HTTP
 * (the sign-in form's words are another page's), and what such a page writes for a date.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { login } from './auth.ts';
import { wordsIn } from './words.ts';

export const SEOUL = 'Asia/Seoul';

export async function koreanContext(browser: Browser, url: string, who: string | null, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options, locale: 'ko-KR', timezoneId: SEOUL });
  if (who) {
    const cookie = await login({ url }, who);
    const split = cookie.indexOf('=');
    await context.addCookies([{ name: cookie.slice(0, split), value: cookie.slice(split + 1), url }]);
  }
  return context;
}

/**
 * The day of a moment as a Korean page in Seoul writes it (`2026. 12. 1.`): what its date and time
 * starts with. The time after it is left to the browser, whose ICU words the half of the day its own way.
 */
export const koreanDay = (at: number | string): string => wordsIn('ko').date(at, { dateStyle: 'medium', timeZone: SEOUL });
