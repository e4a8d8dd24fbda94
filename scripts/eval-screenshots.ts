/**
 * Regenerates the screenshots of docs/EVALUATIONS.md from a real server and Chromium:
 *   npm run build && node --import tsx scripts/eval-screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { buildApp, defaultStaticDir } from '../server/app.ts';
import { CLI_ACTOR } from '../server/auth/audit.ts';
import { builtInDemoModels } from '../server/providers/demo.ts';
import { launchBrowser } from '../tests/support/browser.ts';
import { type RecordedRequest, startFakeUpstream } from '../tests/support/fake-upstream.ts';
import { judgeModel, shown, verdictText } from '../tests/support/judge-harness.ts';
import { testConfig } from '../tests/support/test-server.ts';
import { openaiTextStream } from '../tests/support/upstream-fixtures/openai.ts';

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const PASSWORD = 'correct horse battery';

/** The page area covering both regions (for a screenshot of the judge panel and its calibration). */
async function unionBox(page: Page, a: Locator, b: Locator) {
  // Bounding boxes are in viewport terms; a full-page clip is in page terms.
  const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
  const [x, y] = [(await a.boundingBox())!, (await b.boundingBox())!];
  const top = Math.min(x.y, y.y) + scrollY - 8;
  return { x: 0, y: top, width: 1280, height: Math.max(x.y + x.height, y.y + y.height) + scrollY - top + 8 };
}
const out = path.resolve('docs/img');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(path.join(tmpdir(), 'arena-eval-shots-'));
const models = builtInDemoModels().map((m) => ({ ...m, tokensPerSecond: 0 }));
// A local OpenAI-compatible judge: it prefers the longer answer, whichever order it is shown in.
const judgeUpstream = await startFakeUpstream();
const judgeAnswer = (request: RecordedRequest) => {
  const s = shown(request);
  const tag = !s || s.a.length === s.b.length ? 'A=B' : s.a.length > s.b.length ? 'A>B' : 'B>A';
  return { body: openaiTextStream(verdictText(tag)) };
};
judgeUpstream.enqueue(...Array.from({ length: 500 }, () => judgeAnswer));
const judge = { ...judgeModel(judgeUpstream), name: 'Local judge', pricing: { inputPerMillion: 0.15, outputPerMillion: 0.6 } };
const app = await buildApp({ config: testConfig(path.join(dir, 'a.db'), { models: [...models, judge] }), staticDir: defaultStaticDir });
await app.auth.addUser('lead@example.com', 'admin', PASSWORD, CLI_ACTOR);
for (const name of ['ana', 'ben', 'chloe']) await app.auth.addUser(`${name}@example.com`, 'member', PASSWORD, CLI_ACTOR);
await app.fastify.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(out, `eval-${name}.png`), fullPage });

const prompts = [
  { id: 'refund-1', category: 'billing', prompt: 'A customer was charged twice for one order. Write a short, friendly reply.' },
  { id: 'refund-2', category: 'billing', prompt: 'Explain our 30-day refund policy in two sentences.' },
  { id: 'setup-1', category: 'setup', prompt: 'How do I reset my router to factory settings?' },
  { id: 'setup-2', category: 'setup', turns: ['My printer is offline. What should I check?', 'It is still offline after a restart.'] },
  { id: 'tone-1', category: 'tone', prompt: 'Reply to an angry customer whose delivery is a week late.' },
  { id: 'tone-2', category: 'tone', prompt: 'Decline a feature request politely.' },
];

async function signIn(page: Page, email: string) {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  if (email.startsWith('lead')) await shot(page, 'login', false);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const browser = await launchBrowser();
try {
  const admin = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await signIn(admin, 'lead@example.com');
  await admin.goto(`${url}/#/admin/users`);
  await admin.getByRole('button', { name: 'Create invite link' }).click();
  await admin.getByTestId('invite-link').waitFor();
  await shot(admin, 'users');

  await admin.goto(`${url}/#/admin/new`);
  await admin.getByLabel('Name').fill('Support replies: fine-tune vs. base');
  await admin.getByLabel('Description').fill('Which model should answer first-line support tickets?');
  await admin.getByLabel(models[0]!.name).check();
  await admin.getByLabel(models[1]!.name).check();
  await admin.getByLabel(models[2]!.name).check();
  const jsonl = prompts.map((p) => JSON.stringify(p)).join('\n');
  await admin.getByLabel('Prompt file').setInputFiles({ name: 'support-prompts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
  await admin.getByLabel('Votes wanted per prompt and model pair').fill('2');
  await shot(admin, 'create');
  await admin.getByRole('button', { name: 'Create evaluation' }).click();
  await admin.getByRole('button', { name: 'Start' }).click();
  // The page's CSP forbids string predicates (waitForFunction), so poll through locators.
  await until(async () => (await admin.getByTestId('generation-count').textContent()) === '18 / 18');

  for (const [i, name] of ['ana', 'ben', 'chloe'].entries()) {
    const voter = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signIn(voter, `${name}@example.com`);
    await voter.getByRole('link', { name: 'Evaluations' }).click();
    if (i === 0) await shot(voter, 'voter-list', false);
    await voter.getByRole('link', { name: 'Support replies: fine-tune vs. base' }).click();
    for (let n = 0; n < 10; n++) {
      const item = voter.locator('[data-item]');
      if ((await item.count()) === 0) await voter.waitForTimeout(100);
      if ((await item.count()) === 0) break;
      const id = await item.getAttribute('data-item');
      if (i === 0 && n === 0) await shot(voter, 'judge');
      await voter.keyboard.press(String(((n * 7 + i) % 4) + 1));
      await until(async () => (await voter.locator('[data-item]').count()) === 0 || (await voter.locator('[data-item]').getAttribute('data-item')) !== id);
    }
    await voter.close();
  }
  await admin.waitForTimeout(800);
  await shot(admin, 'results');
  const panel = admin.getByRole('region', { name: 'Judge models' });
  await panel.getByLabel('Local judge').check();
  await panel.getByRole('button', { name: 'Estimate cost' }).click();
  await panel.getByTestId('judge-estimate').waitFor();
  await panel.getByRole('button', { name: 'Start judging' }).click();
  await until(async () => /done/.test(await panel.getByTestId('judge-runs').innerText()));
  const calibration = admin.getByRole('region', { name: 'Judge calibration' });
  await calibration.waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: path.join(out, 'eval-judges.png'), fullPage: true, clip: await unionBox(admin, panel, calibration) });
  await admin.goto(`${url}/#/admin/audit`);
  await admin.getByTestId('audit-log').waitFor();
  await shot(admin, 'audit', false);
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await app.fastify.close();
  await judgeUpstream.close();
  rmSync(dir, { recursive: true, force: true });
}
