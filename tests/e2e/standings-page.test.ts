/**
 * The leaderboard page in Chromium on the real standings server (server/standings: views over
 * socket.io, categories, fronts), with votes played over real sockets on a moved clock
 * (tests/support/standings-arena.ts). What the page must show is worked out from those votes:
 * online Elo over them in order, votes per model, who is rated and who provisional, which pairs
 * met. Speed and cost come from the answers the server timed and priced, read from its API.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tableFigures } from '../../client/src/lib/standings-table.ts';
import type { Standings, StandingsEntry } from '../../protocol/standings.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn } from '../support/browser-arena.ts';
import { getStandings } from '../support/standings.ts';
import {
  ADMIN,
  DEPRECATED,
  type ExpectedView,
  expectedView,
  HOSTILE_NAME,
  MIN_VOTES,
  NAMES,
  NEWCOMER,
  PRICED,
  useStandingsArena,
} from '../support/standings-arena.ts';
import { wordsIn } from '../support/words.ts';

const rowIds = (page: Page, table = 'standings-table') =>
  page
    .getByTestId(table)
    .locator('tbody tr[data-model]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));
const hashOf = (page: Page) => page.evaluate<string>('decodeURIComponent(location.hash)');
const counted = (expected: ExpectedView) => String(expected.votes.length);

/** Models no other beats on both rating and the other axis (`better`: which way that axis is better). */
function frontOf(points: Array<{ id: string; rating: number; x: number }>, better: 'lower' | 'higher'): Set<string> {
  const good = (p: { x: number }) => (better === 'lower' ? -p.x : p.x);
  return new Set(
    points
      .filter((p) => !points.some((q) => q !== p && q.rating >= p.rating && good(q) >= good(p) && (q.rating > p.rating || good(q) > good(p))))
      .map((p) => p.id),
  );
}

