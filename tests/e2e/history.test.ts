/**
 * The battle history and a battle's permanent link in Chromium, on the real server with battles
 * played and voted over real sockets (tests/support/history-arena.ts): what each shows, no model
 * named before its battle is voted, conversations as sanitized Markdown, search (Korean typed
 * through an IME included) and paging, who may see which battle, the anonymous visitor's own
 * battles in their browser (the X-Arena-Voter header). Expectations come from the played battles.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { VOTER_HEADER } from '../../protocol/headers.ts';
import type { BattleDetail } from '../../protocol/standings.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn } from '../support/browser-arena.ts';
import { ADMIN, battle, MEMBER, MODEL_NAMES, seenBy, useHistoryArena } from '../support/history-arena.ts';
import { koreanContext, koreanDay } from '../support/korean-browser.ts';
import { formatIn } from '../support/words.ts';

/** A line of an answer that Markdown renders as it is (no markup in it), to find on the page. */
function plainLine(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.trim().length > 15 && !/[*_`#<>[\]|~]/.test(l) && !/^\s*(-|\d+\.)\s/.test(l));
  if (!line) throw new Error(`no plain line in ${JSON.stringify(markdown)}`);
  return line.trim();
}

describe.skipIf(skipBrowser)('battle history and permanent links in Chromium', () => {
  const arena = useHistoryArena();

  async function open(who: string | null, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await arena.browser.newContext({ viewport });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    if (who) await signIn(page, arena.url, who);
    return { context, page, problems };
  }

  /** Every `GET /api/battles` the page asks, as its query. */
  function historyQueries(page: Page): URLSearchParams[] {
    const asked: URLSearchParams[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/battles') asked.push(url.searchParams);
    });
    return asked;
  }

  /** Opens a battle's permanent page and returns what the server sent for it. */
  async function openBattle(page: Page, id: string): Promise<BattleDetail> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/battles/${id}`),
      page.goto(`${arena.url}/#/battles/${id}`),
    ]);
    await page.getByRole('heading', { name: /^Battle of / }).waitFor();
    return ((await response.json()) as { battle: BattleDetail }).battle;
  }

  const rangeText = (page: Page) => page.locator('#history-range').textContent();
  const listed = (page: Page) => page.locator('[data-battle]').evaluateAll((items) => items.map((li) => li.getAttribute('data-battle')));
  const range = (from: number, to: number, total: number) => `Battles ${from}–${to} of ${total}`;

  it("shows a voted battle's permanent link: models, vote, both conversations as sanitized Markdown", async () => {
    const played = battle(arena.data, 'markdown');
    const models = played.vote!.models;
    const { context, page, problems } = await open(MEMBER);
    const detail = await openBattle(page, played.id);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain(models.a.name);
    expect(facts).toContain(models.b.name);
    expect(facts).toContain(`${models.a.name} is better`);
    // The categories its vote was filed under (server/standings/categories.ts): two turns make it multi-turn.
    expect(detail.categories).toContain('multi_turn');
    expect(facts).toContain('Categories');
    for (const category of detail.categories) expect(facts).toContain(formatIn('en').categoryName(category));
    expect(await page.locator('a.permalink').getAttribute('href')).toBe(`#/battles/${played.id}`);
    expect(await page.getByRole('region', { name: /^Turn / }).count()).toBe(2);
    expect(await page.getByRole('region', { name: 'Turn 2' }).locator('p.prompt').innerText()).toBe('Prompt 2: And once more, shorter');

    for (const side of ['Model A', 'Model B']) {
      const answer = page.getByRole('region', { name: 'Turn 1' }).getByRole('region', { name: side });
      expect(await answer.locator('.markdown h2').textContent()).toBe('결과 요약');
      expect(await answer.locator('.markdown strong').first().textContent()).toBe('bold words');
      expect(await answer.locator('.markdown li').count()).toBe(2);
      const later = page.getByRole('region', { name: 'Turn 2' }).getByRole('region', { name: side });
      expect(await later.getByTestId('answer').innerText()).toContain(plainLine(detail.conversation[1]![side === 'Model A' ? 'a' : 'b'].text));
    }
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
    const detail = await openBattle(page, battle(arena.data, 'unvoted').id);
    expect(detail).toMatchObject({ models: null, winner: null });
    expect(await page.locator('dl.facts').innerText()).toContain('Anonymous until the battle is voted.');
    for (const side of ['a', 'b'] as const) {
      const region = page.getByRole('region', { name: `Model ${side.toUpperCase()}` });
      expect(await region.locator('h3').textContent()).toBe(`Model ${side.toUpperCase()}`);
      expect(await region.getByTestId('answer').innerText()).toContain(plainLine(detail.conversation[0]![side].text));
    }
    const text = await page.locator('main').innerText();
    for (const name of MODEL_NAMES) expect(text).not.toContain(name);
    expect(await page.locator('main a[href^="#/models/"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says why a battle is not shown to a member who did not take part, and shows it to the admin', async () => {
    const other = battle(arena.data, 'other');
    const member = await open(MEMBER);
    await member.page.goto(`${arena.url}/#/battles/${other.id}`);
    const alert = member.page.getByRole('alert');
    await alert.waitFor();
    expect(await member.page.getByRole('heading', { level: 2 }).textContent()).toBe('Battle not found');
    expect(await alert.textContent()).toContain('There is no battle here that you may see. You see your own battles; admins see all of them.');
    expect(await member.page.locator('main').innerText()).not.toContain(other.prompts[0]);
    await member.context.close();

    const admin = await open(ADMIN);
    await admin.page.goto(`${arena.url}/#/battles/${other.id}`);
    await admin.page.locator('p.prompt', { hasText: other.prompts[0]! }).waitFor();
    expect(await admin.page.locator('dl.facts').innerText()).toContain(`${other.vote!.models.a.name} is better`);
    await admin.context.close();
  });

  it('lists every battle to an admin, and finds battles by the name of a model only once they are voted', async () => {
    const all = seenBy(arena.data, 'admin');
    const { context, page, problems } = await open(ADMIN);
    const asked = historyQueries(page);
    await page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, all.length));
    expect(await page.locator('main .who').textContent()).toBe('As an admin you see every battle.');
    expect(await listed(page)).toEqual(all.slice(0, 25).map((b) => b.id));
    expect(all.slice(0, 4).map((b) => b.owner)).toEqual(['other-browser', 'admin', 'other', 'member']);

    const name = 'Charlie Secret';
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).fill(name);
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).press('Enter');
    const withCharlie = all.filter((b) => b.vote && [b.vote.models.a.name, b.vote.models.b.name].includes(name));
    expect(withCharlie.length).toBeGreaterThan(0);
    await expect.poll(() => rangeText(page)).toBe(range(1, Math.min(25, withCharlie.length), withCharlie.length));
    expect(await listed(page)).toEqual(withCharlie.slice(0, 25).map((b) => b.id));
    expect(asked.at(-1)?.get('q')).toBe(name);
    // The unvoted battle stays out whoever answered it: finding it would name its models.
    expect(await listed(page)).not.toContain(battle(arena.data, 'unvoted').id);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pages through the history, keeping the page in the address, and hides the models of an unvoted battle in the list', async () => {
    const mine = seenBy(arena.data, 'member');
    const { context, page, problems } = await open(MEMBER);
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    expect(await page.locator('main .who').textContent()).toBe('You see your own battles; admins see all of them.');
    const first = await listed(page);
    expect(first).toEqual(mine.slice(0, 25).map((b) => b.id));
    expect(mine.slice(0, 4).map((b) => b.key)).toEqual(['unvoted', 'markdown', 'kimchi', 'korean']);
    expect(first).not.toContain(battle(arena.data, 'other').id);
    const unvoted = await page.locator(`[data-battle="${battle(arena.data, 'unvoted').id}"]`).innerText();
    expect(unvoted).toContain('Models stay anonymous until the battle is voted.');
    for (const name of MODEL_NAMES) expect(unvoted).not.toContain(name);
    const korean = battle(arena.data, 'korean');
    const { a, b } = korean.vote!.models;
    expect(await page.locator(`[data-battle="${korean.id}"]`).innerText()).toMatch(
      new RegExp(`${a.name}[\\s\\S]*vs[\\s\\S]*${b.name}[\\s\\S]*Vote: ${b.name} is better`),
    );

    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rangeText(page)).toBe(range(26, mine.length, mine.length));
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toContain('Page 2 of 2');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(page.url()).toMatch(/#\/history\?offset=25$/);
    expect(await listed(page)).toEqual(mine.slice(25).map((x) => x.id));
    // A reload of the address comes back to the same page.
    await page.reload();
    await expect.poll(() => rangeText(page)).toBe(range(26, mine.length, mine.length));
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches after a pause in typing, not on every keystroke, and filters by category', async () => {
    const mine = seenBy(arena.data, 'member');
    const { context, page, problems } = await open(MEMBER);
    const asked = historyQueries(page);
    await page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    const before = asked.length;
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).pressSequentially('sorting', { delay: 40 });
    const sorting = mine.filter((b) => b.prompts.some((p) => p.includes('sorting')));
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, sorting.length));
    expect(await listed(page)).toEqual(sorting.slice(0, 25).map((b) => b.id));
    expect(asked.slice(before).map((q) => q.get('q'))).toEqual(['sorting']);
    expect(page.url()).toMatch(/#\/history\?q=sorting$/);

    await page.getByRole('searchbox', { name: 'Search prompts and models' }).fill('');
    await page.getByRole('searchbox', { name: 'Search prompts and models' }).press('Enter');
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    await page.getByLabel('Category').selectOption({ label: 'Korean' });
    await expect.poll(() => asked.at(-1)?.get('category')).toBe('lang:ko');
    // The member's battles whose vote was filed under Korean, newest first (the other browser's
    // Korean battle is not theirs); each says so.
    const korean = mine.filter((b) => b.key === 'korean' || b.key === 'kimchi').map((b) => b.id);
    await expect.poll(() => rangeText(page)).toBe(range(1, korean.length, korean.length));
    expect(await listed(page)).toEqual(korean);
    for (const id of korean) expect(await page.locator(`[data-battle="${id}"]`).innerText()).toContain(formatIn('en').categoryName('lang:ko'));
    expect(page.url()).toMatch(/#\/history\?category=lang%3Ako$/);
    // The History tab brings back every battle, and the filters with it.
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    expect(await page.getByLabel('Category').inputValue()).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches Korean typed through an IME once the word is composed, never for its half-built syllables', async () => {
    const mine = seenBy(arena.data, 'member');
    const { context, page, problems } = await open(MEMBER);
    const asked = historyQueries(page);
    await page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(page)).toBe(range(1, 25, mine.length));
    const box = page.getByRole('searchbox', { name: 'Search prompts and models' });
    await box.focus();
    const before = asked.length;
    // What a 2-set Korean keyboard shows while 탐색 is typed, then the commit.
    const ime = await context.newCDPSession(page);
    for (const partial of ['ㅌ', '타', '탐', '탐ㅅ', '탐새', '탐색']) {
      await ime.send('Input.imeSetComposition', { text: partial, selectionStart: partial.length, selectionEnd: partial.length });
      await sleep(400);
    }
    expect(asked.length).toBe(before);
    expect(await box.inputValue()).toBe('탐색');
    await ime.send('Input.insertText', { text: '탐색' });
    const found = mine.filter((b) => b.prompts.some((p) => p.includes('탐색')));
    expect(found.map((b) => b.key)).toEqual(['korean']);
    await expect.poll(() => listed(page)).toEqual(found.map((b) => b.id));
    expect(asked.slice(before).map((q) => q.get('q'))).toEqual(['탐색']);
    expect(await rangeText(page)).toBe(range(1, 1, 1));
    expect(decodeURIComponent(page.url())).toMatch(/#\/history\?q=탐색$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a Korean visitor the history and a battle in Korean, with Korean dates, and searches, pages and opens battles in Korean', async () => {
    const mine = seenBy(arena.data, 'member');
    const context = await koreanContext(arena.browser, arena.url, MEMBER);
    const page = await context.newPage();
    const { problems } = watchPage(page);
    const asked = historyQueries(page);
    await page.goto(`${arena.url}/#/history`);
    await page.getByRole('heading', { name: '대결 기록', level: 2 }).waitFor();
    const koreanRange = (from: number, to: number, total: number) => `대결 ${total}개 중 ${from}–${to}번째`;
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 25, mine.length));
    expect(await page.locator('main .who').textContent()).toBe('내가 참여한 대결을 볼 수 있습니다. 관리자는 모든 대결을 봅니다.');
    // Dates as Korean write them, in the visitor's time zone: year, month, day.
    const newest = page.locator(`[data-battle="${mine[0]!.id}"]`);
    expect(await newest.locator('time').textContent()).toMatch(new RegExp(`^${koreanDay(mine[0]!.at).replaceAll('.', '\\.')} \\S+ \\d{1,2}:\\d{2}$`));
    expect(await newest.innerText()).toContain('투표하기 전까지 모델 이름은 공개되지 않습니다.');
    for (const name of MODEL_NAMES) expect(await newest.innerText()).not.toContain(name);
    const korean = battle(arena.data, 'korean');
    const { a, b } = korean.vote!.models;
    expect(await page.locator(`[data-battle="${korean.id}"]`).innerText()).toMatch(
      new RegExp(`${a.name}[\\s\\S]*대[\\s\\S]*${b.name}[\\s\\S]*투표: ${b.name} 쪽이 더 좋음`),
    );

    // Search by the Korean labels; the category filter lists categories by their Korean names.
    const box = page.getByRole('searchbox', { name: '질문과 모델 검색' });
    await box.fill('탐색');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 1, 1));
    expect(await listed(page)).toEqual([korean.id]);
    expect(asked.at(-1)?.get('q')).toBe('탐색');
    await box.fill('');
    await box.press('Enter');
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 25, mine.length));
    await page.getByRole('combobox', { name: '카테고리' }).selectOption({ label: '한국어' });
    await expect.poll(() => asked.at(-1)?.get('category')).toBe('lang:ko');
    await page.getByRole('combobox', { name: '카테고리' }).selectOption({ label: '모든 카테고리' });
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 25, mine.length));

    await page.getByRole('button', { name: '다음' }).click();
    await expect.poll(() => rangeText(page)).toBe(koreanRange(26, mine.length, mine.length));
    expect(await page.getByRole('navigation', { name: '페이지' }).innerText()).toContain('2쪽 중 2쪽');
    await page.getByRole('button', { name: '이전' }).click();
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 25, mine.length));

    // The battle's own page, from its link in the list.
    await page.locator(`[data-battle="${korean.id}"] a.prompt`).click();
    const heading = page.getByRole('heading', { name: /대결$/, level: 2 });
    await heading.waitFor();
    expect(await heading.locator('time').textContent()).toMatch(new RegExp(`^${koreanDay(korean.at).replaceAll('.', '\\.')} `));
    const facts = await page.locator('dl.facts').innerText();
    for (const text of ['상태', '투표 완료', '모델', `${b.name} 쪽이 더 좋음`, '고유 링크']) expect(facts).toContain(text);
    const turn = page.getByRole('region', { name: '1번째 턴' });
    expect(await turn.locator('p.prompt').innerText()).toBe(`질문: ${korean.prompts[0]}`);
    for (const side of ['모델 A', '모델 B']) expect(await turn.getByRole('region', { name: side }).locator('h3').innerText()).toMatch(new RegExp(`^${side}`));
    await page.getByRole('link', { name: '← 대결 기록' }).click();
    await expect.poll(() => rangeText(page)).toBe(koreanRange(1, 25, mine.length));

    // Another member's battle is refused in Korean words.
    await page.goto(`${arena.url}/#/battles/${battle(arena.data, 'other').id}`);
    await page.getByRole('heading', { name: '대결을 찾을 수 없습니다' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      '여기에는 볼 수 있는 대결이 없습니다. 내가 참여한 대결을 볼 수 있습니다. 관리자는 모든 대결을 봅니다.',
    );
    expect(await page.evaluate('document.documentElement.lang')).toBe('ko');
    // The refused battle's own 404 is the only failed request.
    expect(problems.filter((p) => !/^HTTP 404 .+\/api\/battles\/|404 \(Not Found\)/.test(p))).toEqual([]);
    await context.close();
  });

  // Last: the battle it plays is one more for the admin's history above.
  it('shows an anonymous visitor the battles of their own browser, which sends its voter id, and another browser none of them', async () => {
    const anonymous = await open(null);
    const sent: Array<string | undefined> = [];
    anonymous.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/battles') sent.push(r.headers()[VOTER_HEADER]);
    });
    await anonymous.page.goto(arena.url);
    await anonymous.page.getByRole('textbox', { name: 'Prompt' }).fill('이 브라우저에서 시작한 대결');
    await anonymous.page.getByRole('button', { name: 'Send' }).click();
    const voteB = anonymous.page.getByRole('button', { name: 'B is better', exact: true });
    await expect.poll(() => voteB.isEnabled(), { timeout: 20_000 }).toBe(true);
    await voteB.click();
    await expect.poll(() => anonymous.page.getByRole('status').textContent()).toMatch(/Model A was .+, Model B was .+/);

    await anonymous.page.getByRole('link', { name: 'History', exact: true }).click();
    await expect.poll(() => rangeText(anonymous.page)).toBe(range(1, 1, 1));
    expect(await anonymous.page.locator('main .who').textContent()).toBe('You see the battles started in this browser.');
    expect(sent.at(-1)).toBe(await anonymous.page.evaluate("localStorage.getItem('arena.voterId')"));
    const [mine] = (await listed(anonymous.page)) as [string];
    // Not one the builder played (the other browser's battle included).
    expect(seenBy(arena.data, 'admin').map((b) => b.id)).not.toContain(mine);
    const item = anonymous.page.locator(`[data-battle="${mine}"]`);
    expect(await item.innerText()).toMatch(/Vote: .+ is better/);
    await item.locator('a.prompt').click();
    await anonymous.page.locator('p.prompt', { hasText: '이 브라우저에서 시작한 대결' }).waitFor();
    expect(anonymous.page.url()).toMatch(new RegExp(`#/battles/${mine}$`));
    expect(anonymous.problems).toEqual([]);
    await anonymous.context.close();

    const stranger = await open(null);
    await stranger.page.goto(`${arena.url}/#/history`);
    await expect.poll(() => rangeText(stranger.page)).toBe('No battles');
    expect(await stranger.page.locator('#history-results').innerText()).toContain('No battles yet.');
    await stranger.page.goto(`${arena.url}/#/battles/${mine}`);
    await stranger.page.getByRole('heading', { name: 'Battle not found' }).waitFor();
    await stranger.context.close();
  });
});
