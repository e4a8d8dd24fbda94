/**
 * The direct chat page in Chromium: one model chosen, two turns streamed, thumbs up on one answer
 * and a flag with a reason on the other, all kept across a reload and stored, none of it counted
 * anywhere public. Then the page in Korean on a 390 px phone.
 */
import { describe, expect, it } from 'vitest';
import { answers, votes } from '../../db/schema.ts';
import { chatFeedback, chats, chatTurns } from '../../db/schema-chat.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';

const models = [
  { id: 'e2e-one', name: 'Orchid Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 150 },
  { id: 'e2e-two', name: 'Juniper Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 200 },
];

describe.skipIf(skipBrowser)('direct chat page in Chromium', () => {
  const arena = useBrowserArena({ models });

  it('chats two turns with the chosen model, takes a thumbs up and a flag, and keeps them across a reload', async () => {
    const context = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(arena.url);
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    const model = page.getByLabel('Model', { exact: true });
    await expect.poll(() => model.locator('option').count()).toBe(2);
    await model.selectOption({ label: 'Juniper Small' });

    const prompt = page.getByRole('textbox', { name: 'Prompt' });
    await prompt.fill('Explain recursion with a short example');
    await page.getByRole('button', { name: 'Send' }).click();
    const answersShown = page.getByRole('region', { name: 'Juniper Small' });
    await expect.poll(() => answersShown.count()).toBe(1);
    await expect.poll(() => answersShown.first().getAttribute('aria-busy'), { timeout: 20_000 }).toBe('false');
    expect(((await answersShown.first().getByTestId('answer').textContent()) ?? '').length).toBeGreaterThan(0);
    expect(await model.isDisabled()).toBe(true);

    expect(await prompt.getAttribute('placeholder')).toBe('Reply (the model sees the whole chat)…');
    await prompt.fill('And now in one sentence?');
    await page.keyboard.press('Enter');
    await expect.poll(() => answersShown.count()).toBe(2);
    await expect.poll(() => answersShown.nth(1).getAttribute('aria-busy'), { timeout: 20_000 }).toBe('false');

    const feedback = page.getByRole('group', { name: 'Feedback on this answer' });
    const up = feedback.first().getByRole('button', { name: 'Good answer' });
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    await feedback.nth(1).getByRole('button', { name: 'Flag' }).click();
    await feedback.nth(1).getByRole('textbox', { name: 'Why? (optional)' }).fill('It made up a citation');
    await feedback.nth(1).getByRole('button', { name: 'Send flag' }).click();
    await expect.poll(() => feedback.nth(1).getByRole('status').textContent()).toBe('Flagged for the admins: It made up a citation');

    const chat = arena.app.db.select().from(chats).get()!;
    expect(chat).toMatchObject({ modelId: 'e2e-two', turns: 2, status: 'ready' });
    expect(
      arena.app.db
        .select()
        .from(chatTurns)
        .all()
        .map((t) => t.prompt),
    ).toEqual(['Explain recursion with a short example', 'And now in one sentence?']);
    const stored = arena.app.db
      .select()
      .from(chatFeedback)
      .all()
      .sort((a, b) => a.turn - b.turn);
    expect(stored).toMatchObject([
      { turn: 1, rating: 'up', flagged: false },
      { turn: 2, rating: null, flagged: true, reason: 'It made up a citation' },
    ]);
    // Counted nowhere: no battle answer, no vote.
    expect(arena.app.db.select().from(answers).all()).toEqual([]);
    expect(arena.app.db.select().from(votes).all()).toEqual([]);

    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Juniper Small' }).count()).toBe(2);
    expect(
      await page.getByRole('group', { name: 'Feedback on this answer' }).first().getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed'),
    ).toBe('true');
    expect(await page.getByText('Flagged for the admins: It made up a citation').isVisible()).toBe(true);
    // The same thumb again takes it back.
    const upAgain = page.getByRole('group', { name: 'Feedback on this answer' }).first().getByRole('button', { name: 'Good answer' });
    await upAgain.click();
    await expect.poll(() => upAgain.getAttribute('aria-pressed')).toBe('false');

    await page.getByRole('button', { name: 'New chat' }).click();
    expect(await page.getByRole('region', { name: 'Juniper Small' }).count()).toBe(0);
    expect(await page.getByLabel('Model', { exact: true }).isEnabled()).toBe(true);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('works in Korean on a 390 px phone: chats, thumbs up, flags with a Korean reason', async () => {
    const context = await arena.browser.newContext({ locale: 'ko-KR', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(arena.url);
    await page.getByRole('link', { name: '대화', exact: true }).click();
    const model = page.getByLabel('모델', { exact: true });
    await expect.poll(() => model.locator('option').count()).toBe(2);
    expect(await page.getByText('모델 하나를 골라 대화하며 직접 써 보세요.').isVisible()).toBe(true);
    await model.selectOption({ label: 'Orchid Large' });
    const prompt = page.getByRole('textbox', { name: '질문' });
    expect(await prompt.getAttribute('placeholder')).toBe('메시지를 입력하세요…');
    await prompt.fill('재귀 함수를 예를 들어 설명해 주세요');
    await page.getByRole('button', { name: '보내기' }).click();
    const answer = page.getByRole('region', { name: 'Orchid Large' });
    await expect.poll(() => answer.getAttribute('aria-busy'), { timeout: 20_000 }).toBe('false');

    const feedback = page.getByRole('group', { name: '이 답변에 대한 의견' });
    const up = feedback.getByRole('button', { name: '좋은 답변' });
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    await feedback.getByRole('button', { name: '신고', exact: true }).click();
    const reason = feedback.getByRole('textbox', { name: '이유 (선택)' });
    await reason.fill('사실과 다른 내용이 있어요');
    await reason.press('Enter');
    await expect.poll(() => feedback.getByRole('status').textContent()).toBe('관리자에게 신고했습니다: 사실과 다른 내용이 있어요');
    expect(await feedback.getByRole('button', { name: '신고 취소' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '새 대화' }).isVisible()).toBe(true);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    const flagged = arena.app.db
      .select()
      .from(chatFeedback)
      .all()
      .find((f) => f.reason === '사실과 다른 내용이 있어요');
    expect(flagged).toMatchObject({ rating: 'up', flagged: true });
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
