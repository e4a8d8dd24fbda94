import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { playBattle, type TestSocket } from '../support/test-server.ts';

const models = [
  { id: 'bt-one', name: 'Heron Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0 },
  { id: 'bt-two', name: 'Wren Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 0 },
];

describe.skipIf(skipBrowser)('Bradley-Terry leaderboard in Chromium', () => {
  const arena = useBrowserArena({ models, deps: { btIntervalMs: 100 } });
  let voter: TestSocket;

  beforeAll(async () => {
    voter = connectClient(arena.url, { transports: ['websocket'], forceNew: true, reconnection: false }) as TestSocket;
    await new Promise((resolve) => voter.once('connect', () => resolve(null)));
  });

  afterAll(async () => {
    voter?.disconnect();
  });

  async function vote(winner: Winner) {
    const battleId = await playBattle(voter, `bt question ${winner} ${Math.random()}`);
    expect((await voter.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
  }

  it('switches from the live Elo table to Bradley-Terry with intervals, which keeps updating', async () => {
    for (const winner of ['tie', 'a', 'b', 'tie'] as const) await vote(winner);
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/#/leaderboard`);

    // Elo is the default view.
    await expect.poll(() => page.getByTestId('total-votes').textContent()).toBe('4');
    expect(await page.getByRole('tab', { name: 'Elo (live)' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('tbody tr').count()).toBe(2);

    await page.getByRole('tab', { name: 'Bradley-Terry (95% CI)' }).click();
    await expect.poll(() => page.getByTestId('bt-votes').textContent()).toBe('4');
    const rows = page.getByTestId('bt-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      expect(await row.locator('.ci').textContent()).toMatch(/^\+\d+\/−\d+$/);
      expect(await row.locator('svg.ci-bar').count()).toBe(1);
      expect(await row.textContent()).toMatch(/Heron Large|Wren Small/);
      expect(await row.textContent()).toContain('demo');
    }
    expect(Number(await rows.first().locator('.bt-rating').textContent())).toBeGreaterThanOrEqual(
      Number(await rows.nth(1).locator('.bt-rating').textContent()),
    );

    // The predicted win-rate matrix: one row and column per model, complementary chances.
    const cells = page.getByTestId('win-matrix').locator('td.num');
    expect(await cells.count()).toBe(2);
    const chances = (await cells.allTextContents()).map((t) => Number(t.replace('%', '')));
    expect(chances[0]! + chances[1]!).toBeGreaterThanOrEqual(99);
    expect(chances[0]! + chances[1]!).toBeLessThanOrEqual(101);
    expect(await cells.first().getAttribute('title')).toMatch(/\d+ votes between them/);

    // Live: another vote arrives as a `leaderboard:bt` push, without reloading.
    await vote('a');
    await expect.poll(() => page.getByTestId('bt-votes').textContent()).toBe('5');

    await page.getByRole('tab', { name: 'Elo (live)' }).click();
    await expect.poll(() => page.getByTestId('total-votes').textContent()).toBe('5');
    expect(await page.locator('tbody tr').first().locator('.rating').count()).toBe(1);
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
