/**
 * The model page, published snapshots and the admin's Publish action in Chromium, and the model,
 * history and battle pages on a 390 px phone, on the real server with battles played and voted
 * over real sockets (tests/support/history-arena.ts). Expected figures are recomputed from the
 * played votes; the page is read against what the server sent it.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ms, percent, rating } from '../../client/src/lib/history-format.ts';
import type { ModelProfile, Snapshot } from '../../protocol/standings.ts';
import { exportVoteRecords } from '../../server/interop/export-battles.ts';
import { eloUpdate, INITIAL_RATING } from '../../server/ratings/elo.ts';
import { verifySnapshot } from '../../server/snapshots/verify.ts';
import { api, login } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn } from '../support/browser-arena.ts';
import { ADMIN, battle, dayOf, fought, HISTORY_MODELS, MEMBER, type PlayedBattle, seenBy, useHistoryArena } from '../support/history-arena.ts';

const ALPHA = 'model-alpha';
/** The battles asked in Korean (tests/support/history-arena.ts): the ones filed under `lang:ko`. */
const KOREAN_KEYS = ['korean', 'kimchi', 'other-browser'];
/** The default `elo.k`: the online Elo step of the model page's history. */
const ELO_K = 4;
const CAPTION = {
  rating: 'Rating over time (online Elo)',
  rank: 'Rank over time',
  categories: 'Rating by category (95% interval)',
  latency: 'Time to the whole answer',
  speed: 'Output speed',
  cost: 'Cost per answer',
};

/** Alpha's record against each opponent, from the counted votes that revealed it. */
function opponentsOf(votes: PlayedBattle[]): Map<string, { name: string; battles: number; wins: number; losses: number; ties: number }> {
  const out = new Map<string, { name: string; battles: number; wins: number; losses: number; ties: number }>();
  for (const { vote } of votes) {
    const { a, b } = vote!.models;
    const [me, other] = a.id === ALPHA ? (['a', b] as const) : (['b', a] as const);
    const row = out.get(other.id) ?? { name: other.name, battles: 0, wins: 0, losses: 0, ties: 0 };
    row.battles++;
    if (vote!.winner === me) row.wins++;
    else if (vote!.winner === 'a' || vote!.winner === 'b') row.losses++;
    else row.ties++;
    out.set(other.id, row);
  }
  return out;
}

