/** The admin's evaluation page in Chromium: closing asks and can be undone; finished evaluations say so; κ is explained; votes and reasons per item. */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import { identityOf } from '../../server/auth/service.ts';
import { PASSWORD } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels } from '../support/test-server.ts';

describe.skipIf(skipBrowser)('the admin evaluation page in Chromium', () => {
  const arena = useBrowserArena({ models: fastDemoModels, users: { 'admin@example.com': 'admin' } });
  const cleanup = useCleanup();
  const voters: string[] = [];

  beforeAll(async () => {
    for (const email of ['ann@example.com', 'bob@example.com']) voters.push(`user:${(await arena.app.auth.addUser(email, 'member', PASSWORD, CLI_ACTOR)).id}`);
  });

  /** A running evaluation of Alpha against Bravo: two prompts, two votes each, answers generated. */
  async function runningEvaluation(name: string): Promise<string> {
    const admin = identityOf(arena.app.auth.listUsers().find((u) => u.email === 'admin@example.com')!);
    const ev = arena.app.evaluations.create(admin, {
      name,
      description: '',
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      countInPublicLeaderboard: false,
      prompts: { format: 'text', content: 'Explain recursion\nWrite a haiku\n' },
    });
    arena.app.evaluations.start(admin, ev.id);
    await expect.poll(() => arena.app.evaluations.progress(ev.id).generation.pending, { timeout: 15_000 }).toBe(0);
    return ev.id;
  }

  /** Every voter judges every item they are handed, in model terms: `prefer` names the model they pick. */
  async function voteAll(evaluationId: string, plan: (voter: number) => { prefer: string | 'tie'; reason?: string }) {
    for (const [n, voterId] of voters.entries()) {
      for (let next = arena.app.evaluations.next(voterId, evaluationId).item; next; next = arena.app.evaluations.next(voterId, evaluationId).item) {
        const { prefer, reason } = plan(n);
        const assignment = arena.app.db.$client
          .prepare('SELECT swapped FROM eval_assignments WHERE item_id = ? AND voter_id = ?')
          .get(next.itemId, voterId) as { swapped: number };
        const item = arena.app.db.$client.prepare('SELECT model_x AS x FROM eval_items WHERE id = ?').get(next.itemId) as { x: string };
        const leftModel = assignment.swapped ? (item.x === 'model-alpha' ? 'model-bravo' : 'model-alpha') : item.x;
        const winner: Winner = prefer === 'tie' ? 'tie' : prefer === leftModel ? 'a' : 'b';
        await arena.app.evaluations.vote(voterId, { evaluationId, itemId: next.itemId, winner, ...(reason ? { reason } : {}) });
      }
    }
  }

  async function openPage(evaluationId: string): Promise<{ page: Page; problems: string[] }> {
    const context = cleanup.add(await arena.browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/evaluations/${evaluationId}`);
    await page.getByTestId('eval-status').waitFor();
    return { page, problems: watch.problems };
  }

  it('asks before closing, says it can be undone, and reopens a closed evaluation', async () => {
    const id = await runningEvaluation('Close me');
    const { page, problems } = await openPage(id);
    const status = page.getByTestId('eval-status');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Close this evaluation?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/voting stops.*reopen/is);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(arena.app.evaluations.progress(id).status).toBe('running');

    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.getByRole('button', { name: 'Close evaluation' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^closed/);
    expect(arena.app.evaluations.progress(id).status).toBe('closed');

    await page.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^running/);
    expect(arena.app.evaluations.progress(id).status).toBe('running');
    expect(problems).toEqual([]);
  });

  it('says "all votes in" once every item has its votes, explains κ next to it, and lists each item\'s votes with voter, choice, reason and time', async () => {
    const id = await runningEvaluation('Finished');
    // Ann always picks Alpha and says why (in markup that must stay text); Bob calls every item a tie.
    await voteAll(id, (n) => (n === 0 ? { prefer: 'model-alpha', reason: 'Alpha is <b>shorter</b>' } : { prefer: 'tie' }));
    const { page, problems } = await openPage(id);
    await expect.poll(() => page.getByTestId('eval-status').textContent()).toBe('running · all votes in');
    await expect.poll(() => page.locator('body').innerText()).toMatch(/All votes in: every item has its 2 votes/);

    const agreement = page.getByRole('region', { name: 'Agreement' });
    expect(await agreement.innerText()).toMatch(/by chance/);
    expect(await agreement.innerText()).toMatch(/κ.*corrects.*chance/is);

    const review = page.getByRole('region', { name: 'Votes by item' });
    await review.getByRole('article').first().waitFor();
    expect(await review.getByRole('article').count()).toBe(2);
    const first = review.getByRole('article').first();
    const text = await first.innerText();
    expect(text).toMatch(/Explain recursion/);
    expect(text).toMatch(/Alpha Secret.*Bravo Secret/s);
    expect(text).toMatch(/ann@example\.com\s+Alpha Secret better\s+Alpha is <b>shorter<\/b>\s+\d/);
    expect(text).toMatch(/bob@example\.com\s+Tie\s+—/);
    expect(await first.locator('b').count()).toBe(0);

    // Only items with a reason: Ann gave one on both.
    await review.getByLabel('Only items with a reason').check();
    await expect.poll(() => review.innerText()).toMatch(/2 items/);

    // Both answers, side by side, by model.
    await first.getByText('Show both answers').click();
    await first.getByTestId('answer-x').waitFor();
    expect((await first.getByTestId('answer-x').innerText()).length).toBeGreaterThan(10);
    expect((await first.getByTestId('answer-y').innerText()).length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
