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
import { KOREAN_DATE_TIME, koreanPage } from '../support/korean.ts';
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
    const admin = identityOf((await arena.app.auth.listUsers()).find((u) => u.email === 'admin@example.com')!);
    const ev = await arena.app.evaluations.create(admin, {
      name,
      description: '',
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      countInPublicLeaderboard: false,
      prompts: { format: 'text', content: 'Explain recursion\nWrite a haiku\n' },
    });
    await arena.app.evaluations.start(admin, ev.id);
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
    // The figures inside the sentence are the figures (not the markup's stand-ins).
    expect(await agreement.getByTestId('chance').innerText()).toMatch(/^\d+%$/);
    expect(await agreement.getByTestId('fleiss').innerText()).toMatch(/^-?\d\.\d{2}$/);

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

  it('in Korean: says all votes are in, explains κ, lists each vote with a Korean time, and asks before closing and reopens', async () => {
    const id = await runningEvaluation('한국어로 보는 평가');
    await voteAll(id, (n) => (n === 0 ? { prefer: 'model-alpha', reason: '알파가 더 간결해요' } : { prefer: 'tie' }));
    const { context, page, problems } = await koreanPage(arena.browser, arena.url, 'admin@example.com');
    cleanup.add(context);
    await page.goto(`${arena.url}/#/admin/evaluations/${id}`);
    const status = page.getByTestId('eval-status');
    await expect.poll(() => status.textContent()).toBe('진행 중 · 투표 완료');
    expect(await page.getByRole('status').innerText()).toBe(
      '투표 완료: 모든 문항이 투표 2개를 받았으므로 아래 결과는 최종 결과입니다. 다 보셨으면 평가를 종료해 주세요.',
    );
    const agreement = page.getByRole('region', { name: '일치도' });
    expect(await agreement.getByRole('heading').innerText()).toBe('투표자 간 일치도');
    expect(await agreement.innerText()).toMatch(/두 명 이상이 평가한 문항 2개 · 일치도 0% \(우연에 의한 일치 \d+%\) · Fleiss의 κ -?\d\.\d{2}/);
    expect(await agreement.innerText()).toMatch(/κ\(카파\)는 여기서 우연을 보정한 값입니다/);

    const review = page.getByRole('region', { name: '문항별 투표' });
    await review.getByRole('article').first().waitFor();
    const first = review.getByRole('article').first();
    expect(await first.getAttribute('aria-label')).toMatch(/^문항 q?\w+: Alpha Secret 대 Bravo Secret$/);
    expect(await first.innerText()).toMatch(/· Alpha Secret 대 Bravo Secret · 투표 2개 중 2개/);
    expect(await first.getByRole('columnheader').allTextContents()).toEqual(['투표자', '선택', '이유', '시각']);
    const rows = (await first.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((cell) => cell.trim()));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['ann@example.com', 'Alpha Secret 쪽이 더 좋음', '알파가 더 간결해요'],
      ['bob@example.com', '비슷함', '—'],
    ]);
    for (const r of rows) expect(r[3]).toMatch(KOREAN_DATE_TIME);
    await review.getByLabel('이유가 있는 문항만').check();
    await expect.poll(() => review.getByRole('heading').innerText()).toBe('문항별 투표 (문항 2개)');
    await first.getByText('두 답변 보기').click();
    await first.getByTestId('answer-x').waitFor();

    // Closing asks first, in Korean; cancelling keeps it running; closing and reopening work.
    await page.getByRole('button', { name: '종료', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '이 평가를 종료할까요?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/투표가 멈추고.*다시 열어/s);
    await dialog.getByRole('button', { name: '취소' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(arena.app.evaluations.progress(id).status).toBe('running');
    await page.getByRole('button', { name: '종료', exact: true }).click();
    await dialog.getByRole('button', { name: '평가 종료' }).click();
    await expect.poll(() => status.textContent()).toBe('종료됨');
    expect(arena.app.evaluations.progress(id).status).toBe('closed');
    await page.getByRole('button', { name: '다시 열기' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^진행 중/);
    expect(arena.app.evaluations.progress(id).status).toBe('running');
    expect(problems).toEqual([]);
  });
});