describe.skipIf(skipBrowser)('leaderboard page in Chromium', () => {
  const arena = useStandingsArena();

  async function open(hash = '#/leaderboard', viewport = { width: 1280, height: 900 }) {
    const context = await arena.browser.newContext({ viewport });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/${hash}`);
    await page.getByTestId('standings-table').waitFor();
    return { context, page, watch };
  }

  it('lists rated models with tags and links, provisional ones apart, deprecated ones left out', async () => {
    const expected = expectedView(arena.votes);
    expect(expected.provisional).toEqual([NEWCOMER]);
    expect(expected.rated.length).toBeGreaterThanOrEqual(4);
    const { context, page, watch } = await open();
    expect(await page.getByTestId('standings-votes').textContent()).toBe(counted(expected));
    expect(await rowIds(page)).toEqual(expected.rated);
    for (const id of expected.rated) {
      const row = page.locator(`[data-testid=standings-table] tr[data-model="${id}"]`);
      expect(await row.locator('.rating').textContent(), id).toBe(expected.elo.get(id)!.toFixed(0));
      expect(await row.locator('.votes').textContent(), id).toBe(String(expected.battles.get(id)));
      expect(await row.locator('.tag').first().textContent()).toBe('demo');
    }
    const sol = page.locator('[data-testid=standings-table] tr[data-model=m-sol]');
    for (const text of ['Solar Labs', 'Apache-2.0']) expect(await sol.textContent()).toContain(text);
    // The Elo view's rating is the online Elo: no interval, and no second Elo column.
    expect(await page.getByTestId('standings-table').getByRole('columnheader', { name: 'Elo', exact: true }).count()).toBe(1);
    expect(await page.getByTestId('standings-table').getByRole('columnheader', { name: 'Online Elo' }).count()).toBe(0);
    expect(await sol.locator('.ci').count()).toBe(0);
    const haneul = page.getByRole('link', { name: '하늘 7B' });
    expect(await haneul.getAttribute('href')).toBe('#/models/m-haneul');

    // Below the threshold: in its own table, without a rank, never among the rated ones.
    expect(await rowIds(page, 'provisional-table')).toEqual(expected.provisional);
    expect(await page.getByRole('heading', { name: 'Provisional' }).isVisible()).toBe(true);
    expect(await page.getByText(`Fewer than ${MIN_VOTES} votes in this view`).count()).toBe(1);
    expect(await page.getByTestId('provisional-table').getByRole('columnheader', { name: 'Rank' }).count()).toBe(0);
    expect(await page.locator(`tr[data-model=${NEWCOMER}] .votes`).textContent()).toBe(String(expected.battles.get(NEWCOMER)));
    // Deprecated by the admin: out of the default view, though it has votes.
    expect(expected.battles.get(DEPRECATED)).toBeGreaterThan(0);
    expect(await page.locator(`tr[data-model=${DEPRECATED}]`).count()).toBe(0);
    // Elo has no intervals to be missing: no notice about them.
    expect(await page.getByRole('list', { name: 'About these standings' }).count()).toBe(0);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('filters by category and threshold, holds the view in the URL and shows it again after a reload', async () => {
    const korean = expectedView(arena.votes, { korean: true });
    expect(korean.rated.length).toBeGreaterThanOrEqual(3);
    const { context, page, watch } = await open();
    const category = page.getByRole('combobox', { name: 'Category', exact: true });
    // The server's categories with their counted votes.
    await expect.poll(() => category.locator('option[value="lang:ko"]').textContent()).toBe(`Korean (${korean.votes.length})`);
    expect(await category.locator('option[value="all"]').textContent()).toBe(`All categories (${arena.votes.filter((v) => v.counted).length})`);
    await category.selectOption('lang:ko');
    await expect.poll(() => rowIds(page)).toEqual(korean.rated);
    expect(await hashOf(page)).toBe('#/leaderboard?category=lang:ko');
    expect(await page.getByTestId('standings-votes').textContent()).toBe(counted(korean));
    for (const id of korean.rated) expect(await page.locator(`tr[data-model="${id}"] .votes`).textContent()).toBe(String(korean.battles.get(id)));

    await page.getByRole('combobox', { name: 'Votes', exact: true }).selectOption('all');
    await expect.poll(() => hashOf(page)).toBe('#/leaderboard?category=lang:ko&votes=all');
    await expect.poll(() => page.getByRole('list', { name: 'About these standings' }).textContent()).toMatch(/counts every vote/);
    expect(await rowIds(page)).toEqual(expectedView(arena.votes, { korean: true, votes: 'all' }).rated);

    await page.reload();
    await page.getByTestId('standings-table').waitFor();
    expect(await rowIds(page)).toEqual(korean.rated);
    expect(await page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('lang:ko');
    expect(await page.getByRole('combobox', { name: 'Votes', exact: true }).inputValue()).toBe('all');

    // A higher threshold moves the models with fewer votes to the provisional list.
    await page.goto(`${arena.url}/#/leaderboard`);
    const busiest = Math.max(...expectedView(arena.votes).rated.map((id) => expectedView(arena.votes).battles.get(id)!));
    const threshold = busiest - 2;
    const strict = expectedView(arena.votes, { minVotes: threshold });
    expect(strict.rated.length).toBeGreaterThan(0);
    await page.getByRole('spinbutton', { name: 'Minimum votes' }).fill(String(threshold));
    await page.getByRole('spinbutton', { name: 'Minimum votes' }).press('Tab');
    await expect.poll(() => rowIds(page)).toEqual(strict.rated);
    expect(await rowIds(page, 'provisional-table')).toEqual(strict.provisional);
    expect(await hashOf(page)).toBe(`#/leaderboard?minVotes=${threshold}`);

    // A shared link opens on its view too; a value the contract refuses falls back to the default.
    await page.goto(`${arena.url}/#/leaderboard?category=lang:ko&minVotes=abc&method=bt`);
    await expect.poll(() => page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('lang:ko');
    await expect.poll(() => hashOf(page)).toBe('#/leaderboard?method=bt&category=lang:ko');
    await expect.poll(() => page.getByTestId('standings-table').getByRole('columnheader', { name: 'Bradley-Terry (95%)' }).count()).toBe(1);
    expect((await rowIds(page)).sort()).toEqual([...korean.rated].sort());
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('sorts by a column, best first, then the other way, and keeps the sort in the URL', async () => {
    const expected = expectedView(arena.votes);
    const served = await getStandings(arena as never, {});
    const { context, page } = await open();
    const table = page.getByTestId('standings-table');
    const votes = table.getByRole('button', { name: 'Votes', exact: true });
    await votes.click();
    expect(await table.getByRole('columnheader', { name: 'Votes' }).getAttribute('aria-sort')).toBe('descending');
    const numbers = () => page.locator('[data-testid=standings-table] td.votes').allTextContents();
    const battles = expected.rated.map((id) => expected.battles.get(id)!);
    expect(await numbers()).toEqual([...battles].sort((x, y) => y - x).map(String));
    expect(await hashOf(page)).toBe('#/leaderboard?sort=votes');
    await votes.click();
    expect(await numbers()).toEqual([...battles].sort((x, y) => x - y).map(String));
    expect(await hashOf(page)).toBe('#/leaderboard?sort=votes&dir=asc');

    await table.getByRole('button', { name: 'Cost / 1,000 answers' }).click();
    // Cheapest first; a model without pricing last.
    const cost = new Map(served.models.map((m) => [m.id, m.costPer1kAnswersUsd]));
    const byCost = [...expected.rated].sort((x, y) => (cost.get(x) ?? Infinity) - (cost.get(y) ?? Infinity));
    expect(byCost.at(-1)).toBe('m-rock');
    expect(expected.rated.filter((id) => cost.get(id) !== null).every((id) => PRICED.has(id))).toBe(true);
    expect(await rowIds(page)).toEqual(byCost);
    await page.reload();
    await page.getByTestId('standings-table').waitFor();
    expect(await rowIds(page)).toEqual(byCost);
    await context.close();
  });

  it('hides deprecated models unless "Show deprecated" is on', async () => {
    const { context, page, watch } = await open();
    expect(await rowIds(page)).not.toContain(DEPRECATED);
    const toggle = page.getByRole('checkbox', { name: 'Show deprecated' });
    await toggle.check();
    const all = expectedView(arena.votes, { deprecated: true });
    await expect.poll(() => rowIds(page)).toEqual(all.rated);
    expect(all.rated).toContain(DEPRECATED);
    expect(await page.locator(`tr[data-model=${DEPRECATED}] .tag.deprecated`).textContent()).toBe('deprecated');
    expect(await hashOf(page)).toBe('#/leaderboard?deprecated=1');
    await toggle.uncheck();
    await expect.poll(() => rowIds(page)).toEqual(expectedView(arena.votes).rated);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('draws the charts: both heatmaps a cell per pair, price and speed with their fronts, rating over time', async () => {
    const expected = expectedView(arena.votes);
    const served: Standings = await getStandings(arena as never, {});
    expect(served.models.map((m) => m.id)).toEqual(expected.rated);
    const { context, page, watch } = await open();
    const chart = (id: string) => page.getByTestId(id).locator('svg[role=img]');
    await chart('chart-price').waitFor();
    const count = (id: string, selector: string) => chart(id).locator(selector).count();

    // n rated models: n × (n − 1) ordered pairs; a grey cell with a dash where two never met.
    const n = expected.rated.length;
    const never = expected.rated.flatMap((a) => expected.rated.filter((b) => b !== a && !expected.met.has(`${a} ${b}`)));
    expect(await count('chart-observed', '.heat-cell > rect')).toBe(n * (n - 1));
    expect(await count('chart-observed', '.heat-empty > rect')).toBe(never.length);
    expect(await count('chart-battles', '.heat-cell > rect')).toBe(n * (n - 1));
    expect(
      await chart('chart-observed')
        .locator('text', { hasText: /^\d+%$/ })
        .count(),
    ).toBe(n * (n - 1) - never.length);
    expect(await page.getByTestId('win-matrix').locator('td.num').count()).toBe(n * (n - 1));
    // The battle counts as written in the cells: the votes between each pair.
    const between = (a: string, b: string) => expected.votes.filter((v) => (v.modelA === a && v.modelB === b) || (v.modelA === b && v.modelB === a)).length;
    const cells = await page.getByTestId('chart-battles').locator('.visually-hidden tbody td').allTextContents();
    expect(cells).toEqual(expected.rated.flatMap((a) => expected.rated.map((b) => (a === b ? '' : String(between(a, b))))));
    // Online Elo has no intervals: no interval chart.
    expect(await page.getByTestId('chart-intervals').count()).toBe(0);

    // Price: the rated models with pricing, the front worked out from their ratings and costs.
    const entry = new Map<string, StandingsEntry>(served.models.map((m) => [m.id, m]));
    const pricePoints = expected.rated.flatMap((id) => (PRICED.has(id) ? [{ id, rating: expected.elo.get(id)!, x: entry.get(id)!.costPer1kAnswersUsd! }] : []));
    const priceFront = frontOf(pricePoints, 'lower');
    expect(pricePoints.length).toBeGreaterThanOrEqual(2);
    expect(await count('chart-price', '.chart-points > *')).toBe(pricePoints.length - priceFront.size);
    expect(await count('chart-price', '.chart-front > *')).toBe(priceFront.size);
    expect(await count('chart-price', '.chart-front-line > path')).toBe(1);
    expect(await chart('chart-price').getAttribute('aria-label')).toMatch(/^Price against rating\. /);
    const priceTable = page.getByTestId('chart-price').locator('.visually-hidden tbody tr');
    expect(await priceTable.allTextContents()).toEqual(
      [...pricePoints]
        .sort((a, b) => a.x - b.x)
        .map((p) => `${NAMES.get(p.id)}${Math.round(p.rating)}${tableFigures(wordsIn('en')).usd(p.x)}${priceFront.has(p.id) ? 'yes' : 'no'}`),
    );
    // Speed: the models the server timed, each axis with its own front.
    for (const [id, value, better] of [
      ['chart-tokens', (m: StandingsEntry) => m.speed?.medianTokensPerSecond, 'higher'],
      ['chart-ttft', (m: StandingsEntry) => m.speed?.medianTtftMs, 'lower'],
    ] as const) {
      const points = expected.rated.flatMap((m) => {
        const x = value(entry.get(m)!);
        return x == null ? [] : [{ id: m, rating: expected.elo.get(m)!, x }];
      });
      const front = frontOf(points, better);
      if (points.length === 0) {
        expect(await page.getByTestId(id).count()).toBe(0);
        continue;
      }
      expect(await count(id, '.chart-front > *'), id).toBe(front.size);
      expect(await count(id, '.chart-points > *'), id).toBe(points.length - front.size);
    }

    // One point a day per model, from the day of its first vote in the view.
    const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
    const days = [...new Set(expected.votes.map((v) => dayOf(v.at)))];
    const firstDay = (id: string) => dayOf(expected.votes.find((v) => v.modelA === id || v.modelB === id)!.at);
    const historyPoints = expected.rated.slice(0, 7).reduce((sum, id) => sum + days.filter((d) => d >= firstDay(id)).length, 0);
    await chart('chart-history').waitFor();
    expect(await count('chart-history', '.history-points > *')).toBe(historyPoints);
    expect(await chart('chart-history').textContent()).toContain('하늘 7B');

    // A name with markup is drawn as text everywhere: table, charts, their tables; nothing runs.
    expect(await page.locator('tr[data-model=m-rock] a').textContent()).toBe(HOSTILE_NAME);
    expect(await chart('chart-ttft').textContent()).toContain('Rock Mini <img');
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
    for (const name of ['Rank', 'Model', 'Elo', 'Votes']) {
      const box = (await table.getByRole('columnheader', { name, exact: true }).boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(390);
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
    // The Bradley-Terry view, with its intervals, fits the same way.
    await page.goto(`${arena.url}/#/leaderboard?method=bt`);
    await table.getByRole('columnheader', { name: 'Bradley-Terry (95%)' }).waitFor();
    await page.getByTestId('chart-intervals').locator('svg').waitFor();
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

  it('offers admins a Publish snapshot link with the view on screen, and nobody else', async () => {
    const visitor = await open('#/leaderboard?category=lang:ko');
    expect(await visitor.page.getByRole('link', { name: 'Publish snapshot of this view' }).count()).toBe(0);
    await visitor.context.close();

    const context = await arena.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, ADMIN);
    await page.goto(`${arena.url}/#/leaderboard?method=bt&category=lang:ko&votes=all`);
    await page.getByTestId('standings-table').waitFor();
    const link = page.getByRole('link', { name: 'Publish snapshot of this view' });
    expect(await link.getAttribute('href')).toBe('#/admin/snapshots?method=bt&category=lang:ko&votes=all');
    // It follows the view: another filter, another link.
    await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption('all');
    await expect.poll(() => link.getAttribute('href')).toBe('#/admin/snapshots?method=bt&votes=all');
    await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption('lang:ko');
    await expect.poll(() => link.getAttribute('href')).toBe('#/admin/snapshots?method=bt&category=lang:ko&votes=all');
    await link.click();
    await page.getByRole('heading', { name: 'Publish a snapshot' }).waitFor();
    expect(await page.getByLabel('Method').inputValue()).toBe('bt');
    expect(await page.getByLabel('Category').inputValue()).toBe('lang:ko');
    expect(await page.getByLabel('Votes', { exact: true }).inputValue()).toBe('all');
    await page.getByLabel('Name', { exact: true }).fill('한국어 순위 스냅숏');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/admin/snapshots'),
      page.getByRole('button', { name: 'Publish snapshot' }).click(),
    ]);
    expect(response.status()).toBe(200);
    const { snapshot } = (await response.json()) as { snapshot: { id: string; votes: number; standings: Standings } };
    await page.getByRole('heading', { name: '한국어 순위 스냅숏' }).waitFor();
    // The Korean votes, flagged ones included: the models rated in that view, and the deprecated
    // one marked (a snapshot lists it whatever the view: the export it is verified against has no switch).
    const korean = expectedView(arena.votes, { korean: true, votes: 'all', deprecated: true });
    expect(snapshot.votes).toBe(korean.votes.length);
    expect(snapshot.standings.models.map((m) => m.id).sort()).toEqual([...korean.rated].sort());
    expect(korean.rated).toContain(DEPRECATED);
    for (const m of snapshot.standings.models) expect(m.deprecated, m.id).toBe(m.id === DEPRECATED);
    expect(await page.getByTestId('snapshot-facts').innerText()).toContain(
      'Bradley-Terry · Korean · all votes, flagged and named ones included · votes of every date · deprecated models listed and marked',
    );
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  // Last: it adds a vote the other tests' expectations would then include.
  it('follows another client’s vote live: the newcomer reaches the threshold and joins the ranking, rank changes marked', async () => {
    const before = expectedView(arena.votes);
    expect(before.provisional).toEqual([NEWCOMER]);
    expect(before.battles.get(NEWCOMER)).toBe(MIN_VOTES - 1);
    const { context, page, watch } = await open();
    expect(await page.getByTestId('standings-votes').textContent()).toBe(counted(before));
    expect(await page.locator('[data-testid=standings-table] .change').count()).toBe(0);

    // Another visitor, on their own socket, votes the newcomer the winner of its next battle.
    const voter = await arena.connect({ voterId: 'standings-live-voter-01' });
    arena.clock.set(arena.clock.now() + 3_600_000);
    await arena.voteOnce(voter, '서울에서 가 볼 만한 박물관을 추천해 주세요', (a, b) => (a === NEWCOMER ? 'a' : b === NEWCOMER ? 'b' : null));
    voter.disconnect();
    const after = expectedView(arena.votes);
    expect(after.rated).toContain(NEWCOMER);
    // Unless it came in last, the models below it lost a place: there are marks to read.
    const moved = after.rated.filter((id) => id !== NEWCOMER && before.rated.indexOf(id) !== after.rated.indexOf(id));
    expect(moved.length > 0 || after.rated.at(-1) === NEWCOMER).toBe(true);

    await expect.poll(() => page.getByTestId('standings-votes').textContent()).toBe(counted(after));
    await expect.poll(() => rowIds(page)).toEqual(after.rated);
    expect(await page.getByTestId('provisional-table').count()).toBe(0);
    for (const id of after.rated) {
      const change = page.locator(`[data-testid=standings-table] tr[data-model="${id}"] .change`);
      expect(await page.locator(`tr[data-model="${id}"] .rating`).textContent(), id).toBe(after.elo.get(id)!.toFixed(0));
      if (id === NEWCOMER) {
        expect(await change.getAttribute('title')).toBe('new in this view since the previous update');
        continue;
      }
      const moved = before.rated.indexOf(id) - after.rated.indexOf(id);
      if (moved === 0) {
        expect(await change.count(), id).toBe(0);
        continue;
      }
      const places = Math.abs(moved) === 1 ? 'place' : 'places';
      expect(await change.getAttribute('title'), id).toBe(`${moved > 0 ? 'up' : 'down'} ${Math.abs(moved)} ${places}`);
      expect(await change.textContent(), id).toBe(`${moved > 0 ? '▲' : '▼'}${Math.abs(moved)}${moved > 0 ? 'up' : 'down'} ${Math.abs(moved)} ${places}`);
    }
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
