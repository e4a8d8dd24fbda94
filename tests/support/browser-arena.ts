/** A real arena serving the built client, plus Chromium: the set-up every browser test shares. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildApp, defaultStaticDir, type App, type AppDeps } from '../../server/app.ts';
import { PASSWORD } from './auth.ts';
import { launchBrowser } from './browser.ts';
import { testConfig, type TestServerOptions } from './test-server.ts';

export interface BrowserArena {
  app: App;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserArena(opts: Pick<TestServerOptions, 'models' | 'config'> & { deps?: Partial<AppDeps> } = {}): Promise<BrowserArena> {
  const dir = mkdtempSync(path.join(tmpdir(), 'arena-e2e-'));
  const app = await buildApp({ config: testConfig(path.join(dir, 'arena.db'), opts), staticDir: defaultStaticDir, ...opts.deps });
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
  const browser = await launchBrowser();
  return {
    app,
    url,
    browser,
    async close() {
      await browser.close();
      await app.fastify.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
