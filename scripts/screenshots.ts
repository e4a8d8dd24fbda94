/**
 * Regenerates the screenshots in docs/img from a real server and Chromium:
 *   npm run build && node --import tsx scripts/screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { io as connectClient } from 'socket.io-client';
import { buildApp, defaultStaticDir } from '../server/app.ts';
import { builtInDemoModels } from '../server/providers/demo.ts';
import { launchBrowser } from '../tests/support/browser.ts';
import { playBattle, type TestSocket, testConfig } from '../tests/support/test-server.ts';

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
// The first screenshot shows the two most contrasting demo models; all four battle afterwards.
const shownLater = ['demo-muddle', 'demo-verse'];
for (const id of shownLater) app.registry.update(id, { enabled: false });
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
  for (const id of shownLater) app.registry.update(id, { enabled: true });
  for (let i = 0; i < 6; i++) {
    await page.getByRole('button', { name: 'New battle' }).click();
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`Give me ${i + 2} tips for writing clear documentation`);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=answer]').nth(1).waitFor();
    await untilNoneStreaming(page);
    await page.getByRole('button', { name: i % 3 === 0 ? 'B is better' : 'A is better', exact: true }).click();
    await page.getByRole('status').waitFor();
  }
  // More votes than a person would cast in a screenshot session, so the intervals mean something.
  const voter = connectClient(url, { transports: ['websocket'], forceNew: true }) as TestSocket;
  const strength: Record<string, number> = { 'demo-sage': 3, 'demo-brisk': 2, 'demo-verse': 1.2, 'demo-muddle': 0.5 };
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < 120; i++) {
    const battleId = await playBattle(voter, `Question ${i}: how do tides work?`);
    const row = app.db.$client.prepare('SELECT model_a, model_b FROM battles WHERE id = ?').get(battleId) as { model_a: string; model_b: string };
    const pA = strength[row.model_a]! / (strength[row.model_a]! + strength[row.model_b]!);
    const r = random();
    await voter.emitWithAck('battle:vote', { battleId, winner: r < 0.1 ? 'tie' : r < 0.1 + 0.9 * pA ? 'a' : 'b' });
  }
  voter.disconnect();
  await page.goto(`${url}/#/leaderboard`);
  await page.locator('tbody tr').first().waitFor();
  await page.screenshot({ path: path.join(out, 'leaderboard.png') });
  await page.getByRole('tab', { name: 'Bradley-Terry (95% CI)' }).click();
  await page.getByTestId('bt-votes').waitFor();
  await page.getByTestId('win-matrix').waitFor();
  await page.screenshot({ path: path.join(out, 'leaderboard-bt.png'), fullPage: true });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await app.fastify.close();
  rmSync(dir, { recursive: true, force: true });
}
