/**
 * The battle page's controls as a voter meets them: Stop while streaming, New battle that stops the
 * old one, a refused prompt that stays in the box with the limit shown before it is hit, a retry with
 * another pair after a model fails, Hangul input that Enter does not cut short, and a vote that is
 * kept out of the standings saying why.
 */

import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { battles } from '../../db/schema.ts';
import { skipBrowser } from '../support/browser.ts';
import { type BrowserArena, startBrowserArena } from '../support/browser-arena.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels } from '../support/test-server.ts';

const cleanup = useCleanup();

const slow = fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 15 }));
const promptBox = (page: Page) => page.getByRole('textbox', { name: 'Prompt' });

async function send(page: Page, text: string) {
  await promptBox(page).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

const statuses = (a: BrowserArena) =>
  a.app.db
    .select({ status: battles.status })
    .from(battles)
    .all()
    .map((b) => b.status);

describe.skipIf(skipBrowser)('battle controls', () => {
  it('Stop cuts both answers; New battle while streaming stops the old battle, so the limit counts only visible battles', async () => {
    const arena = cleanup.add(await startBrowserArena({ models: slow, config: { limits: { maxConcurrentBattles: 1, battlesBurst: 100 } } }));
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    await send(page, 'Tell me a long story about lighthouses');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByText(/Stopped. This battle can no longer be voted on/).count()).toBe(1);
    expect(statuses(arena)).toEqual(['abandoned']);

    // New battle during streaming, three times in a row, with at most one battle streaming at once.
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'New battle' }).click();
      await send(page, `Another long story, number ${i}`);
      await expect.poll(() => page.getByRole('region', { name: 'Model A' }).getByTestId('answer').textContent()).not.toBe('');
    }
    expect(await page.getByText(/battles may stream at once/).count()).toBe(0);
    await expect.poll(() => statuses(arena).filter((s) => s === 'abandoned').length).toBe(3);
    await page.close();
  });

  it('keeps a refused prompt, and shows the length limit before it is reached', async () => {
    const arena = cleanup.add(
      await startBrowserArena({ models: slow, config: { limits: { maxConcurrentBattles: 1, maxPromptChars: 100, battlesBurst: 100 } } }),
    );
    const page = await (await arena.browser.newContext()).newPage();
    await page.goto(arena.url);
    await promptBox(page).fill('x'.repeat(70));
    expect(await page.locator('#prompt-counter').count()).toBe(0);
    await promptBox(page).fill('x'.repeat(90));
    await expect.poll(() => page.locator('#prompt-counter').textContent()).toBe('90 / 100');
    await promptBox(page).fill('x'.repeat(120));
    await expect.poll(() => page.locator('#prompt-counter').textContent()).toMatch(/120 \/ 100 · 20 too many/);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);

    // A second tab's battle takes the only streaming slot: this tab's prompt is refused, and kept.
    const other = await page.context().newPage(); // same browser, same voter
    await other.goto(arena.url);
    await send(other, 'Hold the slot with a long story');
    await send(page, 'Please keep this text');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/at most 1 battles may stream at once/);
    expect(await promptBox(page).inputValue()).toBe('Please keep this text');
    await page.close();
  });

  it('offers the same prompt to another pair when a model fails, without the model that failed', async () => {
    const models = [{ id: 'broken', name: 'Broken', provider: 'demo' as const, tokensPerSecond: 0, failAfterTokens: 2 }, ...fastDemoModels.slice(0, 2)];
    const arena = cleanup.add(await startBrowserArena({ models, deps: { random: () => 0 } }));
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    await send(page, 'Explain recursion');
    await expect.poll(() => page.getByText(/A model failed to answer/).count()).toBe(1);
    await page.getByRole('button', { name: 'Try with another pair' }).click();
    const voteA = page.getByRole('button', { name: 'A is better', exact: true });
    await expect.poll(() => voteA.isEnabled()).toBe(true);
    const latest = arena.app.db.select().from(battles).all().at(-1)!;
    expect([latest.modelA, latest.modelB].sort()).toEqual(['model-alpha', 'model-bravo']);
    expect(await page.getByText('Explain recursion').count()).toBe(1);
    await page.close();
  });

  it('does not send while a Hangul syllable is being composed; Enter after it sends', async () => {
    const arena = cleanup.add(await startBrowserArena({ models: fastDemoModels }));
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    const cdp = await page.context().newCDPSession(page);
    await promptBox(page).click();
    // What an IME does: composition text, then Enter (keyCode 229) that only commits it.
    await cdp.send('Input.imeSetComposition', { text: '안녕', selectionStart: 2, selectionEnd: 2 });
    await page.evaluate(
      "document.querySelector('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, isComposing: true, bubbles: true, cancelable: true }))",
    );
    await cdp.send('Input.insertText', { text: '안녕하세요' });
    expect(arena.app.db.select().from(battles).all()).toHaveLength(0);
    expect(await promptBox(page).inputValue()).toBe('안녕하세요');
    await page.keyboard.press('Shift+Enter');
    expect(await promptBox(page).inputValue()).toBe('안녕하세요\n');
    await page.keyboard.press('Enter');
    await expect.poll(() => arena.app.db.select().from(battles).all().length).toBe(1);
    await page.close();
  });

  it('says when a vote is recorded but not counted, and why', async () => {
    const arena = cleanup.add(await startBrowserArena({ models: fastDemoModels }));
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    await send(page, 'Tell me about OpenAI and Anthropic'); // the demo answers name the vendors
    const voteA = page.getByRole('button', { name: 'A is better', exact: true });
    await expect.poll(() => voteA.isEnabled()).toBe(true);
    await voteA.click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/does not count in the public standings:\s+an answer named its model or maker/);
    const battle = arena.app.db.select().from(battles).where(eq(battles.status, 'voted')).get();
    expect(battle).toBeDefined();
    await page.close();
  });

  it('follows the stream until the reader scrolls up, announces that voting is open, and puts the cursor back in the prompt after New battle', async () => {
    const arena = cleanup.add(await startBrowserArena({ models: fastDemoModels.map((m) => ({ ...m, model: 'sage', tokensPerSecond: 60 })) }));
    const page = await arena.browser.newPage({ viewport: { width: 390, height: 700 } });
    await page.goto(arena.url);
    await send(page, 'Explain how a compiler works, with code, in detail');
    const scrolled = () => page.evaluate('window.scrollY') as Promise<number>;
    await expect.poll(scrolled, { timeout: 15_000 }).toBeGreaterThan(200);
    // The reader scrolls up to read: the page stays where they put it while the answers grow.
    await page.mouse.move(200, 300);
    await page.mouse.wheel(0, -5000);
    await expect.poll(scrolled).toBeLessThan(50);
    const growing = page.getByRole('region', { name: 'Model A' }).getByTestId('answer');
    const before = (await growing.textContent())?.length ?? 0;
    await expect.poll(async () => (await growing.textContent())?.length ?? 0).toBeGreaterThan(before + 20);
    expect(await scrolled()).toBeLessThan(50);

    const live = page.locator('[aria-live="polite"].visually-hidden');
    await expect.poll(() => live.textContent(), { timeout: 30_000 }).toMatch(/Voting is open/);
    await page.getByRole('button', { name: 'A is better', exact: true }).click();
    await page.getByRole('button', { name: 'New battle' }).click();
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Prompt');
  });
});
