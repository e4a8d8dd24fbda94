/**
 * The model page, published snapshots and the admin's Publish action in Chromium, and the model,
 * history and battle pages on a 390 px phone, on the real server with battles played and voted
 * over real sockets (tests/support/history-arena.ts). Expected figures are recomputed from the
 * played votes; the page is read against what the server sent it.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelProfile, Snapshot } from '../../protocol/standings.ts';
import { exportVoteRecords } from '../../server/interop/export-battles.ts';
import { eloUpdate, INITIAL_RATING } from '../../server/ratings/elo.ts';
import { verifySnapshot } from '../../server/snapshots/verify.ts';
import { api, login } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn } from '../support/browser-arena.ts';
import { ADMIN, battle, dayOf, fought, HISTORY_MODELS, MEMBER, type PlayedBattle, seenBy, useHistoryArena } from '../support/history-arena.ts';
import { koreanContext, koreanDay } from '../support/korean-browser.ts';
import { formatIn, wordsIn } from '../support/words.ts';

/** What the English page writes (client/src/lib/history-format.ts). */
const { ms, percent, rating, day } = formatIn('en');

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
      `Over ${days.length} days the rating went from ${Math.round(first.elo)} on ${day(first.day)} to ${Math.round(last.elo)} on ${day(last.day)} (${change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0'}).`,
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
    expect(facts).toContain(`Bradley-Terry · Korean · all votes, flagged and named ones included · votes from ${day(from)} to the last (UTC)`);
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

  /** `text` as a regular expression matching itself. */
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('shows a Korean visitor a model page in Korean, with Korean figures, dates and charts, and switches to English in place', async () => {
    const ko = formatIn('ko');
    const context = await koreanContext(arena.browser, arena.url, MEMBER);
    const page = await context.newPage();
    const { problems } = watchPage(page);
    const profile = await openModel(page, ALPHA);
    await page.getByRole('heading', { name: 'Alpha Secret', level: 2 }).waitFor();
    const [standing, speed] = [profile.standing!, profile.speed!];
    const figures = await page.getByTestId('figures').innerText();
    expect(figures).toMatch(new RegExp(`순위\\s+${standing.rankUB}\\b`));
    expect(figures).toMatch(new RegExp(`점수\\s+${ko.rating(standing.rating)} \\(${ko.rating(standing.ci!.lower)}–${ko.rating(standing.ci!.upper)}\\)`));
    expect(figures).toMatch(new RegExp(`대결\\s+${ko.count(standing.battles)}\\b`));
    expect(figures).toMatch(new RegExp(`승률\\s+${literal(ko.percent(standing.winRate))}`));
    expect(figures).toMatch(new RegExp(`실패율\\s+답변 ${speed.answers}개 중 ${literal(ko.percent(speed.errorRate, 1))}`));
    for (const name of ['시간에 따른 점수와 순위', '상대 모델별 전적', '카테고리별 점수', '속도와 비용', '최근 대결'])
      await page.getByRole('heading', { name, level: 3 }).waitFor();
    // Alpha is priced and timed: its speed and cost in Korean units, dollars as Korean write them.
    const sentence = ko.speedText(speed);
    expect(sentence).toMatch(/^최근 답변 \d+개 기준: 첫 토큰까지 중앙값 .+, 답변당 US\$[\d.]+, 실패 [\d.]+%\.$/);
    expect(await page.locator('main').innerText()).toContain(sentence);
    expect(await page.getByTestId('opponents').getByRole('columnheader').allInnerTexts()).toEqual(['상대', '대결', '승', '패', '무', '승률']);
    expect(await page.locator('main').innerText()).toContain('내가 참여한 대결을 볼 수 있습니다. 관리자는 모든 대결을 봅니다.');

    // The charts: Korean captions and descriptions, Korean days in the summaries and on the time axis.
    const captions = ['시간에 따른 점수 (온라인 Elo)', '시간에 따른 순위', ...(profile.categories.length > 0 ? ['카테고리별 점수 (95% 신뢰 구간)'] : [])];
    const captionsAll = [...captions, '답변 완료까지 걸린 시간', '출력 속도', '답변당 비용'];
    await expect.poll(() => chartsDrawn(page)).toBe(captionsAll.length);
    expect(await page.locator('figure.chart svg[aria-label]').evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label')))).toEqual(captionsAll);
    const [first, last] = [profile.history[0]!, profile.history.at(-1)!];
    const ratingChart = page.locator('figure.chart').filter({ has: page.locator('svg[aria-label="시간에 따른 점수 (온라인 Elo)"]') });
    expect(await ratingChart.locator('svg').getAttribute('aria-description')).toBe(
      wordsIn('ko').t('model.history.ratingSummary', {
        days: profile.history.length,
        from: ko.rating(first.elo),
        fromDay: ko.day(first.day),
        to: ko.rating(last.elo),
        toDay: ko.day(last.day),
        change: (() => {
          const change = Math.round(last.elo - first.elo);
          return change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0';
        })(),
      }),
    );
    expect(await ratingChart.locator('.summary').textContent()).toMatch(/^\d+일 동안 점수가 \d+점\(\d{4}\. \d{1,2}\. \d{1,2}\.\)에서 /);
    const ticks = await ratingChart.locator('svg text').allTextContents();
    expect(
      ticks.some((t) => /^\d{1,2}월 \d{1,2}일$/.test(t)),
      ticks.join(' | '),
    ).toBe(true);
    await ratingChart.locator('summary', { hasText: '수치 보기' }).click();
    expect(await ratingChart.locator('tbody tr').first().locator('td').first().textContent()).toBe(ko.day(first.day));

    // The language switcher: the same page in English at once, charts redrawn with English words.
    await page.getByLabel('언어').selectOption('en');
    await page.getByRole('heading', { name: 'Rating and rank over time', level: 3 }).waitFor();
    await expect.poll(() => page.locator('figure.chart svg[aria-label]').first().getAttribute('aria-label')).toBe(CAPTION.rating);
    expect(await page.getByTestId('figures').innerText()).toMatch(/Win rate/);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a published snapshot to a Korean visitor in Korean, downloads the same file, and says in Korean when there is none', async () => {
    const ko = formatIn('ko');
    const context = await koreanContext(arena.browser, arena.url, null, { acceptDownloads: true });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${arena.url}/#/snapshots/${reference.id}`);
    await page.getByRole('heading', { name: reference.name, level: 2 }).waitFor();
    expect(await page.locator('.kicker').textContent()).toBe('공개된 스냅숏 · 읽기 전용');
    expect(await page.locator('.snapshot > .meta').innerText()).toMatch(
      new RegExp(`^${literal(koreanDay(reference.createdAt))} .+에 공개했습니다\\. 새 투표가 들어와도 이 순위는 바뀌지 않습니다\\.$`),
    );
    const facts = await page.getByTestId('snapshot-facts').innerText();
    for (const expected of [
      '보기 조건\nBradley-Terry · 모든 카테고리 · 블라인드 투표만 (공개 순위) · 모든 날짜의 투표 · 지원 종료된 모델도 표시해 나열',
      `방법\nBradley-Terry, 부트스트랩 ${reference.bootstrap!.rounds}회로 구한 95% 신뢰 구간`,
      `시드\n${reference.bootstrap!.seed}`,
      `최소 투표 수\n${ko.count(minVotes)}`,
      `사용한 투표\n${ko.count(reference.votes)}`,
      `소프트웨어 버전\n${reference.softwareVersion}`,
    ]) {
      expect(facts).toContain(expected);
    }
    const rated = page.getByRole('table', { name: `순위에 오른 모델 (투표 ${minVotes}개 이상)` });
    expect(await rated.getByRole('columnheader').allInnerTexts()).toEqual(['순위', '모델', '점수', '95% 신뢰 구간', '대결', '승률']);
    const rows = await rated.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 3).join(' '))).toEqual(reference.standings.models.map((m) => `${m.rankUB} ${m.name} ${ko.rating(m.rating)}`));
    await page.getByRole('table', { name: `잠정: 투표가 ${minVotes}개 미만이라 순위에 없음` }).waitFor();
    await page.getByRole('heading', { name: '직접 확인하기' }).waitFor();
    const fileName = `snapshot-${reference.id}.json`;
    expect(await page.locator('.verify li').first().innerText()).toBe(`이 스냅숏 내려받기: ${fileName}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: fileName }).click()]);
    expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(reference);

    await page.goto(`${arena.url}/#/snapshots/no-such-snapshot`);
    await page.getByRole('heading', { name: '스냅숏을 찾을 수 없습니다' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('ID no-such-snapshot에 해당하는 공개 스냅숏은 없습니다.');
    expect(problems.filter((p) => !/^HTTP 404 .+\/api\/snapshots\/no-such-snapshot$|404 \(Not Found\)/.test(p))).toEqual([]);
    await context.close();
  });

  it("draws the leaderboard's charts in Korean: titles, text alternatives, their tables, tooltips and ticks", async () => {
    const context = await koreanContext(arena.browser, arena.url, null);
    const page = await context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${arena.url}/#/leaderboard?method=bt&minVotes=1`);
    const chart = (id: string) => page.getByTestId(id).locator('svg[role=img]');
    await chart('chart-intervals').waitFor();
    await page.getByRole('heading', { name: '차트', level: 3 }).waitFor();
    expect(await chart('chart-intervals').getAttribute('aria-label')).toMatch(/^점수와 95% 신뢰 구간\. 모델마다 점수\(마름모\)/);
    expect(await chart('chart-intervals').textContent()).toContain('Bradley-Terry 점수');
    expect(await page.getByTestId('chart-intervals').locator('.visually-hidden th[scope=col]').allTextContents()).toEqual(['모델', '점수', '하한', '상한']);
    expect(await page.getByTestId('chart-intervals').locator('.interval-point title').first().textContent()).toMatch(/: \d+ \(95% 신뢰 구간 \d+–\d+\)$/);
    expect(await chart('chart-observed').getAttribute('aria-label')).toMatch(/^실제 승률\. 행 모델이/);
    expect(await page.getByTestId('chart-observed').locator('caption').textContent()).toBe('실제 승률: 행 모델 대 열 모델');
    expect(await chart('chart-battles').getAttribute('aria-label')).toMatch(/^모델 간 대결 수\. /);
    const matrix = page.getByTestId('win-matrix');
    expect(await matrix.locator('xpath=ancestor::figure[1]/figcaption').textContent()).toMatch(/^행 모델이 열 모델을 이길 것으로 예측한 확률입니다/);
    expect(await matrix.locator('td.num').first().getAttribute('title')).toMatch(/^둘 사이의 투표 \d+개$/);
    // Alpha alone is priced: its point on the price chart, worded and priced in Korean.
    await chart('chart-price').waitFor();
    expect(await chart('chart-price').getAttribute('aria-label')).toMatch(/^가격 대비 점수\. 낮을수록 좋습니다\./);
    expect(await page.getByTestId('chart-price').locator('.visually-hidden tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^Alpha Secret\d+US\$[\d.,]+(예|아니요)$/),
    ]);
    await chart('chart-history').waitFor();
    const ticks = await chart('chart-history').locator('text').allTextContents();
    expect(
      ticks.some((t) => /^\d{1,2}월 \d{1,2}일$/.test(t)),
      ticks.join(' | '),
    ).toBe(true);
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