describe.skipIf(skipBrowser)('model pages and snapshots in Chromium', () => {
  const arena = useHistoryArena();
  const counted = () => arena.data.battles.filter((b) => b.vote?.counted);
  /** The snapshot the admin published before the tests: Bradley-Terry over the public votes, the busiest model alone rated. */
  let reference: Snapshot;
  let minVotes = 0;
  let adminCookie = '';

  beforeAll(async () => {
    const votesOf = new Map<string, number>();
    for (const { vote } of counted()) for (const m of [vote!.models.a.id, vote!.models.b.id]) votesOf.set(m, (votesOf.get(m) ?? 0) + 1);
    minVotes = Math.max(...votesOf.values());
    adminCookie = await login(arena, ADMIN);
    const res = await api<{ snapshot: Snapshot }>(arena, '/api/admin/snapshots', {
      cookie: adminCookie,
      body: { name: '2026년 12월 순위', view: { method: 'bt', minVotes } },
    });
    if (res.status !== 200) throw new Error(`publish failed: ${JSON.stringify(res.body)}`);
    reference = res.body.snapshot;
  });

  async function open(who: string | null, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await arena.browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    if (who) await signIn(page, arena.url, who);
    return { context, page, problems };
  }

  /** Opens a model's page and returns the profile the server sent it. */
  async function openModel(page: Page, id: string): Promise<ModelProfile> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/models/${id}/profile`),
      page.goto(`${arena.url}/#/models/${id}`),
    ]);
    return ((await response.json()) as { profile: ModelProfile }).profile;
  }

  const recent = (page: Page) => page.locator('[data-battle]').evaluateAll((items) => items.map((li) => li.getAttribute('data-battle')));
  const chartsDrawn = (page: Page) => page.locator('figure.chart svg[aria-label]').count();

  it("shows a model's standing, history, opponents, categories, distributions and the member's own recent battles", async () => {
    const votes = counted().filter((b) => fought(b, ALPHA));
    const { context, page, problems } = await open(MEMBER);
    const profile = await openModel(page, ALPHA);
    await page.getByRole('heading', { name: 'Alpha Secret', level: 2 }).waitFor();
    const standing = profile.standing!;
    expect(standing.battles).toBe(votes.length);
    const figures = await page.getByTestId('figures').innerText();
    expect(figures).toMatch(new RegExp(`Rank\\s+${standing.rankUB}\\b`));
    expect(figures).toMatch(new RegExp(`Rating\\s+${rating(standing.rating)} \\(${rating(standing.ci!.lower)}–${rating(standing.ci!.upper)}\\)`));
    expect(figures).toMatch(new RegExp(`Battles\\s+${votes.length}\\b`));
    const record = [...opponentsOf(votes).values()].reduce((s, o) => ({ wins: s.wins + o.wins, ties: s.ties + o.ties }), { wins: 0, ties: 0 });
    expect(figures).toMatch(new RegExp(`Win rate\\s+${percent((record.wins + record.ties / 2) / votes.length)}`));
    expect(figures).toMatch(new RegExp(`Failure rate\\s+${percent(profile.speed!.errorRate, 1).replace('.', '\\.')} of ${profile.speed!.answers} answers`));

    // Its row in each category view it has votes in (server/history/category-ratings.ts): its
    // Korean and multi-turn battles counted there, provisional under the threshold of 20.
    const rows = new Map(profile.categories.map((c) => [c.category, c]));
    const inCategory = (keys: (b: PlayedBattle) => boolean) => votes.filter(keys).length;
    const korean = inCategory((b) => KOREAN_KEYS.includes(b.key));
    const multiTurn = inCategory((b) => b.prompts.length > 1);
    expect(korean + multiTurn).toBeGreaterThan(0);
    expect(rows.get('lang:ko')?.votes).toBe(korean || undefined);
    expect(rows.get('multi_turn')?.votes).toBe(multiTurn || undefined);
    for (const c of profile.categories) expect(c.provisional, c.category).toBe(c.votes < 20);

    // Every chart is drawn as SVG, named by its caption and described in words. Alpha is timed and
    // priced, so its three distributions are drawn.
    const captions = [CAPTION.rating, CAPTION.rank, CAPTION.categories, CAPTION.latency, CAPTION.speed, CAPTION.cost];
    await expect.poll(() => chartsDrawn(page)).toBe(captions.length);
    const charts = (await page.locator('figure.chart').evaluateAll((figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg[aria-label]');
        const paints = [...(svg?.querySelectorAll('[fill], [stroke]') ?? [])].flatMap((el) => [el.getAttribute('fill'), el.getAttribute('stroke')]);
        return {
          label: svg?.getAttribute('aria-label'),
          description: svg?.getAttribute('aria-description'),
          summary: f.querySelector('.summary')?.textContent,
          numbers: f.querySelectorAll('details table tbody tr').length,
          paints: [...new Set(paints.filter((p) => p !== null))].sort(),
        };
      }),
    )) as Array<{ label: string; description: string; summary: string; numbers: number; paints: string[] }>;
    expect(charts.map((c) => c.label)).toEqual(captions);
    for (const chart of charts) {
      expect(chart.description, chart.label).toBe(chart.summary);
      expect(chart.numbers, chart.label).toBeGreaterThan(0);
      // Readable without colour: marks differ by shape and label, drawn in the text colour only.
      for (const paint of chart.paints) expect(['currentColor', 'white', 'none'], `${chart.label}: ${paint}`).toContain(paint);
    }
    const byCaption = (caption: string) => charts.find((c) => c.label === caption)!;

    // The rating history is the online Elo of the played votes, one point per UTC day with votes
    // since alpha's first; its last point is alpha's Elo after every vote.
    const elo = new Map<string, number>();
    for (const { vote } of counted()) {
      const { a, b } = vote!.models;
      const score = vote!.winner === 'a' ? 1 : vote!.winner === 'b' ? 0 : 0.5;
      const [ra, rb] = eloUpdate(elo.get(a.id) ?? INITIAL_RATING, elo.get(b.id) ?? INITIAL_RATING, score, ELO_K);
      elo.set(a.id, ra);
      elo.set(b.id, rb);
    }
    const days = [...new Set(counted().map((b) => dayOf(b.vote!.at)))].filter((d) => d >= dayOf(votes[0]!.vote!.at));
    const { history } = profile;
    expect(history.map((p) => p.day)).toEqual(days);
    expect(history.at(-1)!.elo).toBeCloseTo(elo.get(ALPHA)!, 1);
    const [first, last] = [history[0]!, history.at(-1)!];
    const change = Math.round(last.elo - first.elo);
    expect(byCaption(CAPTION.rating).summary).toBe(
      `Over ${days.length} days the rating went from ${Math.round(first.elo)} on ${first.day} to ${Math.round(last.elo)} on ${last.day} (${change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0'}).`,
    );
    expect(byCaption(CAPTION.rating).numbers).toBe(days.length);
    expect(byCaption(CAPTION.categories).numbers).toBe(profile.categories.length);
    const q = profile.distributions.latencyMs.map(ms);
    expect(byCaption(CAPTION.latency).summary).toBe(
      `Median ${q[3]}; half of the answers between ${q[2]} and ${q[4]}; 80% between ${q[1]} and ${q[5]}; from ${q[0]} to ${q[6]}.`,
    );

    const opponents = await page.getByTestId('opponents').locator('tbody tr').allInnerTexts();
    const expected = [...opponentsOf(votes).values()].sort((x, y) => y.battles - x.battles || x.name.localeCompare(y.name));
    expect(opponents.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual(
      expected.map((o) => [o.name, `${o.battles}`, `${o.wins}`, `${o.losses}`, `${o.ties}`, percent((o.wins + o.ties / 2) / o.battles)]),
    );

    // Only the member's own battles, and none not yet voted (listing it here would name the model).
    const mine = seenBy(arena.data, 'member').filter((b) => fought(b, ALPHA));
    const ids = await recent(page);
    expect(ids).toEqual(mine.slice(0, 10).map((b) => b.id));
    expect(ids).toHaveLength(10);
    expect(ids).not.toContain(battle(arena.data, 'unvoted').id);
    const [newest] = mine as [PlayedBattle];
    await page.locator(`[data-battle="${newest.id}"] a.prompt`).click();
    await page.locator('p.prompt', { hasText: newest.prompts[0]! }).waitFor();
    expect(page.url()).toMatch(new RegExp(`#/battles/${newest.id}$`));
    // That battle may be the hostile one: its sanitized <img src="x"> 404s, and Chromium reports the blocked handler.
    expect(problems.filter((p) => !/\/x\b|404 \(Not Found\)|The action has been blocked/.test(p))).toEqual([]);
    await context.close();
  });

  it('lists every battle with the model for an admin, and says so for a model that does not exist', async () => {
    const all = seenBy(arena.data, 'admin').filter((b) => fought(b, ALPHA));
    // The seeded pairs put alpha in battles of the admin and of another browser.
    expect(all.slice(0, 10).map((b) => b.owner)).toEqual(expect.arrayContaining(['admin', 'other-browser', 'member']));
    const { context, page } = await open(ADMIN);
    await openModel(page, ALPHA);
    await expect.poll(() => recent(page)).toEqual(all.slice(0, 10).map((b) => b.id));
    expect(await page.locator('main').innerText()).toContain('As an admin you see every battle.');
    for (const id of ['no-such-model', 'no such/model']) {
      await page.goto(`${arena.url}/#/models/${encodeURIComponent(id)}`);
      await page.getByRole('heading', { name: 'Model not found' }).waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(`There is no model ${id}.`);
    }
    await context.close();
  });

  it('shows a published snapshot read-only, with what it takes to verify it, and downloads the file that verifies', async () => {
    const votesOf = (id: string) => counted().filter((b) => fought(b, id)).length;
    const { context, page, problems } = await open(null);
    await page.goto(`${arena.url}/#/snapshots/${reference.id}`);
    await page.getByRole('heading', { name: reference.name }).waitFor();
    const facts = await page.getByTestId('snapshot-facts').innerText();
    expect(reference.votes).toBe(counted().length);
    for (const expected of [
      'Bradley-Terry · every category · blind votes only (the public standings) · votes of every date',
      `Bradley-Terry, 95% intervals from ${reference.bootstrap!.rounds} bootstrap rounds`,
      `Seed\n${reference.bootstrap!.seed}`,
      `Minimum votes\n${minVotes}`,
      `Votes used\n${counted().length}`,
      reference.votesHash,
      `Software version\n${reference.softwareVersion}`,
    ]) {
      expect(facts).toContain(expected);
    }
    // The busiest model alone has the threshold's votes; the others are provisional.
    const { models, provisional } = reference.standings;
    const ids = HISTORY_MODELS.map((m) => m.id);
    expect(models.map((m) => m.id).sort()).toEqual(ids.filter((id) => votesOf(id) >= minVotes).sort());
    expect(provisional.map((m) => m.id).sort()).toEqual(ids.filter((id) => votesOf(id) > 0 && votesOf(id) < minVotes).sort());
    expect(provisional.length).toBeGreaterThan(0);
    for (const m of [...models, ...provisional]) expect(m.battles, m.id).toBe(votesOf(m.id));
    const rated = await page
      .getByRole('table', { name: `Rated models (at least ${minVotes} votes)` })
      .locator('tbody tr')
      .allInnerTexts();
    expect(rated.map((r) => r.split('\t').slice(0, 3).join(' '))).toEqual(models.map((m) => `${m.rankUB} ${m.name} ${rating(m.rating)}`));
    const provisionalRows = await page
      .getByRole('table', { name: /^Provisional/ })
      .locator('tbody tr')
      .allInnerTexts();
    expect(provisionalRows.map((r) => r.split('\t')[0])).toEqual(provisional.map((m) => m.name));
    const commands = await page.locator('.verify pre').allInnerTexts();
    const fileName = `snapshot-${reference.id}.json`;
    expect(commands).toEqual(['npx arena export battles --out battles.jsonl', `npx arena ratings --verify ${fileName} --battles battles.jsonl`]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: fileName }).click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as Snapshot;
    expect(file).toEqual(reference);
    // What `arena ratings --verify` checks: the export of the same votes confirms every number.
    const verification = verifySnapshot(file, exportVoteRecords(arena.app.db.$client, { includeFlagged: false }));
    expect(verification).toMatchObject({ refuted: 0, used: counted().length });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an admin publish the view the link carries under a name, then opens its permanent page', async () => {
    const { context, page, problems } = await open(ADMIN);
    await page.goto(`${arena.url}/#/admin/snapshots?method=bt&category=lang%3Ako&votes=all`);
    await page.getByRole('heading', { name: 'Publish a snapshot' }).waitFor();
    expect(await page.getByLabel('Method').inputValue()).toBe('bt');
    expect(await page.getByLabel('Category').inputValue()).toBe('lang:ko');
    expect(await page.getByLabel('Votes', { exact: true }).inputValue()).toBe('all');
    await page.getByRole('listitem').filter({ hasText: reference.name }).waitFor();
    // From the day of the middle battle's vote: only the later Korean votes, flagged ones included.
    const from = dayOf(arena.data.battles[18]!.vote!.at);
    const used = arena.data.battles.filter((b) => b.vote && KOREAN_KEYS.includes(b.key) && dayOf(b.vote.at) >= from).length;
    expect(used).toBeGreaterThan(0);
    await page.getByLabel('Name', { exact: true }).fill('12월 한국어 순위');
    await page.getByLabel('From (UTC)').fill(from);
    const publish = () =>
      Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/admin/snapshots'),
        page.getByRole('button', { name: 'Publish snapshot' }).click(),
      ]);
    const [response] = await publish();
    expect(response.status()).toBe(200);
    const published = ((await response.json()) as { snapshot: Snapshot }).snapshot;
    await page.getByRole('heading', { name: '12월 한국어 순위' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`#/snapshots/${published.id}$`));
    const facts = await page.getByTestId('snapshot-facts').innerText();
    expect(published.view.category).toBe('lang:ko');
    expect(facts).toContain(`Bradley-Terry · Korean · all votes, flagged and named ones included · votes from ${from} to the last (UTC)`);
    expect(facts).toContain(`Votes used\n${used}`);
    expect(await page.locator('.verify pre').first().innerText()).toBe('npx arena export battles --include-flagged --out battles.jsonl');
    await page.goto(`${arena.url}/#/admin/snapshots`);
    await expect.poll(() => page.locator('.snapshots li a').allInnerTexts()).toEqual(['12월 한국어 순위', reference.name]);
    // A link without a view starts where the server does: Bradley-Terry, every category, the public votes.
    expect([
      await page.getByLabel('Method').inputValue(),
      await page.getByLabel('Category').inputValue(),
      await page.getByLabel('Votes', { exact: true }).inputValue(),
    ]).toEqual(['bt', 'all', 'blind']);
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const where of ['model', 'history', 'battle'] as const) {
    it(`fits the ${where} page on a 390 px phone without scrolling sideways`, async () => {
      const { context, page, problems } = await open(MEMBER, { width: 390, height: 844 });
      const hash = { model: `#/models/${ALPHA}`, history: '#/history', battle: `#/battles/${battle(arena.data, 'markdown').id}` }[where];
      await page.goto(`${arena.url}/${hash}`);
      if (where === 'model') {
        await page.locator('figure.chart').first().waitFor();
        await expect.poll(async () => (await chartsDrawn(page)) === (await page.locator('figure.chart').count())).toBe(true);
      } else {
        await page
          .locator(where === 'history' ? '[data-battle]' : '[data-testid=answer]')
          .first()
          .waitFor();
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const overflowing = (await page.evaluate(`[...document.querySelectorAll('main svg, main li, main section, main table')]
        .filter((el) => !el.closest('.scroll, .table-scroll, pre'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).length`)) as number;
      expect(overflowing).toBe(0);
      expect(problems.filter((p) => !/\/x\b|404 \(Not Found\)|The action has been blocked/.test(p))).toEqual([]);
      await context.close();
    });
  }
});
