/** The admin's model registry and integrity pages in Chromium: add a model, test it, switch one off. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import type { App } from '../../server/app.ts';
import { signIn, startBrowserArena, type BrowserArena } from '../support/browser-arena.ts';
import { PASSWORD } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { fastDemoModels } from '../support/test-server.ts';


describe.skipIf(skipBrowser)('admin pages in Chromium', () => {
  let arena: BrowserArena;
  let app: App;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    arena = await startBrowserArena({ models: fastDemoModels });
    ({ app, browser, url } = arena);
    await app.auth.addUser('admin@example.com', 'admin', PASSWORD, CLI_ACTOR);
  });

  afterAll(async () => {
    await arena?.close();
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
