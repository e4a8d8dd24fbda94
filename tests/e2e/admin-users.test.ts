/** Users & invites in Chromium: refused changes show the truth, risky actions ask first, invite links stay and copy. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels } from '../support/test-server.ts';

describe.skipIf(skipBrowser)('users and invites page in Chromium', () => {
  const arena = useBrowserArena({ models: fastDemoModels, users: { 'admin@example.com': 'admin', 'member@example.com': 'member' } });
  const cleanup = useCleanup();

  async function usersPage(): Promise<{ page: Page; problems: string[] }> {
    const context = cleanup.add(await arena.browser.newContext({ viewport: { width: 1280, height: 900 } }));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: arena.url });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/users`);
    await page.getByRole('combobox', { name: 'Role of member@example.com' }).waitFor();
    return { page, problems: watch.problems };
  }
  const userRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });
  const user = async (email: string) => (await arena.app.auth.listUsers()).find((u) => u.email === email)!;

  it('puts the role dropdown back on the real role when the change is refused, and says why', async () => {
    const { page, problems } = await usersPage();
    const own = page.getByRole('combobox', { name: 'Role of admin@example.com' });
    await own.selectOption('member');
    await page
      .getByRole('alert')
      .filter({ hasText: /cannot remove your own admin role/ })
      .waitFor();
    await expect.poll(() => own.inputValue()).toBe('admin');
    expect((await user('admin@example.com')).role).toBe('admin');
    expect(problems.filter((p) => !/409/.test(p))).toEqual([]);
  });

  it('asks before disabling a user, says how to undo it, and undoes it from the page', async () => {
    const { page, problems } = await usersPage();
    const row = userRow(page, 'member@example.com');
    await row.getByRole('button', { name: 'Disable', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable member@example.com?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/signed out.*enable.*again/is);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await user('member@example.com')).disabled).toBe(false);

    await row.getByRole('button', { name: 'Disable', exact: true }).click();
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(async () => (await user('member@example.com')).disabled).toBe(true);
    // Undo: enabling asks nothing and restores the account.
    await row.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect.poll(async () => (await user('member@example.com')).disabled).toBe(false);
    await row.getByRole('button', { name: 'Disable', exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('asks before revoking an invite and says it cannot be undone', async () => {
    const { page, problems } = await usersPage();
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.getByTestId('invite-link').first().waitFor();
    const revoke = page.getByRole('button', { name: 'Revoke' }).first();
    await revoke.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this invite?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/cannot be undone/i);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await arena.app.auth.listInvites()).filter((i) => i.status === 'open')).toHaveLength(1);
    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(async () => (await arena.app.auth.listInvites()).filter((i) => i.status === 'open').length).toBe(0);
    expect(problems).toEqual([]);
  });

  it('keeps every invite link created in this visit on the page, each with a Copy button (clipboard, else selected text)', async () => {
    const { page, problems } = await usersPage();
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await expect.poll(() => page.getByTestId('invite-link').count()).toBe(1);
    await page.locator('form.invite select').first().selectOption('viewer');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await expect.poll(() => page.getByTestId('invite-link').count()).toBe(2);
    const links = await page.getByTestId('invite-link').allTextContents();
    expect(new Set(links).size).toBe(2);
    for (const link of links) expect(link).toMatch(new RegExp(`^${arena.url}/#/signup\\?invite=[\\w-]{16,}$`));

    // Copy puts that link on the clipboard.
    const items = page.getByRole('listitem').filter({ has: page.getByTestId('invite-link') });
    await items.nth(0).getByRole('button', { name: 'Copy' }).click();
    await items.nth(0).getByText('Copied').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(links[0]);

    // Without clipboard access the link is selected, ready for Ctrl+C.
    await page.evaluate('navigator.clipboard.writeText = () => Promise.reject(new Error("denied"))');
    await items.nth(1).getByRole('button', { name: 'Copy' }).click();
    await items
      .nth(1)
      .getByText(/Ctrl\+C|⌘C/)
      .waitFor();
    expect(await page.evaluate('String(getSelection())')).toBe(links[1]);
    expect(problems).toEqual([]);
  });
});
