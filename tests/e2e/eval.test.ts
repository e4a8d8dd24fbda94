import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';
import { KOREAN_DATE_TIME, koreanPage } from '../support/korean.ts';

const models = [
  { id: 'e2e-one', name: 'Orchid Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0 },
  { id: 'e2e-two', name: 'Juniper Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 0 },
  { id: 'e2e-three', name: 'Cedar Mini', provider: 'demo' as const, model: 'muddle', tokensPerSecond: 0 },
];
const prompts = [
  'Explain a hash map',
  'Write a haiku about rain',
  'How do vaccines work?',
  'Plan a weekend in Lisbon',
  'What is recursion?',
  'Tips for a job interview',
];

describe.skipIf(skipBrowser)('evaluations in Chromium', () => {
  const arena = useBrowserArena({ models, users: { 'admin@example.com': 'admin', 'member@example.com': 'member' } });

  it('an admin creates an evaluation from a JSONL file and starts it; a member votes with the keyboard; the admin sees it live', async () => {
    const adminContext = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await adminContext.newPage();
    const adminWatch = watchPage(admin);
    await signIn(admin, arena.url, 'admin@example.com');
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('link', { name: 'New evaluation' }).click();
    await admin.getByLabel('Name').fill('Support answers, round 1');
    await admin.getByLabel('Orchid Large').check();
    await admin.getByLabel('Juniper Small').check();
    const jsonl = prompts.map((prompt, i) => JSON.stringify({ prompt, id: `q${i + 1}`, category: i % 2 ? 'writing' : 'knowledge' })).join('\n');
    await admin.getByLabel('Prompt file').setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
    await admin.getByText('6 non-blank lines, read as jsonl').waitFor();
    await admin.getByLabel('Votes wanted per prompt and model pair').fill('1');
    await admin.getByRole('button', { name: 'Create evaluation' }).click();
    await admin.getByRole('heading', { name: /Support answers, round 1/ }).waitFor();
    expect(admin.url()).toMatch(/#\/admin\/evaluations\/[\w-]+$/);
    await admin.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => admin.getByTestId('generation-count').textContent()).toBe('12 / 12');
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('0 / 6');

    const memberContext = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const member = await memberContext.newPage();
    const memberWatch = watchPage(member);
    await signIn(member, arena.url, 'member@example.com');
    await member.getByRole('link', { name: 'Evaluations' }).click();
    await member.getByRole('link', { name: 'Support answers, round 1' }).click();
    const judged: string[] = [];
    for (const key of ['1', '2', '3', '4', '1']) {
      const item = member.locator('[data-item]');
      await item.waitFor();
      const id = (await item.getAttribute('data-item'))!;
      expect(judged).not.toContain(id);
      expect(await member.getByRole('region', { name: 'Model A' }).getByTestId('answer').textContent()).not.toBe('');
      expect(await member.locator('body').innerText()).not.toMatch(/Orchid|Juniper/);
      await member.keyboard.press(key);
      await expect.poll(async () => (await member.locator('[data-item]').getAttribute('data-item')) !== id).toBe(true);
      judged.push(id);
    }
    await expect.poll(() => member.getByTestId('my-progress').textContent()).toBe('You judged 5; 1 left for you.');

    // The admin page follows live: progress and the evaluation leaderboard.
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('5 / 6');
    const board = admin.getByTestId('eval-leaderboard');
    await expect.poll(() => board.locator('tbody tr td.votes').allTextContents()).toEqual(['5', '5']);
    expect(await board.locator('tbody tr').first().textContent()).toMatch(/Orchid Large|Juniper Small/);
    expect(adminWatch.problems).toEqual([]);
    expect(memberWatch.problems).toEqual([]);
    await adminContext.close();
    await memberContext.close();
  });

  it('in Korean: an admin creates and starts an evaluation and follows it; a member votes, gives a reason in Hangul and skips', async () => {
    const name = '고객 응대 답변 2차';
    const { context: adminContext, page: admin, problems: adminProblems } = await koreanPage(arena.browser, arena.url, 'admin@example.com');
    await admin.getByRole('link', { name: '관리', exact: true }).click();
    await admin.getByRole('link', { name: '새 평가' }).click();
    await admin.getByLabel('이름', { exact: true }).fill(name);
    await admin.getByLabel('설명', { exact: true }).fill('존댓말과 정확성을 봅니다');
    await admin.getByLabel('Orchid Large').check();
    await admin.getByLabel('Juniper Small').check();
    const jsonl = prompts.map((prompt, i) => JSON.stringify({ prompt, id: `k${i + 1}` })).join('\n');
    await admin.getByLabel('프롬프트 파일').setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
    await admin.getByText('prompts.jsonl: 빈 줄을 뺀 6줄, JSONL 형식으로 읽음').waitFor();
    await admin.getByLabel('프롬프트와 모델 쌍마다 받을 투표 수').fill('1');
    await admin.getByRole('button', { name: '평가 만들기' }).click();
    await admin.getByRole('heading', { name: new RegExp(name) }).waitFor();
    expect(await admin.getByTestId('eval-status').textContent()).toBe('초안');
    expect(await admin.locator('body').innerText()).toContain('프롬프트 6개 · Orchid Large, Juniper Small · 프롬프트와 모델 쌍마다 투표 1개');
    await admin.getByRole('button', { name: '시작', exact: true }).click();
    await expect.poll(() => admin.getByTestId('eval-status').textContent()).toBe('진행 중');
    await expect.poll(() => admin.getByTestId('generation-count').textContent()).toBe('12 / 12');
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('0 / 6');
    expect(await admin.locator('.progress').innerText()).toMatch(/생성된 답변 12 \/ 12\s+투표 0 \/ 6 · 문항 6개 중 0개 완료/);

    const { context: memberContext, page: member, problems: memberProblems } = await koreanPage(arena.browser, arena.url, 'member@example.com');
    await member.getByRole('link', { name: '평가', exact: true }).click();
    await member.getByRole('heading', { name: '평가' }).waitFor();
    await member.getByRole('link', { name }).click();
    const item = member.locator('[data-item]');
    await item.waitFor();
    expect(await member.getByRole('region', { name: '모델 A' }).getByTestId('answer').textContent()).not.toBe('');
    expect(await item.innerText()).toMatch(/^질문:/m);
    expect(await member.locator('body').innerText()).not.toMatch(/Orchid|Juniper/);
    // A reason in Hangul, typed into the box (the keys there do not vote), then the Korean button.
    const first = (await item.getAttribute('data-item'))!;
    await member.getByPlaceholder('왜 그렇게 골랐나요?', { exact: false }).fill('설명이 더 친절하고 정확해요');
    await member.getByRole('button', { name: 'A가 더 좋음' }).click();
    await expect.poll(() => member.getByTestId('my-progress').textContent()).toBe('1개 문항에 투표했습니다. 남은 문항은 5개입니다.');
    await expect.poll(async () => (await item.getAttribute('data-item')) !== first).toBe(true);
    const skipped = (await item.getAttribute('data-item'))!;
    await member.getByRole('button', { name: '이 문항 건너뛰기' }).click();
    await expect.poll(async () => (await item.getAttribute('data-item')) !== skipped).toBe(true);
    await member.getByRole('button', { name: '둘 다 별로' }).click();
    await expect.poll(() => member.getByTestId('my-progress').textContent()).toBe('2개 문항에 투표했습니다. 남은 문항은 3개입니다.');

    // The admin's page follows live, in Korean: progress, the leaderboard, each vote with its reason and a Korean time.
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('2 / 6');
    const board = admin.getByRole('region', { name: '평가 순위표' });
    await expect.poll(() => board.getByTestId('eval-leaderboard').locator('tbody tr td.votes').allTextContents()).toEqual(['2', '2']);
    expect(await board.getByRole('columnheader').allTextContents()).toEqual([
      '순위 (상한)',
      '모델',
      '점수',
      '95% 신뢰 구간',
      'Elo',
      '투표',
      '승 / 패 / 비슷함',
    ]);
    // Evaluations default to model-based intervals with the small-sample prior: the note says so (no bootstrap ran).
    expect(await board.innerText()).toContain('(투표 2개, Bradley-Terry, 95% 모형 기반 구간, 약한 사전 분포(표준편차 400) 적용)');
    expect(await admin.getByRole('region', { name: '일치도' }).innerText()).toMatch(/우연에 의한 일치/);
    const review = admin.getByRole('region', { name: '문항별 투표' });
    await expect.poll(() => review.getByRole('heading').innerText()).toBe('문항별 투표 (문항 2개)');
    const reasoned = review.getByRole('article').filter({ hasText: '설명이 더 친절하고 정확해요' });
    const row = (await reasoned.locator('tbody tr').innerText()).split('\t').map((cell) => cell.trim());
    expect(row[0]).toBe('member@example.com');
    expect(row[1]).toMatch(/^(Orchid Large|Juniper Small) 쪽이 더 좋음$/);
    expect(row[3]).toMatch(KOREAN_DATE_TIME);
    expect(row[3]).toMatch(/:\d{2}:\d{2}$/);
    expect(await review.getByRole('article').filter({ hasText: '둘 다 별로' }).count()).toBe(1);
    expect(await review.innerText()).toMatch(/투표 1개 중 1개/);

    // The list of evaluations: Korean headers and the creation time written the Korean way.
    await admin.getByRole('link', { name: '관리', exact: true }).click();
    const listed = admin.getByRole('row').filter({ hasText: name });
    await listed.waitFor();
    expect(await admin.getByRole('columnheader').allTextContents()).toEqual(['이름', '상태', '모델', '프롬프트', '투표', '만든 날짜']);
    const cells = (await listed.innerText()).split('\t').map((cell) => cell.trim());
    expect(cells.slice(1, 5)).toEqual(['진행 중', 'Orchid Large, Juniper Small', '6', '2 / 6']);
    expect(cells[5]).toMatch(KOREAN_DATE_TIME);
    expect(adminProblems).toEqual([]);
    expect(memberProblems).toEqual([]);
    await adminContext.close();
    await memberContext.close();
  });
});
