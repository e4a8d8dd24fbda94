/** The admin's model registry and integrity pages in Chromium: add a model, test it, switch one off. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import { buildApp, defaultStaticDir, type App } from '../../server/app.ts';
import { PASSWORD } from '../support/auth.ts';
import { launchBrowser, skipBrowser, watchPage } from '../support/browser.ts';
import { fastDemoModels, testConfig } from '../support/test-server.ts';

async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/#/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

describe.skipIf(skipBrowser)('admin pages in Chromium', () => {
  let app: App;
  let browser: Browser;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'arena-admin-e2e-'));
    app = await buildApp({ config: testConfig(path.join(dir, 'arena.db'), { models: fastDemoModels }), staticDir: defaultStaticDir });
    await app.fastify.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
    await app.auth.addUser('admin@example.com', 'admin', PASSWORD, CLI_ACTOR);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.fastify.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a model, tests it and switches another off, live', async () => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    await signIn(page, url, 'admin@example.com');
    await page.goto(`${url}/#/admin/models`);
    await page.locator('tr[data-model="model-alpha"]').waitFor();

    await page.getByLabel('Id', { exact: true }).fill('poet');
    await page.getByLabel('Name', { exact: true }).fill('Poet Model');
    await page.getByLabel('Provider').selectOption('demo');
    await page.getByLabel('Upstream model').fill('verse');
    await page.getByRole('button', { name: 'Add model' }).click();
    const row = page.locator('tr[data-model="poet"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('admin');

    await row.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => page.locator('output').first().textContent()).toMatch(/✓ first token \d+ ms/);

    await page.getByRole('checkbox', { name: 'Enable Alpha Secret' }).uncheck();
    await expect.poll(() => app.registry.get('model-alpha')?.enabled).toBe(false);
    const publicModels = (await (await fetch(`${url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(publicModels.models.map((m) => m.id).sort()).toEqual(['model-bravo', 'model-charlie', 'poet']);

    await page.goto(`${url}/#/admin/integrity`);
    await page.getByRole('heading', { name: 'Vote integrity' }).waitFor();
    expect(await page.locator('body').innerText()).toMatch(/self_identified/);
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
