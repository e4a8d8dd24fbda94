import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';

const models = [
  { id: 'e2e-one', name: 'Orchid Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 150 },
  { id: 'e2e-two', name: 'Juniper Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 60 },
];

describe.skipIf(skipBrowser)('battle page in Chromium', () => {
  const arena = useBrowserArena({ models });

  it('streams both answers, votes, reveals the names and moves the live leaderboard', async () => {
    const context = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const battlePage = await context.newPage();
    const boardPage = await context.newPage();
    const battleWatch = watchPage(battlePage);
    const boardWatch = watchPage(boardPage);
    const websockets: string[] = [];
    battlePage.on('websocket', (ws) => websockets.push(ws.url()));

    await boardPage.goto(`${arena.url}/#/leaderboard`);
    await expect.poll(() => boardPage.getByTestId('standings-votes').textContent()).toBe('0');
    expect(await boardPage.getByText('No votes in this view yet.').count()).toBe(1);

    await battlePage.goto(arena.url);
    await battlePage.getByRole('textbox', { name: 'Prompt' }).fill('Explain how a hash map works, with an example in python');
    await battlePage.getByRole('button', { name: 'Send' }).click();

    const paneA = battlePage.getByRole('region', { name: 'Model A' });
    const paneB = battlePage.getByRole('region', { name: 'Model B' });
    // Both panes show partial text while still streaming.
    await expect
      .poll(async () => (await paneA.getAttribute('aria-busy')) === 'true' && ((await paneA.getByTestId('answer').textContent()) ?? '').length > 0)
      .toBe(true);
    await expect.poll(async () => ((await paneB.getByTestId('answer').textContent()) ?? '').length > 0).toBe(true);
    // Voting waits for both answers.
    const voteA = battlePage.getByRole('button', { name: 'A is better', exact: true });
    expect(await voteA.isDisabled()).toBe(true);
    await expect.poll(() => voteA.isEnabled(), { timeout: 20_000 }).toBe(true);
    for (const pane of [paneA, paneB]) expect(await pane.getAttribute('aria-busy')).toBe('false');
    expect(await battlePage.locator('pre code').count()).toBeGreaterThan(0); // a fenced code block rendered
    // Once an answer is complete its code is highlighted (highlight.js, loaded on demand).
    await expect.poll(() => battlePage.locator('pre code.language-python .hljs-keyword').count()).toBeGreaterThan(0);

    const pageText = await battlePage.locator('body').innerText();
    expect(pageText).not.toMatch(/Orchid|Juniper/);
    await voteA.click();
    const reveal = battlePage.getByRole('status');
    await expect.poll(() => reveal.textContent()).toMatch(/Model A was (Orchid Large|Juniper Small), Model B was (Orchid Large|Juniper Small)/);
    const revealText = (await reveal.textContent()) ?? '';
    const winnerName = /Model A was (Orchid Large|Juniper Small)/.exec(revealText)![1];

    // Pushed to the open leaderboard: one vote, both models below the threshold (20), so listed
    // as provisional, the winner first with one Elo step (k = 4 from 1000 against an equal: +2).
    await expect.poll(() => boardPage.getByTestId('standings-votes').textContent()).toBe('1');
    const rows = boardPage.getByTestId('provisional-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(winnerName);
    expect(await rows.first().locator('.rating').textContent()).toBe('1002');
    expect(await rows.nth(1).locator('.rating').textContent()).toBe('998');
    expect(await boardPage.getByRole('list', { name: 'About these standings' }).textContent()).toContain('No model has 20 votes in this view yet');

    await battlePage.getByRole('button', { name: 'New battle' }).click();
    expect(await battlePage.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe('');
    expect(websockets.some((u) => u.includes('transport=websocket'))).toBe(true);
    expect(battleWatch.problems).toEqual([]);
    expect(boardWatch.problems).toEqual([]);
    await context.close();
  });

  it('votes with the keyboard and resumes a finished battle after a reload', async () => {
    const context = await arena.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Give me tips for learning to cook');
    await page.keyboard.press('Enter');
    const voteTie = page.getByRole('button', { name: 'Tie', exact: true });
    await expect.poll(() => voteTie.isEnabled(), { timeout: 20_000 }).toBe(true);
    const before = await page.getByRole('region', { name: 'Model A' }).getByTestId('answer').textContent();
    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Model A' }).getByTestId('answer').textContent()).toBe(before);
    await expect.poll(() => page.getByRole('button', { name: 'Tie', exact: true }).isEnabled()).toBe(true);
    await page.locator('body').click();
    await page.keyboard.press('3');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/You called it a tie/);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
