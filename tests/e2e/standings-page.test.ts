/**
 * The leaderboard page on the standings contract (protocol/standings.ts) in Chromium. The
 * standings server is another branch's: StandingsStandIn answers its events and routes from fixed
 * data on the real test app, and `push()` stands for another client's vote.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { HOSTILE_NAME } from '../support/standings-fixtures.ts';
import { StandingsStandIn } from '../support/standings-stand-in.ts';

const rowIds = (page: Page, table = 'standings-table') =>
  page
    .getByTestId(table)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));
const hashOf = (page: Page) => page.evaluate<string>('decodeURIComponent(location.hash)');

describe.skipIf(skipBrowser)('leaderboard page in Chromium', () => {
  const standIn = new StandingsStandIn();
  const arena = useBrowserArena({ beforeListen: standIn.install });
  beforeEach(() => {
    standIn.round = 0;
  });

  async function open(hash = '#/leaderboard', viewport = { width: 1280, height: 900 }) {
    const context = await arena.browser.newContext({ viewport });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/${hash}`);
    await page.getByTestId('standings-table').waitFor();
    return { context, page, watch };
  }

  it('lists rated models with tags and links, provisional ones apart, and follows another vote live', async () => {
    const { context, page, watch } = await open();
    expect(await rowIds(page)).toEqual(['m-sol', 'm-haneul', 'm-wave', 'm-rock']);
    const sol = page.locator('[data-testid=standings-table] tr[data-model=m-sol]');
    expect(await sol.locator('.rating').textContent()).toBe('1105');
    expect(await sol.locator('.ci').textContent()).toBe('+12/−14');
    for (const text of ['Solar Labs', 'Apache-2.0', '220']) expect(await sol.textContent()).toContain(text);
    expect(await page.locator('tr[data-model=m-rock] .tag').first().textContent()).toBe('demo');
    const haneul = page.getByRole('link', { name: '하늘 7B' });
    expect(await haneul.getAttribute('href')).toBe('#/models/m-haneul');

    // Below the threshold: in its own table, without a rank, never among the rated ones.
    expect(await rowIds(page, 'provisional-table')).toEqual(['m-new']);
    expect(await page.getByRole('heading', { name: 'Provisional' }).isVisible()).toBe(true);
    expect(await page.getByTestId('provisional-table').getByRole('columnheader', { name: 'Rank' }).count()).toBe(0);
    const votesBefore = await page.getByTestId('standings-votes').textContent();

    standIn.push();
    await expect.poll(() => rowIds(page)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    expect(await page.getByTestId('standings-votes').textContent()).not.toBe(votesBefore);
    const up = page.locator('tr[data-model=m-haneul] .change');
    expect(await up.textContent()).toBe('▲1up 1 place');
    expect(await up.getAttribute('title')).toBe('up 1 place');
    expect(await page.locator('tr[data-model=m-sol] .change').getAttribute('title')).toBe('down 1 place');
    expect(await page.locator('tr[data-model=m-haneul] .votes').textContent()).toBe('210');
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('filters by category, holds the view in the URL and shows it again after a reload', async () => {
    const { context, page, watch } = await open();
    const category = page.getByRole('combobox', { name: 'Category', exact: true });
    await expect.poll(() => category.locator('option').count()).toBe(4); // the server's categories arrived
    expect(await category.locator('option[value="lang:ko"]').textContent()).toBe('Korean (한국어) (130)');
    await category.selectOption('coding');
    await expect.poll(() => rowIds(page)).toEqual(['m-wave', 'm-sol', 'm-haneul']);
    expect(await hashOf(page)).toBe('#/leaderboard?category=coding');

    await page.getByRole('combobox', { name: 'Votes', exact: true }).selectOption('all');
    await expect.poll(() => hashOf(page)).toBe('#/leaderboard?category=coding&votes=all');
    await expect.poll(() => page.getByRole('list', { name: 'About these standings' }).textContent()).toMatch(/counts every vote/);
    expect(standIn.subscribed.at(-1)).toMatchObject({ category: 'coding', votes: 'all' });

    await page.reload();
    await page.getByTestId('standings-table').waitFor();
    expect(await rowIds(page)).toEqual(['m-wave', 'm-sol', 'm-haneul']);
    expect(await page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('coding');
    expect(await page.getByRole('combobox', { name: 'Votes', exact: true }).inputValue()).toBe('all');

    // A shared link opens on its view too; a value the contract refuses falls back to the default.
    await page.goto(`${arena.url}/#/leaderboard?category=lang:ko&minVotes=abc&method=bt`);
    await expect.poll(() => page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('lang:ko');
    await expect.poll(() => hashOf(page)).toBe('#/leaderboard?method=bt&category=lang:ko');
    expect(
      await page
        .getByTestId('standings-table')
        .getByRole('columnheader', { name: /Bradley-Terry/ })
        .count(),
    ).toBe(1);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('sorts by a column, best first, then the other way, and keeps the sort in the URL', async () => {
    const { context, page } = await open();
    const table = page.getByTestId('standings-table');
    const votes = table.getByRole('button', { name: 'Votes', exact: true });
    await votes.click();
    expect(await table.getByRole('columnheader', { name: 'Votes' }).getAttribute('aria-sort')).toBe('descending');
    const numbers = () => page.locator('[data-testid=standings-table] td.votes').allTextContents();
    expect(await numbers()).toEqual(['220', '180', '150', '90']);
    expect(await hashOf(page)).toBe('#/leaderboard?sort=votes');
    await votes.click();
    expect(await numbers()).toEqual(['90', '150', '180', '220']);
    expect(await hashOf(page)).toBe('#/leaderboard?sort=votes&dir=asc');

    await table.getByRole('button', { name: 'Cost / 1,000 answers' }).click();
    // Cheapest first; the demo model without pricing last.
    expect(await rowIds(page)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    await page.reload();
    await page.getByTestId('standings-table').waitFor();
    expect(await rowIds(page)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    await context.close();
  });

  it('hides deprecated models unless "Show deprecated" is on', async () => {
    const { context, page, watch } = await open();
    expect(await rowIds(page)).not.toContain('m-old');
    const toggle = page.getByRole('checkbox', { name: 'Show deprecated' });
    await toggle.check();
    await expect.poll(() => rowIds(page)).toContain('m-old');
    expect(await page.locator('tr[data-model=m-old] .tag.deprecated').textContent()).toBe('deprecated');
    expect(await hashOf(page)).toBe('#/leaderboard?deprecated=1');
    await toggle.uncheck();
    await expect.poll(() => rowIds(page)).toEqual(['m-sol', 'm-haneul', 'm-wave', 'm-rock']);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('draws the charts: intervals, both heatmaps a cell per pair, price and speed with their fronts, history', async () => {
    const { context, page, watch } = await open();
    const chart = (id: string) => page.getByTestId(id).locator('svg[role=img]');
    await chart('chart-price').waitFor();
    const count = (id: string, selector: string) => chart(id).locator(selector).count();

    expect(await count('chart-intervals', '.interval-point > *')).toBe(4);
    // Four models: 4 × 3 ordered pairs. Sol Large and Rock Mini never met: two grey cells with a dash.
    expect(await count('chart-observed', '.heat-cell > rect')).toBe(12);
    expect(await count('chart-observed', '.heat-empty > rect')).toBe(2);
    expect(await count('chart-battles', '.heat-cell > rect')).toBe(12);
    expect(
      await chart('chart-observed')
        .locator('text', { hasText: /^\d+%$/ })
        .count(),
    ).toBe(10);
    expect(await page.getByTestId('win-matrix').locator('td.num').count()).toBe(12);

    // Price: the three models with pricing, two on the front (하늘 7B is cheapest, Sol Large rated highest).
    expect((await count('chart-price', '.chart-points > *')) + (await count('chart-price', '.chart-front > *'))).toBe(3);
    expect(await count('chart-price', '.chart-front > *')).toBe(2);
    expect(await count('chart-price', '.chart-front-line > path')).toBe(1);
    expect(await chart('chart-price').getAttribute('aria-label')).toMatch(/^Price against rating\. /);
    const priceTable = page.getByTestId('chart-price').locator('.visually-hidden tbody tr');
    expect(await priceTable.allTextContents()).toEqual(['하늘 7B1060$0.90yes', 'Sol Large1105$4.20yes', 'Wave Pro1010$6.50no']);
    expect(await count('chart-tokens', '.chart-front > *')).toBe(3);
    expect(await count('chart-ttft', '.chart-points > *')).toBe(1);

    await chart('chart-history').waitFor();
    expect(await count('chart-history', '.history-points > *')).toBe(20); // 4 models × 5 days
    expect(await chart('chart-history').textContent()).toContain('하늘 7B');

    // A name with markup is drawn as text everywhere: table, charts, their tables; nothing runs.
    expect(await page.locator('tr[data-model=m-rock] a').textContent()).toBe(HOSTILE_NAME);
    expect(await chart('chart-tokens').textContent()).toContain('Rock Mini <img');
    expect(await page.getByTestId('chart-observed').locator('.visually-hidden').textContent()).toContain(HOSTILE_NAME);
    expect(await page.locator('.leaderboard img').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('fits a 390 px phone: rank, model, rating and votes in view, the other columns scroll inside the table', async () => {
    const viewport = { width: 390, height: 844 };
    const { context, page, watch } = await open('#/leaderboard', viewport);
    await page.getByTestId('chart-price').locator('svg').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const table = page.getByTestId('standings-table');
    for (const name of ['Rank', 'Model', /^Elo \(95%\)/, 'Votes']) {
      const box = (await table.getByRole('columnheader', { name }).boundingBox())!;
      expect(box.x, String(name)).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, String(name)).toBeLessThanOrEqual(390);
    }
    const scroller = await page.evaluate<{ overflowX: string; scrollWidth: number; clientWidth: number }>(`(() => {
      const box = document.querySelector('[data-testid=standings-table]').parentElement;
      return { overflowX: getComputedStyle(box).overflowX, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    })()`);
    expect(scroller.overflowX).toBe('auto');
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth);
    // Scrolling the table brings the last column in; the page itself never moves sideways.
    await table.getByRole('columnheader', { name: 'Cost / 1,000 answers' }).scrollIntoViewIfNeeded();
    expect(await page.evaluate<number>('window.scrollX')).toBe(0);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('loads the chart library with the leaderboard, not with the battle page', async () => {
    const context = await arena.browser.newContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).waitFor();
    expect(scripts.some((u) => u.includes('plot-bundle'))).toBe(false);
    await page.getByRole('link', { name: 'Leaderboard' }).click();
    await page.getByTestId('chart-price').locator('svg').waitFor();
    expect(scripts.some((u) => u.includes('plot-bundle'))).toBe(true);
    await context.close();
  });
});
