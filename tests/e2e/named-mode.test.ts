/**
 * The named side-by-side page in Chromium: two models picked by name, both answers streaming with
 * the names shown from the start, the vote, and the blind standings left as they were (the view of
 * all votes takes it in). Then the page in Korean on a 390 px phone.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { battles, votes } from '../../db/schema.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { playBattle } from '../support/test-server.ts';

const models = [
  { id: 'e2e-one', name: 'Orchid Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 150 },
  { id: 'e2e-two', name: 'Juniper Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 60 },
  { id: 'e2e-three', name: 'Maple Medium', provider: 'demo' as const, model: 'muddle', tokensPerSecond: 200 },
];

/** What the blind standings page shows: its vote count and every model row. */
async function blindStandings(page: Page, url: string, hash = '#/leaderboard'): Promise<{ votes: string | null; rows: string[] }> {
  await page.goto(`${url}/${hash}`);
  await page.reload(); // the hash alone would not fetch again
  const votesShown = page.getByTestId('standings-votes');
  await votesShown.waitFor();
  return { votes: await votesShown.textContent(), rows: await page.locator('tr[data-model]').allInnerTexts() };
}

describe.skipIf(skipBrowser)('named side-by-side page in Chromium', () => {
  const arena = useBrowserArena({ models });

  it('picks two models, names them while both stream, takes the vote and leaves the blind standings as they were', async () => {
    // One blind vote first, so the blind standings have rows a named vote could move.
    const blindVoter = await arena.connect({ voterId: 'blind-e2e-voter' });
    const blind = await playBattle(blindVoter);
    expect(await blindVoter.emitWithAck('battle:vote', { battleId: blind, winner: 'a' })).toMatchObject({ ok: true, counted: true });

    const context = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const board = await context.newPage();
    const before = await blindStandings(board, arena.url);
    expect(before.votes).toBe('1');

    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(arena.url);
    await page.getByRole('link', { name: 'Side by side' }).click();
    // The page changes on the hash change after the click: wait for it rather than reading at once.
    await expect.poll(() => page.getByRole('link', { name: 'Side by side' }).getAttribute('aria-current')).toBe('page');
    const left = page.getByLabel('Left (Model A)');
    const right = page.getByLabel('Right (Model B)');
    await expect.poll(() => left.locator('option').count()).toBe(3);
    await left.selectOption({ label: 'Maple Medium' });
    await right.selectOption({ label: 'Maple Medium' });
    expect(await page.getByRole('alert').textContent()).toBe('Pick two different models.');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await right.selectOption({ label: 'Orchid Large' });

    await page.getByRole('textbox', { name: 'Prompt' }).fill('Explain how a hash map works, with an example in python');
    await page.getByRole('button', { name: 'Send' }).click();
    const paneA = page.getByRole('region', { name: 'Model A' });
    const paneB = page.getByRole('region', { name: 'Model B' });
    // The names are there while the answers still stream.
    await expect
      .poll(async () => (await paneA.getAttribute('aria-busy')) === 'true' && ((await paneA.getByTestId('answer').textContent()) ?? '').length > 0)
      .toBe(true);
    expect(await paneA.locator('header').textContent()).toContain('Maple Medium');
    expect(await paneB.locator('header').textContent()).toContain('Orchid Large');
    expect(await left.isDisabled()).toBe(true);

    const voteA = page.getByRole('button', { name: 'A is better', exact: true });
    await expect.poll(() => voteA.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('pre code').count()).toBeGreaterThan(0);
    await voteA.click();
    const outcome = page.getByRole('status');
    await expect.poll(() => outcome.textContent()).toContain('You preferred Maple Medium.');
    expect(await outcome.textContent()).toContain('Named votes never count in the blind standings');

    const stored = arena.app.db.select().from(battles).where(eq(battles.mode, 'named')).all();
    expect(stored).toMatchObject([{ modelA: 'e2e-three', modelB: 'e2e-one', status: 'voted' }]);
    expect(arena.app.db.select().from(votes).where(eq(votes.battleId, stored[0]!.id)).get()).toMatchObject({ winner: 'a', flags: ['named'], counted: false });

    await arena.app.standings.views.idle();
    expect(await blindStandings(board, arena.url)).toEqual(before);
    expect((await blindStandings(board, arena.url, '#/leaderboard?votes=all')).votes).toBe('2');

    await page.getByRole('button', { name: 'New comparison' }).click();
    expect(await left.isEnabled()).toBe(true);
    expect(await left.inputValue()).toBe('e2e-three');
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('resumes a named battle after a reload with its names and models', async () => {
    const context = await arena.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/#/named`);
    await expect.poll(() => page.getByLabel('Left (Model A)').locator('option').count()).toBe(3);
    await page.getByLabel('Left (Model A)').selectOption({ label: 'Juniper Small' });
    await page.getByLabel('Right (Model B)').selectOption({ label: 'Maple Medium' });
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Give me tips for learning to cook');
    await page.keyboard.press('Enter');
    const tie = page.getByRole('button', { name: 'Tie', exact: true });
    await expect.poll(() => tie.isEnabled(), { timeout: 20_000 }).toBe(true);

    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Tie', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('region', { name: 'Model A' }).locator('header').textContent()).toContain('Juniper Small');
    expect(await page.getByRole('region', { name: 'Model B' }).locator('header').textContent()).toContain('Maple Medium');
    expect(await page.getByLabel('Left (Model A)').inputValue()).toBe('e2e-two');
    await page.getByRole('button', { name: 'Tie', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('You called it a tie.');
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('works in Korean on a 390 px phone: picks, streams, votes', async () => {
    const context = await arena.browser.newContext({ locale: 'ko-KR', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(arena.url);
    await page.getByRole('link', { name: '나란히 비교' }).click();
    await page.getByRole('group', { name: '모델', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    expect(await page.getByText('두 모델을 골라 이름을 보면서').isVisible()).toBe(true);
    const left = page.getByLabel('왼쪽 (모델 A)');
    await expect.poll(() => left.locator('option').count()).toBe(3);
    await left.selectOption({ label: 'Orchid Large' });
    await page.getByLabel('오른쪽 (모델 B)').selectOption({ label: 'Juniper Small' });
    await page.getByRole('textbox', { name: '질문' }).fill('김치찌개 끓이는 법을 알려 주세요');
    await page.getByRole('button', { name: '보내기' }).click();
    const voteB = page.getByRole('button', { name: 'B가 더 좋음', exact: true });
    await expect.poll(() => voteB.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByRole('region', { name: '모델 B' }).locator('header').textContent()).toContain('Juniper Small');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await voteB.click();
    const outcome = page.getByRole('status');
    await expect.poll(() => outcome.textContent()).toContain('더 나은 답변으로 고른 모델: Juniper Small');
    expect(await outcome.textContent()).toContain('블라인드 순위에 반영되지 않고');
    expect(await page.getByRole('button', { name: '새 비교' }).isVisible()).toBe(true);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
