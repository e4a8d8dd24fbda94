/**
 * The model page, published snapshots and the admin's Publish action in Chromium, and the model
 * and history pages on a 390 px phone. The routes come from the test-only stand-in
 * (tests/support/history-stand-in.ts) until the server branch that implements them is merged.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { ADMIN, MEMBER, SNAPSHOT } from '../support/history-fixtures.ts';
import { registerHistoryStandIn } from '../support/history-stand-in.ts';

const CAPTIONS = [
  'Rating over time (online Elo)',
  'Rank over time',
  'Rating by category (95% interval)',
  'Time to the whole answer',
  'Output speed',
  'Cost per answer',
];

describe.skipIf(skipBrowser)('model pages and snapshots in Chromium', () => {
  const arena = useBrowserArena({
    users: { [MEMBER]: 'member', [ADMIN]: 'admin' },
    beforeListen: async (app) => void (await registerHistoryStandIn(app)),
  });

  async function open(who: string | null, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await arena.browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    if (who) await signIn(page, arena.url, who);
    return { context, page, problems };
  }

  const recent = (page: Page) => page.locator('[data-battle]').evaluateAll((items) => items.map((li) => li.getAttribute('data-battle')));
  const chartsDrawn = (page: Page) => page.locator('figure.chart svg[aria-label]').count();

  it("shows a model's standing, history, opponents, categories, distributions and the member's own recent battles", async () => {
    const { context, page, problems } = await open(MEMBER);
    await page.goto(`${arena.url}/#/models/model-alpha`);
    await page.getByRole('heading', { name: 'Alpha Secret', level: 2 }).waitFor();
    const figures = await page.getByTestId('figures').innerText();
    expect(figures).toMatch(/Rank\s+1\b/);
    expect(figures).toMatch(/Rating\s+1087\s*\(1057–1117\)/);
    expect(figures).toMatch(/Battles\s+240/);
    expect(figures).toMatch(/Failure rate\s+2\.5% of 120 answers/);

    // Every chart is drawn as SVG, named by its caption and described in words.
    await expect.poll(() => chartsDrawn(page)).toBe(CAPTIONS.length);
    const charts = (await page.locator('figure.chart').evaluateAll((figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg[aria-label]');
        const paints = [...(svg?.querySelectorAll('[fill], [stroke]') ?? [])].flatMap((el) => [el.getAttribute('fill'), el.getAttribute('stroke')]);
        return {
          label: svg?.getAttribute('aria-label'),
          description: svg?.getAttribute('aria-description'),
          summary: f.querySelector('.summary')?.textContent,
          numbers: f.querySelectorAll('details table tbody tr').length,
          paints: [...new Set(paints.filter((p) => p !== null))].sort(),
        };
      }),
    )) as Array<{ label: string; description: string; summary: string; numbers: number; paints: string[] }>;
    expect(charts.map((c) => c.label)).toEqual(CAPTIONS);
    for (const chart of charts) {
      expect(chart.description, chart.label).toBe(chart.summary);
      expect(chart.numbers, chart.label).toBeGreaterThan(0);
      // Readable without colour: marks differ by shape and label, drawn in the text colour only.
      for (const paint of chart.paints) expect(['currentColor', 'white', 'none'], `${chart.label}: ${paint}`).toContain(paint);
    }
    expect(charts[0]!.summary).toBe('Over 20 days the rating went from 1000 on 2026-11-01 to 1078 on 2026-11-20 (+78).');
    expect(charts[2]!.summary).toContain('1 category is provisional');
    expect(charts[3]!.summary).toBe('Median 2.4 s; half of the answers between 1.7 s and 3.3 s; 80% between 1.2 s and 5.1 s; from 800 ms to 9.0 s.');
    expect(charts[0]!.numbers).toBe(20);

    const opponents = await page.getByTestId('opponents').locator('tbody tr').allInnerTexts();
    expect(opponents.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
      ['Bravo Secret', '200', '122', '70', '8', '63%'],
      ['Charlie Secret', '40', '28', '10', '2', '73%'],
    ]);

    // Only the member's own battles, and none not yet voted (listing it here would name the model).
    const ids = await recent(page);
    expect(ids).toHaveLength(10);
    expect(ids.slice(0, 3)).toEqual(['battle-markdown', 'battle-kimchi', 'battle-korean']);
    for (const hidden of ['battle-unvoted', 'battle-other', 'battle-admin', 'battle-anon']) expect(ids).not.toContain(hidden);
    await page.locator('[data-battle=battle-korean] a.prompt').click();
    await page.getByText('Answer B to: 한국어로 이진 탐색을 설명해 주세요').waitFor();
    expect(page.url()).toMatch(/#\/battles\/battle-korean$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists every battle with the model for an admin, and says so for a model that does not exist', async () => {
    const { context, page } = await open(ADMIN);
    await page.goto(`${arena.url}/#/models/model-alpha`);
    await expect.poll(() => recent(page)).toContain('battle-admin');
    expect(await recent(page)).toContain('battle-other');
    expect(await page.locator('main').innerText()).toContain('As an admin you see every battle.');
    await page.goto(`${arena.url}/#/models/${encodeURIComponent('no such/model')}`);
    await page.getByRole('heading', { name: 'Model not found' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('There is no model no such/model.');
    await context.close();
  });

  it('shows a published snapshot read-only, with what it takes to verify it, and downloads the file to verify', async () => {
    const { context, page, problems } = await open(null);
    await page.goto(`${arena.url}/#/snapshots/${SNAPSHOT.id}`);
    await page.getByRole('heading', { name: SNAPSHOT.name }).waitFor();
    const facts = await page.getByTestId('snapshot-facts').innerText();
    for (const expected of [
      'Bradley-Terry · All votes · blind votes only (the public standings) · votes of every date',
      'Bradley-Terry, 95% intervals from 200 bootstrap rounds',
      'Seed\n42',
      'Votes used\n412',
      SNAPSHOT.votesHash,
      'Software version\n0.1.0',
    ]) {
      expect(facts).toContain(expected);
    }
    const rated = await page.getByRole('table', { name: 'Rated models (at least 20 votes)' }).locator('tbody tr').allInnerTexts();
    expect(rated.map((r) => r.split('\t').slice(0, 3).join(' '))).toEqual(['1 Alpha Secret 1087', '2 Bravo Secret 1012']);
    const provisional = await page
      .getByRole('table', { name: /^Provisional/ })
      .locator('tbody tr')
      .allInnerTexts();
    expect(provisional.map((r) => r.split('\t')[0])).toEqual(['Charlie Secret']);
    const commands = await page.locator('.verify pre').allInnerTexts();
    expect(commands).toEqual([
      'npx arena export battles --out battles.jsonl',
      `npx arena ratings --verify snapshot-${SNAPSHOT.id}.json --battles battles.jsonl`,
    ]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `snapshot-${SNAPSHOT.id}.json` }).click()]);
    expect(download.suggestedFilename()).toBe(`snapshot-${SNAPSHOT.id}.json`);
    expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(SNAPSHOT);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an admin publish the view the link carries under a name, then opens its permanent page', async () => {
    const { context, page, problems } = await open(ADMIN);
    await page.goto(`${arena.url}/#/admin/snapshots?method=bt&category=lang%3Ako&votes=all`);
    await page.getByRole('heading', { name: 'Publish a snapshot' }).waitFor();
    expect(await page.getByLabel('Method').inputValue()).toBe('bt');
    expect(await page.getByLabel('Category').inputValue()).toBe('lang:ko');
    expect(await page.getByLabel('Votes', { exact: true }).inputValue()).toBe('all');
    await page.getByRole('listitem').filter({ hasText: SNAPSHOT.name }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('12월 한국어 순위');
    await page.getByLabel('From (UTC)').fill('2026-11-01');
    await page.getByRole('button', { name: 'Publish snapshot' }).click();
    await page.getByRole('heading', { name: '12월 한국어 순위' }).waitFor();
    expect(page.url()).toMatch(/#\/snapshots\/snap-2$/);
    const facts = await page.getByTestId('snapshot-facts').innerText();
    expect(facts).toContain('Bradley-Terry · Korean · all votes, flagged and named ones included · votes from 2026-11-01 to the last (UTC)');
    expect(await page.locator('.verify pre').first().innerText()).toBe('npx arena export battles --include-flagged --out battles.jsonl');
    await page.goto(`${arena.url}/#/admin/snapshots`);
    expect(await page.locator('.snapshots li a').allInnerTexts()).toEqual(['12월 한국어 순위', SNAPSHOT.name]);
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const hash of ['#/models/model-alpha', '#/history', '#/battles/battle-markdown']) {
    it(`fits ${hash} on a 390 px phone without scrolling sideways`, async () => {
      const { context, page, problems } = await open(MEMBER, { width: 390, height: 844 });
      await page.goto(`${arena.url}/${hash}`);
      if (hash.startsWith('#/models')) await expect.poll(() => chartsDrawn(page)).toBe(CAPTIONS.length);
      else
        await page
          .locator(hash === '#/history' ? '[data-battle]' : '[data-testid=answer]')
          .first()
          .waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const overflowing = (await page.evaluate(`[...document.querySelectorAll('main svg, main li, main section, main table')]
        .filter((el) => !el.closest('.scroll, .table-scroll, pre'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).length`)) as number;
      expect(overflowing).toBe(0);
      expect(problems.filter((p) => !/\/x\b|404 \(Not Found\)|The action has been blocked/.test(p))).toEqual([]);
      await context.close();
    });
  }
});
