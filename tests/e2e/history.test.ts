/**
 * The battle history, a battle's permanent link, the model page and published snapshots in
 * Chromium: what each shows, no model named before its battle is voted, conversations as
 * sanitized Markdown, search (Korean typed through an IME included) and paging, who may see
 * which battle, and phone widths. The routes come from the test-only stand-in
 * (tests/support/history-stand-in.ts) until the server branch that implements them is merged.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { ADMIN, BROWSER_VOTER, MEMBER, MODELS, OTHER_MEMBER } from '../support/history-fixtures.ts';
import { type HistoryStandIn, registerHistoryStandIn } from '../support/history-stand-in.ts';

const NAMES = Object.values(MODELS).map((m) => m.name);

describe.skipIf(skipBrowser)('battle history and permanent links in Chromium', () => {
  let standIn: HistoryStandIn | undefined;
  const arena = useBrowserArena({
    users: { [MEMBER]: 'member', [OTHER_MEMBER]: 'member', [ADMIN]: 'admin' },
    beforeListen: async (app) => {
      standIn = await registerHistoryStandIn(app);
    },
  });

  async function open(who: string | null, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await arena.browser.newContext({ viewport });
    // An anonymous visitor's browser keeps its voter id, as the battle page leaves it.
    await context.addInitScript(`localStorage.setItem('arena.voterId', ${JSON.stringify(BROWSER_VOTER)})`);
    const page = await context.newPage();
    const { problems } = watchPage(page);
    if (who) await signIn(page, arena.url, who);
    return { context, page, problems };
  }

  const rangeText = (page: Page) => page.locator('#history-range').textContent();
  const listed = (page: Page) => page.locator('[data-battle]').evaluateAll((items) => items.map((li) => li.getAttribute('data-battle')));

  it("shows a voted battle's permanent link: models, vote, both conversations as sanitized Markdown", async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.goto(`${arena.url}/#/battles/battle-markdown`);
    await page.getByRole('heading', { name: /^Battle of / }).waitFor();
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('Alpha Secret');
    expect(facts).toContain('Bravo Secret');
    expect(facts).toContain('Alpha Secret is better');
    expect(facts).toContain('Multi-turn');
    expect(await page.locator('a.permalink').getAttribute('href')).toBe('#/battles/battle-markdown');
    expect(await page.getByRole('region', { name: /^Turn / }).count()).toBe(2);

    const answerA = page.getByRole('region', { name: 'Turn 1' }).getByRole('region', { name: 'Model A' });
    expect(await answerA.locator('.markdown h2').textContent()).toBe('결과 요약');
    expect(await answerA.locator('.markdown strong').first().textContent()).toBe('bold words');
    expect(await answerA.locator('.markdown li').count()).toBe(2);
    // The hostile parts are inert: no script, no handler, no javascript: link; clicking does nothing.
    for (const link of await page.locator('.markdown a').all()) await link.click({ timeout: 500, noWaitAfter: true }).catch(() => undefined);
    const report = (await page.evaluate(`(() => {
      const all = [...document.querySelectorAll('.markdown *')];
      return {
        xss: window.__xss ?? null,
        scripts: all.filter((el) => el.tagName === 'SCRIPT').length,
        handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        jsLinks: all.filter((el) => /^\\s*javascript:/i.test(el.getAttribute('href') ?? '')).length,
      };
    })()`)) as Record<string, unknown>;
    expect(report).toEqual({ xss: null, scripts: 0, handlers: 0, jsLinks: 0 });
    // As in xss.test.ts: the sanitized <img src="x"> may load (and 404), and Chromium reports the
    // CSP blocking the handler it sees while DOMPurify parses in its inert document.
    expect(problems.filter((p) => !/\/x\b|404 \(Not Found\)|The action has been blocked/.test(p))).toEqual([]);
    await context.close();
  });

  it('names no model on the permanent link of a battle not yet voted, and still shows both answers', async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.goto(`${arena.url}/#/battles/battle-unvoted`);
    await page.getByRole('heading', { name: /^Battle of / }).waitFor();
    expect(await page.locator('dl.facts').innerText()).toContain('Anonymous until the battle is voted.');
    expect(await page.getByRole('region', { name: 'Model A' }).locator('h3').textContent()).toBe('Model A');
    expect(await page.getByRole('region', { name: 'Model B' }).innerText()).toContain('Answer B to: A battle nobody voted on yet');
    const text = await page.locator('main').innerText();
    for (const name of NAMES) expect(text).not.toContain(name);
    expect(await page.locator('main a[href^="#/models/"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("says why a battle is not shown to a member who did not take part, and shows it to the admin and its anonymous owner's browser", async () => {
    const member = await open(MEMBER);
    await member.page.goto(`${arena.url}/#/battles/battle-other`);
    const alert = member.page.getByRole('alert');
    await alert.waitFor();
    expect(await member.page.getByRole('heading', { level: 2 }).textContent()).toBe('Battle not found');
    expect(await alert.textContent()).toContain('There is no battle here that you may see. You see your own battles; admins see all of them.');
    expect(await member.page.locator('main').innerText()).not.toContain("Another member's private question");
    await member.context.close();

    const admin = await open(ADMIN);
    await admin.page.goto(`${arena.url}/#/battles/battle-other`);
    await admin.page.locator('p.prompt', { hasText: "Another member's private question" }).waitFor();
    await admin.context.close();

    const anonymous = await open(null);
    await anonymous.page.goto(`${arena.url}/#/history`);
    await expect.poll(() => listed(anonymous.page)).toEqual(['battle-anon']);
    expect(await anonymous.page.locator('main .who').textContent()).toBe('You see the battles started in this browser.');
    await anonymous.page.locator('[data-battle=battle-anon] a.prompt').click();
    await anonymous.page.getByText('Answer A to: 이 브라우저에서 시작한 대결').waitFor();
    expect(anonymous.page.url()).toMatch(/#\/battles\/battle-anon$/);
    await anonymous.context.close();
  });

  it('pages through the history, keeping the page in the address, and hides the models of an unvoted battle in the list', async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 34');
    expect(await page.locator('main .who').textContent()).toBe('You see your own battles; admins see all of them.');
    const first = await listed(page);
    expect(first).toHaveLength(25);
    expect(first.slice(0, 4)).toEqual(['battle-unvoted', 'battle-markdown', 'battle-kimchi', 'battle-korean']);
    expect(first).not.toContain('battle-other');
    const unvoted = await page.locator('[data-battle=battle-unvoted]').innerText();
    expect(unvoted).toContain('Models stay anonymous until the battle is voted.');
    for (const name of NAMES) expect(unvoted).not.toContain(name);
    expect(await page.locator('[data-battle=battle-korean]').innerText()).toMatch(
      /Alpha Secret[\s\S]*vs[\s\S]*Charlie Secret[\s\S]*Vote: Charlie Secret is better/,
    );

    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rangeText(page)).toBe('Battles 26–34 of 34');
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toContain('Page 2 of 2');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(page.url()).toMatch(/#\/history\?offset=25$/);
    const second = await listed(page);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    // A reload of the address comes back to the same page.
    await page.reload();
    await expect.poll(() => rangeText(page)).toBe('Battles 26–34 of 34');
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 34');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches after a pause in typing, not on every keystroke, and filters by category', async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 34');
    const before = standIn!.historyQueries.length;
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).pressSequentially('sorting', { delay: 40 });
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 30');
    const asked = standIn!.historyQueries.slice(before).map((q) => new URLSearchParams(q).get('q'));
    expect(asked).toEqual(['sorting']);
    expect(page.url()).toMatch(/#\/history\?q=sorting$/);

    await page.getByRole('searchbox', { name: 'Search prompts and models' }).fill('');
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).press('Enter');
    await page.getByLabel('Category').selectOption({ label: 'Korean' });
    await expect.poll(() => listed(page)).toEqual(['battle-kimchi', 'battle-korean']);
    expect(await rangeText(page)).toBe('Battles 1–2 of 2');
    // The History tab brings back every battle, and the filters with it.
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 34');
    expect(await page.getByLabel('Category').inputValue()).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches Korean typed through an IME once the word is composed, never for its half-built syllables', async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(page)).toBe('Battles 1–25 of 34');
    const box = page.getByRole('searchbox', { name: 'Search prompts and models' });
    await box.focus();
    const before = standIn!.historyQueries.length;
    // What a 2-set Korean keyboard shows while 탐색 is typed, then the commit.
    const ime = await context.newCDPSession(page);
    for (const partial of ['ㅌ', '타', '탐', '탐ㅅ', '탐새', '탐색']) {
      await ime.send('Input.imeSetComposition', { text: partial, selectionStart: partial.length, selectionEnd: partial.length });
      await sleep(400);
    }
    expect(standIn!.historyQueries.length).toBe(before);
    expect(await box.inputValue()).toBe('탐색');
    await ime.send('Input.insertText', { text: '탐색' });
    await expect.poll(() => listed(page)).toEqual(['battle-korean']);
    const asked = standIn!.historyQueries.slice(before).map((q) => new URLSearchParams(q).get('q'));
    expect(asked).toEqual(['탐색']);
    expect(await rangeText(page)).toBe('Battles 1–1 of 1');
    expect(decodeURIComponent(page.url())).toMatch(/#\/history\?q=탐색$/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
