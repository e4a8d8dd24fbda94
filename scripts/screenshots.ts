/**
 * Regenerates the screenshots in docs/img from a real server and Chromium:
 *   npm run build && node --import tsx scripts/screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, defaultStaticDir } from '../server/app.ts';
import { builtInDemoModels } from '../server/providers/demo.ts';
import { launchBrowser } from '../tests/support/browser.ts';
import { testConfig } from '../tests/support/test-server.ts';

const out = path.resolve('docs/img');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(path.join(tmpdir(), 'arena-shots-'));
const models = builtInDemoModels().map((m) => ({ ...m, tokensPerSecond: 400 }));
const app = await buildApp({ config: testConfig(path.join(dir, 'a.db'), { models }), staticDir: defaultStaticDir });
await app.fastify.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Prompt' }).fill('Write a python function that removes duplicates from a list');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'A is better', exact: true }).waitFor();
  await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`, null, { timeout: 30_000 });
  await page.screenshot({ path: path.join(out, 'battle.png'), fullPage: true });
  await page.getByRole('button', { name: 'A is better', exact: true }).click();
  await page.getByRole('status').waitFor();
  await page.screenshot({ path: path.join(out, 'battle-revealed.png'), fullPage: true });
  for (let i = 0; i < 6; i++) {
    await page.getByRole('button', { name: 'New battle' }).click();
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`Give me ${i + 2} tips for writing clear documentation`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      `!document.querySelector('[aria-busy="true"]') && document.querySelectorAll('[data-testid=answer]').length === 2`,
      null,
      { timeout: 30_000 },
    );
    await page.getByRole('button', { name: i % 3 === 0 ? 'B is better' : 'A is better', exact: true }).click();
    await page.getByRole('status').waitFor();
  }
  await page.goto(`${url}/#/leaderboard`);
  await page.locator('tbody tr').first().waitFor();
  await page.screenshot({ path: path.join(out, 'leaderboard.png') });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await app.fastify.close();
  rmSync(dir, { recursive: true, force: true });
}
