/**
 * The methodology on the leaderboard page in Chromium, on votes played over real sockets: three
 * models of equal quality, one answering long most of the time, voters preferring longer answers.
 * The Bradley-Terry table says which intervals it used, marks neighbours it cannot tell apart with
 * the votes it would take; the style-control switch changes the table (the long answerer loses its
 * lead), shows the style effects, and lives in the URL.
 */
import { describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { type PlantedVote, plantVotes, seeded, simulateVotes } from '../support/plant-votes.ts';
import { getStandings } from '../support/standings.ts';
import { plantedStyleAdapter } from '../support/style-answers.ts';
import { waitForTurn } from '../support/test-server.ts';

const LONG_SHARE = { 'm-verbose': 0.8, 'm-terse': 0.2, 'm-even': 0.5 };
const models = Object.keys(LONG_SHARE).map((id) => ({ id, name: id.slice(2).toUpperCase(), provider: 'demo' as const }));
const random = seeded(21);

describe.skipIf(skipBrowser)('rating methods on the leaderboard in Chromium', () => {
  const arena = useBrowserArena({
    models,
    deps: { adapterFor: plantedStyleAdapter(LONG_SHARE, random), btIntervalMs: 0 },
    loadTest: true,
    config: { standings: { minVotes: 0 } },
  });

  it('says which intervals it used, marks neighbours it cannot tell apart, and switches style control on and off', { timeout: 180_000 }, async () => {
    const socket = await arena.connect({ voterId: 'style-voter' });
    for (let i = 0; i < 120; i++) {
      const turn = waitForTurn(socket, undefined, 1);
      const started = await socket.emitWithAck('battle:start', { prompt: `question ${i} about sorting` });
      if (!started.ok) throw new Error(started.error.message);
      const { a, b } = await turn;
      const longer: Winner | null = Math.abs(a.length - b.length) > 300 ? (a.length > b.length ? 'a' : 'b') : null;
      const winner: Winner = longer ? (random() < 0.85 ? longer : longer === 'a' ? 'b' : 'a') : random() < 0.5 ? 'a' : 'b';
      const reply = await socket.emitWithAck('battle:vote', { battleId: started.battleId, winner });
      if (!reply.ok) throw new Error(reply.error.message);
    }
    socket.disconnect();
    const server = { url: arena.url, app: arena.app } as Parameters<typeof getStandings>[0];
    const plain = await getStandings(server, { method: 'bt' });
    const styled = await getStandings(server, { method: 'bt', styleControl: '1' });
    const rating = (s: typeof plain, id: string) => s.models.find((m) => m.id === id)!.rating;
    // The planted bias: plain ratings reward length, style control takes most of it out.
    expect(rating(plain, 'm-verbose') - rating(plain, 'm-terse')).toBeGreaterThan(rating(styled, 'm-verbose') - rating(styled, 'm-terse') + 40);

    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${arena.url}/#/leaderboard?method=bt`);
    const table = page.getByTestId('standings-table');
    await table.locator('tbody tr[data-model]').first().waitFor();
    const order = () => table.locator('tbody tr[data-model]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));
    // The first rows may be a view from before the last votes were filed; the live update brings the fit above.
    await expect.poll(order).toEqual(plain.models.map((m) => m.id));
    expect(await page.locator('p.meta[aria-live]').innerText()).toContain('95% intervals from 100 bootstrap rounds');
    // Each adjacent pair the votes do not separate gets a line between its rows.
    const unresolved = plain.neighbours.filter((n) => !n.separated);
    expect(await table.locator('tr.gap').count()).toBe(unresolved.length);
    for (const n of unresolved) {
      const text = await table.locator(`tr.gap[data-between="${n.above} ${n.below}"]`).innerText();
      expect(text).toEqual(
        n.votesToSeparate === null ? 'too close to tell apart: they look tied' : expect.stringMatching(/^about [\d,]+ more votes? between these two/),
      );
    }
    // Sorted by another column, adjacent rows are not neighbours: no lines.
    await table.getByRole('button', { name: 'Votes' }).click();
    expect(await table.locator('tr.gap').count()).toBe(0);
    await table.getByRole('button', { name: 'Rank' }).click();

    const verbose = () => table.locator('tr[data-model="m-verbose"] .rating').innerText();
    expect(await verbose()).toBe(plain.models.find((m) => m.id === 'm-verbose')!.rating.toFixed(0));
    await page.getByLabel('Style control').check();
    await expect.poll(() => page.evaluate('decodeURIComponent(location.hash)')).toContain('styleControl=1');
    await page.getByTestId('style-effects').waitFor();
    await expect.poll(verbose).toBe(styled.models.find((m) => m.id === 'm-verbose')!.rating.toFixed(0));
    expect(await order()).toEqual(styled.models.map((m) => m.id));
    expect(await page.locator('p.meta[aria-live]').innerText()).toContain('95% robust (sandwich) intervals, with a weak prior (sd 400)');
    expect(await page.getByTestId('style-effects').innerText()).toMatch(/Length \(tokens\): \+\d\.\d\d/);
    // A reload keeps the view; Elo turns style control off (an Elo fit has no covariates).
    await page.reload();
    await page.getByTestId('style-effects').waitFor();
    expect(await page.getByLabel('Style control').isChecked()).toBe(true);
    await page.getByLabel('Rating method').selectOption('elo');
    await expect.poll(() => page.getByLabel('Style control').isChecked()).toBe(false);
    expect(await page.getByTestId('style-effects').count()).toBe(0);
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(skipBrowser)('repeated prompts on the integrity page in Chromium', () => {
  const PASTED = 'Write me a poem about the sea';
  const three = ['m-a', 'm-b', 'm-c'].map((id) => ({ id, name: id.toUpperCase(), provider: 'demo' as const }));
  const arena = useBrowserArena({ models: three, config: { standings: { promptDedup: { topShare: 0.05 } } }, users: { 'admin@example.com': 'admin' } });

  it('lists a pasted prompt with its votes and the weight each keeps in the public fit', async () => {
    const ordinary = simulateVotes({ 'm-a': 1000, 'm-b': 1000, 'm-c': 1000 }, 90, seeded(31));
    const pasted: PlantedVote[] = Array.from({ length: 40 }, (_, k) => ({ a: 'm-a', b: k % 2 ? 'm-b' : 'm-c', winner: 'a', prompt: PASTED }));
    plantVotes(arena.app.db.$client, [...ordinary, ...pasted]);
    const page = await arena.browser.newPage();
    const watch = watchPage(page);
    await signIn(page, arena.url, 'admin@example.com');
    await page.goto(`${arena.url}/#/admin/integrity`);
    await page.getByRole('heading', { name: 'Repeated prompts' }).waitFor();
    expect(await page.getByTestId('prompt-dedup').innerText()).toMatch(
      /^1 prompt is asked far more often than the others: their 40 votes count as 1 vote each prompt/,
    );
    const row = page.getByRole('row', { name: new RegExp(PASTED) });
    expect((await row.innerText()).split('\t').map((c) => c.trim())).toEqual([PASTED, '40', '0.025']);
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
