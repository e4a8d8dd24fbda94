/**
 * An evaluation with two voters and a judge model, in Chromium: the voters judge (one skips an
 * item), the admin estimates and starts the judge, and the calibration panel shows how far the
 * judge agrees with the people; the per-item view shows its verdicts in both orders.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import { identityOf } from '../../server/auth/service.ts';
import { PASSWORD } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { type FakeUpstream, startFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { judgeModel, prefer, scriptJudge, verdictText } from '../support/judge-harness.ts';
import { koreanPage } from '../support/korean.ts';
import { fastDemoModels } from '../support/test-server.ts';

describe.skipIf(skipBrowser)('judging an evaluation with a model, in Chromium', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    return () => upstream.close();
  });
  const arena = useBrowserArena(() => ({
    models: [...fastDemoModels, judgeModel(upstream)],
    config: { evaluations: { bootstrapRounds: 20, retryDelayMs: 5 } },
    users: { 'admin@example.com': 'admin', 'ann@example.com': 'member', 'bob@example.com': 'member' },
  }));
  const cleanup = useCleanup();

  async function page(email: string): Promise<{ page: Page; problems: string[] }> {
    const context = cleanup.add(await arena.browser.newContext({ viewport: { width: 1280, height: 900 } }));
    const p = await context.newPage();
    const watch = watchPage(p);
    await signIn(p, arena.url, email);
    return { page: p, problems: watch.problems };
  }

  /** The item on screen, or null; never waits for one to appear. */
  const shownItem = (p: Page) => p.locator('[data-item]').evaluateAll((els) => els[0]?.getAttribute('data-item') ?? null);

  const voterIdOf = async (email: string) => `user:${(await arena.app.auth.listUsers()).find((u) => u.email === email)!.id}`;

  /** The key that votes for `model` on the item on screen (sides are drawn per voter). */
  async function keyFor(email: string, itemId: string, model: string): Promise<string> {
    const row = arena.app.db.$client
      .prepare(
        'SELECT a.swapped AS swapped, i.model_x AS x FROM eval_assignments a JOIN eval_items i ON i.id = a.item_id WHERE a.item_id = ? AND a.voter_id = ?',
      )
      .get(itemId, await voterIdOf(email)) as { swapped: number; x: string };
    const left = row.swapped ? (row.x === 'model-alpha' ? 'model-bravo' : 'model-alpha') : row.x;
    return left === model ? '1' : '2';
  }

  it('two voters judge, one skips; the admin starts a judge after its estimate and sees the calibration panel, in English and in Korean', async () => {
    const admin = identityOf((await arena.app.auth.listUsers()).find((u) => u.email === 'admin@example.com')!);
    const ev = await arena.app.evaluations.create(admin, {
      name: 'Judged by a model',
      description: '',
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      countInPublicLeaderboard: false,
      prompts: { format: 'text', content: 'Explain recursion\nWrite a haiku\nName three rivers\n' },
    });
    await arena.app.evaluations.start(admin, ev.id);
    await expect.poll(() => arena.app.evaluations.progress(ev.id).generation.pending, { timeout: 15_000 }).toBe(0);
    await arena.app.auth.addUser('cy@example.com', 'member', PASSWORD, CLI_ACTOR);

    // People prefer Alpha on the first two prompts and Bravo on the third; Bob skips his last item, Cy takes it.
    const preferred = (prompt: string) => (prompt.startsWith('Name') ? 'model-bravo' : 'model-alpha');
    for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com']) {
      const { page: voter, problems } = await page(email);
      await voter.goto(`${arena.url}/#/evaluations/${ev.id}`);
      for (let n = 0; ; n++) {
        const item = voter.locator('[data-item]');
        await voter.locator('[data-item], [role="status"]').first().waitFor();
        if ((await item.count()) === 0) break;
        const id = (await item.getAttribute('data-item'))!;
        const prompt = (await voter.locator('.prompt').first().innerText()).replace(/^Prompt:\s*/, '');
        if (email === 'bob@example.com' && n === 2) await voter.getByRole('button', { name: 'Skip this one' }).click();
        else await voter.keyboard.press(await keyFor(email, id, preferred(prompt)));
        await expect.poll(() => shownItem(voter)).not.toBe(id);
      }
      expect(problems).toEqual([]);
    }
    expect(arena.app.evaluations.progress(ev.id)).toMatchObject({ votes: { cast: 6 }, allVotesIn: true });

    // The judge always prefers Alpha, in both orders.
    scriptJudge(upstream, arena, ev.id, ({ first }) => verdictText(prefer('model-alpha')(first)));

    // In Korean, the estimate first (a dry run: no call is made): the cost in dollars, written the Korean way.
    const korean = await koreanPage(arena.browser, arena.url, 'admin@example.com');
    cleanup.add(korean.context);
    await korean.page.goto(`${arena.url}/#/admin/evaluations/${ev.id}`);
    const koPanel = korean.page.getByRole('region', { name: '심판 모델' });
    await koPanel.getByLabel('Judge GPT').check();
    await koPanel.getByLabel('심판별 지출 한도, USD').fill('500');
    await koPanel.getByRole('button', { name: '비용 추정' }).click();
    await expect.poll(() => koPanel.getByTestId('judge-estimate').textContent()).toMatch(/^호출 6회, 약 US\$\d/);
    await koPanel.getByText('판정 프롬프트 (Arena-Hard-Auto 방식').click();
    expect(await koPanel.innerText()).toContain('판정은 [[A>>B]], [[A>B]], [[A=B]], [[B>A]] 또는 [[B>>A]] 태그에서 읽습니다.');
    expect(upstream.requests).toHaveLength(0);

    const { page: lead, problems } = await page('admin@example.com');
    await lead.goto(`${arena.url}/#/admin/evaluations/${ev.id}`);
    const panel = lead.getByRole('region', { name: 'Judge models' });
    await panel.getByLabel('Judge GPT').check();
    await panel.getByLabel('Spend cap per judge, USD').fill('500');
    await panel.getByRole('button', { name: 'Estimate cost' }).click();
    await expect.poll(() => panel.getByTestId('judge-estimate').textContent()).toMatch(/^6 calls, about \$\d/);
    expect(upstream.requests).toHaveLength(0);
    await panel.getByRole('button', { name: 'Start judging' }).click();
    await expect.poll(() => panel.getByTestId('judge-runs').innerText(), { timeout: 15_000 }).toMatch(/Judge GPT\s+done\s+6 \/ 6\s+0\s+0/);

    const calibration = lead.getByRole('region', { name: 'Judge calibration' });
    await calibration.waitFor();
    // Agrees with the people on two items of three; never flips with the order.
    await expect.poll(() => calibration.getByTestId('judge-agreement').innerText()).toMatch(/^67% \[\d+% – \d+%\] · Cohen's κ 0\.00/);
    expect(await calibration.getByTestId('judge-position-bias').innerText()).toMatch(/on 0% of items \(0 of 3\)/);
    expect(await calibration.getByRole('table', { name: 'Leaderboard of Judge GPT' }).innerText()).toMatch(/1\s+Alpha Secret/);

    const review = lead.getByRole('region', { name: 'Votes by item' });
    await review.getByLabel('Items judged by a model').check();
    const first = review.getByRole('article').first();
    await expect.poll(() => first.getByTestId('item-judgments').innerText()).toMatch(/Judge GPT: Alpha Secret better/);
    expect(await first.innerText()).toMatch(/Alpha Secret shown first: A>B[\s\S]*Bravo Secret shown first: B>A/);
    const skipped = review.getByRole('article').filter({ hasText: 'skipped 1×' });
    expect(await skipped.count()).toBe(1);
    expect(problems).toEqual([]);

    // The Korean page followed the run live: the judge's row, its calibration and its verdicts per item.
    const ko = korean.page;
    await expect.poll(() => koPanel.getByTestId('judge-runs').innerText()).toMatch(/Judge GPT\s+완료\s+6 \/ 6\s+0\s+0\s+US\$[\d.]+ \/ US\$500\.00/);
    const koCalibration = ko.getByRole('region', { name: '심판 보정' });
    await koCalibration.getByRole('article', { name: 'Judge GPT 보정 결과' }).waitFor();
    expect(await koCalibration.getByTestId('judge-agreement').innerText()).toMatch(/^67% \[\d+% – \d+%\] · Cohen의 κ 0\.00/);
    expect(await koCalibration.getByTestId('judge-agreement').innerText()).toMatch(/사람들의 다수 의견이 분명한 문항 3개 기준/);
    expect(await koCalibration.getByTestId('judge-position-bias').innerText()).toMatch(/순서를 바꾸면 판정이 뒤집히는 문항 0% \(3개 중 0개\)/);
    expect(await koCalibration.getByRole('table', { name: 'Judge GPT 순위표' }).innerText()).toMatch(/1\s+Alpha Secret/);
    const koReview = ko.getByRole('region', { name: '문항별 투표' });
    await koReview.getByLabel('모델이 판정한 문항').check();
    const koFirst = koReview.getByRole('article').first();
    await expect.poll(() => koFirst.getByTestId('item-judgments').innerText()).toMatch(/Judge GPT: Alpha Secret 쪽이 더 좋음/);
    expect(await koFirst.innerText()).toMatch(/Alpha Secret 답변을 먼저 보였을 때: A>B[\s\S]*Bravo Secret 답변을 먼저 보였을 때: B>A/);
    expect(await koReview.getByRole('article').filter({ hasText: '건너뜀 1회' }).count()).toBe(1);
    expect(korean.problems).toEqual([]);
  });
});
