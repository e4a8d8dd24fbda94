/** The admin's model registry and integrity pages in Chromium: add a model, test it, switch one off, deprecate one. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { SSE_HEADERS, useSharedUpstream } from '../support/fake-upstream.ts';
import { fastDemoModels } from '../support/test-server.ts';

const notFound = () => ({ status: 404, headers: { 'content-type': 'application/json' }, body: ['{"error":{"message":"model not found"}}'] });
const answer = (content: string) => ({
  status: 200,
  headers: SSE_HEADERS,
  body: [
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`,
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    'data: [DONE]\n\n',
  ],
});

async function fillModelForm(page: Page, fields: { id: string; name: string; baseUrl: string; model: string }) {
  await page.getByLabel('Id', { exact: true }).fill(fields.id);
  await page.getByLabel('Name', { exact: true }).fill(fields.name);
  await page.getByLabel('Provider').selectOption('openai');
  await page.getByLabel('Base URL').fill(fields.baseUrl);
  await page.getByLabel('Upstream model').fill(fields.model);
}

/** The text of the focused element. */
const focused = async (page: Page) => (await page.locator(':focus').textContent())?.trim() ?? null;

describe.skipIf(skipBrowser)('admin pages in Chromium', () => {
  const upstream = useSharedUpstream();
  const arena = useBrowserArena({ models: fastDemoModels, users: { 'admin@example.com': 'admin' } });

  it('adds a model, tests it and switches another off, live', async () => {
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/models`);
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
    await expect.poll(() => arena.app.registry.get('model-alpha')?.enabled).toBe(false);
    const publicModels = (await (await fetch(`${arena.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(publicModels.models.map((m) => m.id).sort()).toEqual(['model-bravo', 'model-charlie', 'poet']);

    // Deprecated: hidden from the standings, still battling.
    const deprecated = page.getByRole('checkbox', { name: 'Deprecate Bravo Secret' });
    await deprecated.check();
    await expect.poll(() => arena.app.registry.isDeprecated('model-bravo')).toBe(true);
    await page.reload();
    expect(await deprecated.isChecked()).toBe(true);
    await deprecated.uncheck();
    await expect.poll(() => arena.app.registry.isDeprecated('model-bravo')).toBe(false);

    await page.goto(`${arena.url}/#/admin/integrity`);
    await page.getByRole('heading', { name: 'Vote integrity' }).waitFor();
    await expect.poll(() => page.locator('body').innerText()).toMatch(/self_identified/);
    expect(watch.problems).toEqual([]);
    await page.close();
  });

  it('shows the failed test and asks "Enable anyway?" before switching on a model whose test failed', async () => {
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/models`);
    await page.locator('tr[data-model="model-alpha"]').waitFor();
    const before = upstream.requests.length;

    // Adding: the test fails, the page asks; Escape (the default answer, Cancel) adds nothing and keeps the form.
    upstream.enqueue(notFound(), notFound());
    await fillModelForm(page, { id: 'flaky', name: 'Flaky Model', baseUrl: `${upstream.url}/v1`, model: 'flaky-1' });
    await page.getByRole('button', { name: 'Add model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enable anyway?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/HTTP 404 from upstream/);
    expect(await focused(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(arena.app.registry.get('flaky')).toBeUndefined();
    expect(await page.getByLabel('Id', { exact: true }).inputValue()).toBe('flaky');

    // Again, and this time the keyboard says yes: stored and switched on, without a second test.
    await page.getByRole('button', { name: 'Add model' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Enable anyway');
    await page.keyboard.press('Enter');
    await page.locator('tr[data-model="flaky"]').waitFor();
    expect(arena.app.registry.get('flaky')?.enabled).toBe(true);
    expect(upstream.requests.length - before).toBe(2);

    // Switching it off and on again: the test fails, Cancel leaves it off and the box unticked.
    const box = page.getByRole('checkbox', { name: 'Enable Flaky Model' });
    await box.uncheck();
    await expect.poll(() => arena.app.registry.get('flaky')?.enabled).toBe(false);
    upstream.enqueue(notFound());
    await box.check();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => box.isChecked()).toBe(false);
    expect(arena.app.registry.get('flaky')?.enabled).toBe(false);

    // The three refusals (409) are expected; nothing else may go wrong.
    const refusals = watch.problems.filter((p) => /^HTTP 409 .*\/api\/admin\/models/.test(p));
    expect(refusals).toHaveLength(3);
    expect(watch.problems.filter((p) => !refusals.includes(p) && !/status of 409 \(Conflict\)/.test(p))).toEqual([]);
    await page.close();
  });

  it('renders the test sample as sanitized Markdown, never raw', async () => {
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/models`);
    await page.locator('tr[data-model="model-alpha"]').waitFor();
    upstream.enqueue(answer('Hi'));
    await fillModelForm(page, { id: 'md', name: 'Markdown Model', baseUrl: `${upstream.url}/v1`, model: 'md-1' });
    await page.getByRole('button', { name: 'Add model' }).click();
    const row = page.locator('tr[data-model="md"]');
    await row.waitFor();

    upstream.enqueue(answer('**Bold** and `code` <img src="x" onerror="window.__pwned = 1">'));
    await row.getByRole('button', { name: 'Test' }).click();
    const output = page.locator('tr.check');
    await output.locator('strong').waitFor();
    expect(await output.locator('strong').textContent()).toBe('Bold');
    expect(await output.locator('code').textContent()).toBe('code');
    expect(await output.innerText()).not.toContain('**');
    expect(await output.locator('[onerror]').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // The sanitized <img src="x"> may load (and 404); Chromium reports the CSP blocking the handler
    // it sees while DOMPurify parses the markup in an inert document (as in xss.test.ts).
    expect(watch.problems.filter((p) => !/\/x\b|404 \(Not Found\)|The action has been blocked/.test(p))).toEqual([]);
    await page.close();
  });
});
