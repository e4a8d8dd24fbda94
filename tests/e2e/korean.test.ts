/**
 * The arena for a Korean-speaking visitor in Chromium: a ko-KR browser gets the battle page and the
 * leaderboard in Korean, a Hangul prompt to the demo models streams Korean answers, the vote reveals
 * the models in Korean, the standings read in Korean with Korean figures; the language switcher
 * changes the page at once and the choice survives a reload.
 */
import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';

const HANGUL = /[가-힣]/;

describe.skipIf(skipBrowser)('Korean in Chromium', () => {
  const arena = useBrowserArena();

  it('battles in Korean: Korean page, Korean answers to a Hangul prompt, names revealed in Korean, standings in Korean', async () => {
    const context = await arena.browser.newContext({ locale: 'ko-KR' });
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(arena.url);
      await page.getByRole('link', { name: '대결', exact: true }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe('ko');
      await page.getByRole('textbox', { name: '질문' }).fill('파이썬에서 리스트의 중복을 없애는 방법을 설명해 주세요.');
      await page.getByRole('button', { name: '보내기' }).click();
      const voteA = page.getByRole('button', { name: 'A가 더 좋음' });
      await expect.poll(() => voteA.isEnabled(), { timeout: 20_000 }).toBe(true);
      const answers = await page.getByTestId('answer').allInnerTexts();
      expect(answers).toHaveLength(2);
      for (const answer of answers) expect(answer).toMatch(HANGUL);
      await voteA.click();
      await page
        .getByRole('status')
        .filter({ hasText: /모델 A는 .+, 모델 B는 .+입니다\./ })
        .waitFor();

      await page.getByRole('link', { name: '순위표' }).click();
      await page.getByRole('heading', { name: '순위표' }).waitFor();
      await page.getByTestId('standings-votes').waitFor();
      const meta = await page.locator('p.meta[aria-live]').innerText();
      expect(meta).toMatch(/^1 표 · Elo · (오전|오후) \d{1,2}:\d{2}:\d{2} 갱신$/);
      // One vote: both models are provisional, listed apart under a Korean heading and caption.
      await page.getByRole('heading', { name: '잠정' }).waitFor();
      const provisional = page.getByTestId('provisional-table');
      for (const header of ['모델', 'Elo', '투표', '승률', '지연 시간', '토큰/초', '답변 1,000개당 비용']) {
        expect(await provisional.getByRole('columnheader', { name: header, exact: true }).count(), header).toBe(1);
      }
      expect(await provisional.locator('tbody tr').count()).toBe(2);
      expect(await provisional.locator('.tag').first().textContent()).toBe('데모');
      const category = page.getByRole('combobox', { name: '카테고리' });
      await expect.poll(() => category.locator('option[value="all"]').textContent()).toBe('모든 카테고리 (1)');
      expect(await category.locator('option[value="lang:ko"]').textContent()).toBe('한국어 (1)');
      expect(await page.getByRole('list', { name: '이 순위에 대해' }).innerText()).toMatch(HANGUL);
      expect(watch.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches language from the header at once, and keeps the choice after a reload', async () => {
    const context = await arena.browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${arena.url}/#/leaderboard`);
      await page.getByRole('heading', { name: 'Leaderboard' }).waitFor();
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
      await page.getByRole('heading', { name: '순위표' }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe('ko');
      await page.reload();
      await page.getByRole('heading', { name: '순위표' }).waitFor();
      expect(await page.getByRole('combobox', { name: '언어' }).inputValue()).toBe('ko');
      await page.getByRole('combobox', { name: '언어' }).selectOption('en');
      await page.getByRole('heading', { name: 'Leaderboard' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
