/**
 * The leaderboard of a database filled by `arena seed --demo` (what a fresh install shows first)
 * in Chromium: the table, both heatmaps a cell per pair of rated models, and the price chart with
 * a point per priced model and its Pareto front. Expected from the seeded votes in the database:
 * online Elo over the counted ones in order, votes per model, which pairs met; the costs as the
 * server reports them (its mean over each model's answers).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Standings } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import { runCli } from '../../server/cli/main.ts';
import { builtInDemoModels } from '../../server/providers/demo.ts';
import { eloUpdate, INITIAL_RATING } from '../../server/ratings/elo.ts';
import { SEED_MODELS } from '../../server/seed/catalog.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { startBrowserArena } from '../support/browser-arena.ts';
import { useShared, useTempDir } from '../support/hooks.ts';
import { getStandings } from '../support/standings.ts';

/** The default threshold (`standings.minVotes`). */
const MIN_VOTES = 20;
const PRICED = new Set(SEED_MODELS.filter((m) => m.config.pricing).map((m) => m.config.id));

describe.skipIf(skipBrowser)('the leaderboard of a seeded demo in Chromium', () => {
  const dir = useTempDir('seeded-board-');
  const arena = useShared(
    async () => {
      const quiet = { write: () => true };
      const argv = ['seed', '--demo', '--battles', '600', '--days', '21', '--until', '2026-11-30', '--db', path.join(dir, 'arena.db')];
      const code = await runCli(argv, { stdout: quiet, stderr: quiet });
      if (code !== 0) throw new Error(`arena seed --demo exited with ${code}`);
      return startBrowserArena({ dir, models: builtInDemoModels(), deps: { btIntervalMs: 100 } });
    },
    (a) => a.close(),
  );

  /** Online Elo (k = 4) over the counted votes in the order the standings apply them, votes per model, the pairs that met. */
  function fromDatabase() {
    const votes = arena.app.db.$client
      .prepare('SELECT model_a AS a, model_b AS b, winner FROM votes WHERE counted = 1 ORDER BY created_at, id')
      .all() as Array<{ a: string; b: string; winner: Winner }>;
    const elo = new Map<string, number>();
    const battles = new Map<string, number>();
    const met = new Set<string>();
    for (const v of votes) {
      const score = v.winner === 'a' ? 1 : v.winner === 'b' ? 0 : 0.5;
      const [ra, rb] = eloUpdate(elo.get(v.a) ?? INITIAL_RATING, elo.get(v.b) ?? INITIAL_RATING, score, 4);
      elo.set(v.a, ra).set(v.b, rb);
      for (const m of [v.a, v.b]) battles.set(m, (battles.get(m) ?? 0) + 1);
      met.add(`${v.a} ${v.b}`).add(`${v.b} ${v.a}`);
    }
    const rated = [...elo.keys()].filter((id) => battles.get(id)! >= MIN_VOTES).sort((x, y) => elo.get(y)! - elo.get(x)!);
    return { votes, elo, battles, met, rated };
  }

  it('ranks the seeded votes, draws a heatmap cell per pair and the price chart with its front', async () => {
    const expected = fromDatabase();
    expect(expected.rated.length).toBeGreaterThanOrEqual(6);
    const served: Standings = await getStandings(arena as never, {});
    const page = await arena.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${arena.url}/#/leaderboard`);
    await page.getByTestId('standings-table').waitFor();
    expect(await page.getByTestId('standings-votes').textContent()).toBe(expected.votes.length.toLocaleString('en-US'));
    const rows = await page
      .getByTestId('standings-table')
      .locator('tbody tr[data-model]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model')));
    expect(rows).toEqual(expected.rated);
    for (const id of expected.rated) expect(await page.locator(`tr[data-model="${id}"] .rating`).textContent(), id).toBe(expected.elo.get(id)!.toFixed(0));

    const chart = (id: string) => page.getByTestId(id).locator('svg[role=img]');
    await chart('chart-price').waitFor();
    const count = (id: string, selector: string) => chart(id).locator(selector).count();
    const n = expected.rated.length;
    const never = expected.rated.flatMap((a) => expected.rated.filter((b) => b !== a && !expected.met.has(`${a} ${b}`))).length;
    expect(await count('chart-observed', '.heat-cell > rect')).toBe(n * (n - 1));
    expect(await count('chart-observed', '.heat-empty > rect')).toBe(never);
    expect(await count('chart-battles', '.heat-cell > rect')).toBe(n * (n - 1));

    // The sample models carry prices (the demo models none): one point each, the front those no
    // other priced model beats on both rating and cost.
    const cost = new Map(served.models.map((m) => [m.id, m.costPer1kAnswersUsd]));
    const priced = expected.rated.filter((id) => PRICED.has(id));
    expect(priced.length).toBeGreaterThanOrEqual(3);
    for (const id of expected.rated) expect(cost.get(id) !== null, id).toBe(PRICED.has(id));
    const r = (id: string) => expected.elo.get(id)!;
    const c = (id: string) => cost.get(id)!;
    const front = priced.filter((id) => !priced.some((o) => o !== id && r(o) >= r(id) && c(o) <= c(id) && (r(o) > r(id) || c(o) < c(id))));
    expect(front.length).toBeGreaterThan(0);
    expect(await count('chart-price', '.chart-front > *')).toBe(front.length);
    expect(await count('chart-price', '.chart-points > *')).toBe(priced.length - front.length);
    const yes = await page.getByTestId('chart-price').locator('.visually-hidden tbody tr').allTextContents();
    expect(yes.filter((row) => row.endsWith('yes'))).toHaveLength(front.length);
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
