/**
 * The leaderboard's Bradley-Terry view in Chromium on the real standings server: the method
 * switch (held in the URL), intervals, the predicted win-rate matrix, and live updates from votes
 * another client casts over its own socket. Expected figures come from those votes.
 */
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { eloUpdate, INITIAL_RATING } from '../../server/ratings/elo.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { type CastVote, castVote } from '../support/standings.ts';
import type { TestSocket } from '../support/test-server.ts';

const models = [
  { id: 'bt-one', name: 'Heron Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0 },
  { id: 'bt-two', name: 'Wren Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 0 },
];

/** Online Elo (k = 4) and wins per model over the votes, in the order cast. */
function tally(votes: readonly CastVote[]): { elo: Map<string, number>; wins: Map<string, number> } {
  const elo = new Map<string, number>();
  const wins = new Map<string, number>();
  for (const v of votes) {
    const score = v.winner === 'a' ? 1 : v.winner === 'b' ? 0 : 0.5;
    const [ra, rb] = eloUpdate(elo.get(v.modelA) ?? INITIAL_RATING, elo.get(v.modelB) ?? INITIAL_RATING, score, 4);
    elo.set(v.modelA, ra).set(v.modelB, rb);
    if (v.winner === 'a' || v.winner === 'b') {
      const winner = v.winner === 'a' ? v.modelA : v.modelB;
      wins.set(winner, (wins.get(winner) ?? 0) + 1);
    }
  }
  return { elo, wins };
}

describe.skipIf(skipBrowser)('Bradley-Terry leaderboard in Chromium', () => {
  // Two models and a handful of votes: a threshold of 2 rates them both.
  const arena = useBrowserArena({ models, config: { standings: { minVotes: 2 } }, deps: { btIntervalMs: 100 } });
  const votes: CastVote[] = [];
  let voter: TestSocket;

  beforeAll(async () => {
    voter = connectClient(arena.url, { transports: ['websocket'], forceNew: true, reconnection: false }) as TestSocket;
    await new Promise((resolve) => voter.once('connect', () => resolve(null)));
  });

  afterAll(async () => {
    voter?.disconnect();
  });

  async function vote(winner: Winner) {
    votes.push(await castVote(voter, `bt question ${votes.length + 1}: ${winner}`, winner));
  }

  it('switches from the live Elo table to Bradley-Terry with intervals, which keeps updating', async () => {
    for (const winner of ['tie', 'a', 'b', 'tie'] as const) await vote(winner);
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/#/leaderboard`);
    const table = page.getByTestId('standings-table');
    const rows = table.locator('tbody tr[data-model]');
    const method = page.getByRole('combobox', { name: 'Rating method' });

    // Elo is the default view: its rating is the online Elo of the votes.
    await expect.poll(() => page.getByTestId('standings-votes').textContent()).toBe('4');
    expect(await method.inputValue()).toBe('elo');
    expect(await rows.count()).toBe(2);
    let { elo } = tally(votes);
    const { wins } = tally(votes);
    for (const m of models) expect(await table.locator(`tr[data-model=${m.id}] .rating`).textContent()).toBe(elo.get(m.id)!.toFixed(0));

    await method.selectOption('bt');
    await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/leaderboard?method=bt');
    await table.getByRole('columnheader', { name: 'Bradley-Terry (95%)' }).waitFor();
    expect(await page.getByTestId('standings-votes').textContent()).toBe('4');
    expect(await page.locator('.meta', { hasText: 'bootstrap rounds' }).textContent()).toMatch(/Bradley-Terry, 95% intervals from 100 bootstrap rounds/);
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      expect(await row.locator('.ci').textContent()).toMatch(/^\+\d+\/−\d+$/);
      expect(await row.textContent()).toMatch(/Heron Large|Wren Small/);
      expect(await row.locator('.tag').first().textContent()).toBe('demo');
      // Online Elo has its own column here.
      const id = (await row.getAttribute('data-model'))!;
      expect(await row.locator('.elo').textContent()).toBe(elo.get(id)!.toFixed(0));
    }
    // The model with more wins is rated higher (equal records, equal ratings).
    const [first, second] = [rows.first(), rows.nth(1)];
    const ratingOf = async (row: typeof first) => Number(await row.locator('.rating').textContent());
    const winsOf = async (row: typeof first) => wins.get((await row.getAttribute('data-model'))!) ?? 0;
    expect(await winsOf(first)).toBeGreaterThanOrEqual(await winsOf(second));
    expect(await ratingOf(first)).toBeGreaterThanOrEqual(await ratingOf(second));
    // Both intervals drawn, one diamond per model.
    await page.getByTestId('chart-intervals').locator('svg').waitFor();
    expect(await page.getByTestId('chart-intervals').locator('.interval-point > *').count()).toBe(2);

    // The predicted win-rate matrix: one row and column per model, complementary chances.
    const cells = page.getByTestId('win-matrix').locator('td.num');
    expect(await cells.count()).toBe(2);
    const chances = (await cells.allTextContents()).map((t) => Number(t.replace('%', '')));
    expect(chances[0]! + chances[1]!).toBeGreaterThanOrEqual(99);
    expect(chances[0]! + chances[1]!).toBeLessThanOrEqual(101);
    expect(await cells.first().getAttribute('title')).toBe(`${votes.length} votes between them`);

    // Live: another vote arrives as a `standings:update` push, without reloading.
    await vote('a');
    await expect.poll(() => page.getByTestId('standings-votes').textContent()).toBe('5');
    await expect.poll(() => cells.first().getAttribute('title')).toBe('5 votes between them');
    expect(await method.inputValue()).toBe('bt');

    await method.selectOption('elo');
    await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/leaderboard');
    await expect.poll(() => page.getByTestId('standings-votes').textContent()).toBe('5');
    elo = tally(votes).elo;
    for (const m of models) await expect.poll(() => table.locator(`tr[data-model=${m.id}] .rating`).textContent()).toBe(elo.get(m.id)!.toFixed(0));
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
