/**
 * Pages in Korean: a Chromium context whose language is ko-KR (the page picks Korean from
 * `navigator.languages`), signed in over HTTP, so a test of one page does not depend on the words
 * of the login page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CSRF_HEADER } from '../../protocol/headers.ts';
import { PASSWORD } from './auth.ts';
import { watchPage } from './browser.ts';

export const KOREAN = { locale: 'ko-KR', viewport: { width: 1280, height: 900 } } as const;

/**
 * A ko-KR context signed in as `email`, with its page open on the arena (its header in Korean) and
 * watched from the start (`problems`, as watchPage). The caller closes the context.
 */
export async function koreanPage(browser: Browser, url: string, email: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext(KOREAN);
  // The context's request API shares its cookie jar: the session cookie set here is the page's.
  const login = await context.request.post(`${url}/api/auth/login`, { headers: { [CSRF_HEADER]: '1' }, data: { email, password: PASSWORD } });
  if (!login.ok()) throw new Error(`sign-in of ${email} failed: HTTP ${login.status()} ${await login.text()}`);
  const page = await context.newPage();
  const { problems } = watchPage(page);
  await page.goto(url);
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  return { context, page, problems };
}

/** A date and time as Intl writes them for Korean: "2025. 3. 4. 오후 2:05" (the seconds when asked). */
export const KOREAN_DATE_TIME = /\d{2,4}\. \d{1,2}\. \d{1,2}\.\s(오전|오후)\s\d{1,2}:\d{2}/;
