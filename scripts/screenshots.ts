/**
 * Regenerates the screenshots in docs/img from a real server and Chromium:
 *   npm run build && node --import tsx scripts/screenshots.ts
 * The battle page from a battle played here; the leaderboard, its charts and a model page (desktop
 * and phone) from a database filled by `arena seed --demo`, as a fresh install shows them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp, defaultStaticDir } from '../server/app.ts';
import { runCli } from '../server/cli/main.ts';
import { builtInDemoModels } from '../server/providers/demo.ts';
import { launchBrowser } from '../tests/support/browser.ts';
import { testConfig } from '../tests/support/test-server.ts';

/** Waits until no answer pane is streaming (the page's CSP forbids string predicates). */
async function untilNoneStreaming(page: Page): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await page.locator('[aria-busy="true"]').count()) > 0) {
    if (Date.now() > deadline) throw new Error('answers still streaming after 30 s');
    await page.waitForTimeout(50);
  }
}

const out = path.resolve('docs/img');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(path.join(tmpdir(), 'arena-shots-'));
const models = builtInDemoModels().map((m) => ({ ...m, tokensPerSecond: 400 }));
const app = await buildApp({ config: testConfig(path.join(dir, 'a.db'), { models }), staticDir: defaultStaticDir });
await app.fastify.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
const browser = await launchBrowser();

/** The standings of a seeded demo: the leaderboard (Elo, Bradley-Terry with the charts, a phone) and a model page. */
async function standingsShots(browser: Browser): Promise<void> {
  const seeded = path.join(dir, 'seeded.db');
  const quiet = { write: () => true };
  if ((await runCli(['seed', '--demo', '--db', seeded], { stdout: quiet, stderr: quiet })) !== 0) throw new Error('arena seed --demo failed');
  const demo = await buildApp({ config: testConfig(seeded, { models: builtInDemoModels() }), staticDir: defaultStaticDir });
  await demo.fastify.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(demo.fastify.server.address() as { port: number }).port}`;
  const chartsDrawn = async (page: Page) => {
    await page.getByTestId('chart-price').locator('svg').waitFor();
    await page.getByTestId('chart-history').locator('svg').waitFor();
  };
  try {
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(`${base}/#/leaderboard`);
    await desktop.getByTestId('standings-table').waitFor();
    await chartsDrawn(desktop);
    await desktop.screenshot({ path: path.join(out, 'leaderboard.png') });
    await desktop.goto(`${base}/#/leaderboard?method=bt`);
    await desktop.getByTestId('chart-intervals').locator('svg').waitFor();
    await chartsDrawn(desktop);
    await desktop.locator('section.charts').screenshot({ path: path.join(out, 'leaderboard-charts.png') });
    const top = await desktop.getByTestId('standings-table').locator('tbody tr').first().getAttribute('data-model');
    await desktop.goto(`${base}/#/models/${top}`);
    await desktop.locator('figure.chart svg').first().waitFor();
    await desktop.waitForTimeout(300);
    await desktop.screenshot({ path: path.join(out, 'model.png'), fullPage: true });
    await desktop.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${base}/#/leaderboard`);
    await phone.getByTestId('standings-table').waitFor();
    await chartsDrawn(phone);
    await phone.screenshot({ path: path.join(out, 'leaderboard-phone.png') });
    await phone.goto(`${base}/#/models/${top}`);
    await phone.locator('figure.chart svg').first().waitFor();
    await phone.waitForTimeout(300);
    await phone.screenshot({ path: path.join(out, 'model-phone.png') });
    await phone.close();

    // The same standings for a Korean visitor, in both themes.
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ locale: 'ko-KR', colorScheme, viewport: { width: 1280, height: 900 } });
      const korean = await context.newPage();
      await korean.goto(`${base}/#/leaderboard`);
      await korean.getByTestId('standings-table').waitFor();
      await korean.waitForTimeout(300);
      await korean.screenshot({ path: path.join(out, `ko-leaderboard-${colorScheme}.png`) });
      await context.close();
    }
  } finally {
    await demo.fastify.close();
  }
}
// The battle page shows the two most contrasting demo models.
const shownLater = ['demo-muddle', 'demo-verse'];
for (const id of shownLater) await app.registry.update(id, { enabled: false });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Prompt' }).fill('Write a python function that removes duplicates from a list');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'A is better', exact: true }).waitFor();
  await untilNoneStreaming(page);
  await page.screenshot({ path: path.join(out, 'battle.png'), fullPage: true });
  await page.getByRole('button', { name: 'A is better', exact: true }).click();
  await page.getByRole('status').waitFor();
  await page.screenshot({ path: path.join(out, 'battle-revealed.png'), fullPage: true });
  await page.close();
  // A Korean visitor's battle: a Hangul prompt, Korean answers, in both themes.
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ locale: 'ko-KR', colorScheme, viewport: { width: 1280, height: 860 } });
    const korean = await context.newPage();
    await korean.goto(url);
    await korean.getByRole('textbox', { name: '질문' }).fill('파이썬에서 리스트의 중복을 없애는 함수를 만들어 주세요');
    await korean.keyboard.press('Enter');
    await korean.getByRole('button', { name: 'A가 더 좋음', exact: true }).waitFor();
    await untilNoneStreaming(korean);
    await korean.screenshot({ path: path.join(out, `ko-battle-${colorScheme}.png`), fullPage: true });
    await context.close();
  }
  await standingsShots(browser);
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await app.fastify.close();
  rmSync(dir, { recursive: true, force: true });
}
