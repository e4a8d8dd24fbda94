/**
 * A graceful restart (SIGTERM from `docker stop` or systemd: the same fastify.close() main.ts runs)
 * must not strand open pages: they reconnect by themselves to the next process, say that the server
 * restarted, offer the prompt again, and deliver a vote cast while the server was away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, votes } from '../../db/schema.ts';
import { type App, defaultStaticDir } from '../../server/app.ts';
import { launchBrowser, skipBrowser, watchPage } from '../support/browser.ts';
import { fastDemoModels, startTestServer, type TestServer } from '../support/test-server.ts';

describe.skipIf(skipBrowser)('graceful restart', () => {
  let browser: Browser;
  let dir: string;
  let server: TestServer | null = null;
  let port = 0;

  /** The arena on the same port and database each time, as a restarted process would be. */
  async function startArena(tokensPerSecond: number): Promise<App> {
    const models = fastDemoModels.map((m) => ({ ...m, tokensPerSecond }));
    server = await startTestServer({ dir, port, models, deps: { staticDir: defaultStaticDir } });
    port = Number(new URL(server.url).port);
    return server.app;
  }

  async function restart(tokensPerSecond: number, whileDown?: () => Promise<void>): Promise<App> {
    await server!.close();
    server = null;
    await whileDown?.();
    return startArena(tokensPerSecond);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'arena-restart-'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openBattle(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    return page;
  }

  it('reconnects mid-stream without a reload, says the server restarted, and retries the prompt', async () => {
    await startArena(40);
    const page = await openBattle();
    const { problems } = watchPage(page);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Explain how a hash map works');
    await page.keyboard.press('Enter');
    const paneA = page.getByRole('region', { name: 'Model A' }).getByTestId('answer');
    await expect.poll(async () => ((await paneA.textContent()) ?? '').length).toBeGreaterThan(10);

    const next = await restart(0);
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toMatch(/server restarted/);
    await expect.poll(() => page.getByText(/Connection lost/).count()).toBe(0);
    // Cut by the restart, not by the models: stored as such, and no model's error rate moved.
    expect(
      next.db
        .select()
        .from(answers)
        .all()
        .map((a) => a.errorKind),
    ).toEqual(['interrupted', 'interrupted']);
    const board = (await (await fetch(`http://127.0.0.1:${port}/api/leaderboard`)).json()) as { models: Array<{ speed?: { errorRate: number } }> };
    expect(board.models.every((m) => (m.speed?.errorRate ?? 0) === 0)).toBe(true);

    await page.getByRole('button', { name: 'Retry this prompt' }).click();
    await expect.poll(() => page.getByText('Explain how a hash map works').count()).toBe(1);
    const voteA = page.getByRole('button', { name: 'A is better', exact: true });
    await expect.poll(() => voteA.isEnabled(), { timeout: 20_000 }).toBe(true);
    await voteA.click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/You preferred Model A/);
    expect(next.db.select().from(votes).all()).toHaveLength(1);
    // The page that was cut off never logged an error of its own (connection refusals while the
    // server was down are the browser's, not the page's).
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });

  it('delivers a vote cast while the server was restarting, exactly once', async () => {
    const page = await openBattle();
    await page.getByRole('textbox', { name: 'Prompt' }).fill('What is a monad?');
    await page.keyboard.press('Enter');
    const voteB = page.getByRole('button', { name: 'B is better', exact: true });
    await expect.poll(() => voteB.isEnabled(), { timeout: 20_000 }).toBe(true);
    const before = server!.app.db.select().from(votes).all().length;

    const next = await restart(0, async () => {
      await expect.poll(() => page.getByText(/Connection lost|restarting/).count()).toBeGreaterThan(0);
      await voteB.click(); // nobody is listening: the page keeps the vote
    });
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/You preferred Model B/);
    expect(next.db.select().from(votes).all()).toHaveLength(before + 1);
    await page.close();
  });
});
