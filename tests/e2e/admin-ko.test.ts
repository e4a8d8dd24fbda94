/**
 * The admin pages and the sign-in page for a Korean browser (ko-KR): Korean words, Korean role
 * names, dates and numbers written the Korean way, and each page's main action worked in Korean —
 * sign in, change a role, invite someone who then signs up, read the audit log, add and test a model
 * against a fake upstream, count flagged votes again, publish a snapshot. The dialogs read in dark theme too.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, PASSWORD } from '../support/auth.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { SSE_HEADERS, useSharedUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels, playBattle } from '../support/test-server.ts';

const ADMIN = 'admin@example.com';
const MEMBER = 'member@example.com';
/** A date and time as `i18n.date` writes it in Korean by default: `2026. 12. 1. 오후 1:17`. */
const KOREAN_DATE_TIME = /^\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후) \d{1,2}:\d{2}$/;

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

describe.skipIf(skipBrowser)('admin pages and sign-in in Korean', () => {
  const upstream = useSharedUpstream();
  const arena = useBrowserArena({ models: fastDemoModels, users: { [ADMIN]: 'admin', [MEMBER]: 'member' } });
  const cleanup = useCleanup();

  beforeAll(async () => {
    // Votes for the integrity page and the snapshot: three clean ones and one whose answer names a vendor.
    const socket = await arena.connect({ voterId: 'korean-pass-voter' });
    for (const prompt of ['이진 탐색을 설명해 주세요', 'Explain photosynthesis', '물의 순환을 설명해 주세요', 'Tell me about OpenAI and Anthropic']) {
      const battleId = await playBattle(socket, prompt);
      const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
      if (!vote.ok) throw new Error(`vote refused: ${vote.error.message}`);
    }
    socket.disconnect();
  });

  async function korean(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = cleanup.add(await arena.browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width: 1280, height: 900 }, ...opts }));
    const page = await context.newPage();
    return { context, page, problems: watchPage(page).problems };
  }

  /** Signs in through the Korean form and waits for the header to show the account. */
  async function signInKorean(page: Page, email: string, password = PASSWORD): Promise<void> {
    await page.goto(`${arena.url}/#/login`);
    await page.getByRole('heading', { name: '로그인' }).waitFor();
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호').fill(password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
  }

  /** The text as the page's own Intl writes it in Korean (Chromium's ICU, not Node's). */
  const koreanDate = (page: Page, iso: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }) =>
    page.evaluate(([at, o]) => new Intl.DateTimeFormat('ko', o as Intl.DateTimeFormatOptions).format(new Date(at as string)), [iso, options] as const);

  it('signs in in Korean, says a wrong password in Korean, and opens the admin tabs with the Korean role name', async () => {
    const { page, problems } = await korean();
    await page.goto(`${arena.url}/#/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await page.getByLabel('이메일').fill(ADMIN);
    await page.getByLabel('비밀번호').fill('not the password');
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호가 맞지 않습니다.' }).waitFor();

    await signInKorean(page, ADMIN);
    await page.waitForURL(/#\/admin$/);
    expect(await page.locator('.who').textContent()).toBe(`${ADMIN} · 관리자`);
    const tabs = page.getByRole('navigation', { name: '관리자 메뉴' });
    // The admin page loads in its own chunk: wait for its tabs rather than reading them at once.
    await expect.poll(() => tabs.getByRole('link').allInnerTexts()).toEqual(['평가', '모델', '무결성', '스냅숏', '사용자와 초대', '감사 기록']);
    await tabs.getByRole('link', { name: '사용자와 초대' }).click();
    await page.getByRole('heading', { name: '사용자', exact: true }).waitFor();
    expect(await tabs.getByRole('link', { name: '사용자와 초대' }).getAttribute('aria-current')).toBe('page');
    // The wrong password's refusal is the only failed request.
    expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
  });

  it('changes a role by its Korean name, refuses demoting oneself in Korean, and invites someone who signs up in Korean', async () => {
    const { page, problems } = await korean();
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/users`);
    const memberRole = page.getByRole('combobox', { name: `${MEMBER}의 역할` });
    await memberRole.waitFor();
    expect(await memberRole.locator('option').allInnerTexts()).toEqual(['관리자', '구성원', '열람자']);
    await memberRole.selectOption({ label: '열람자' });
    await expect.poll(async () => (await arena.app.auth.listUsers()).find((u) => u.email === MEMBER)?.role).toBe('viewer');
    await memberRole.selectOption({ label: '구성원' });
    await expect.poll(async () => (await arena.app.auth.listUsers()).find((u) => u.email === MEMBER)?.role).toBe('member');

    await page.getByRole('combobox', { name: `${ADMIN}의 역할` }).selectOption({ label: '구성원' });
    await page.getByRole('alert').filter({ hasText: '본인의 관리자 역할을 없애거나' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: `${ADMIN}의 역할` }).inputValue()).toBe('admin');

    // An invite for one address, as a member, for two days.
    const form = page.locator('form.invite');
    await form.getByLabel('역할').selectOption({ label: '구성원' });
    await form.getByLabel('유효 시간 (시간)').fill('48');
    await form.getByLabel('이메일 지정 (선택)').fill('new@example.com');
    await form.getByRole('button', { name: '초대 링크 만들기' }).click();
    const links = page.getByRole('region', { name: '새 초대 링크' });
    const link = (await links.getByTestId('invite-link').textContent())!;
    const invite = (await arena.app.auth.listInvites()).find((i) => i.email === 'new@example.com')!;
    expect(invite.role).toBe('member');
    const expires = await koreanDate(page, invite.expiresAt);
    expect(expires).toMatch(KOREAN_DATE_TIME);
    expect(await links.locator('.who').textContent()).toBe(`구성원 · new@example.com · ${expires}까지`);
    // The users table comes first, the invites table last; it is read again after the link shows, so its row may come a moment later.
    const row = page.locator('table.compact').last().getByRole('row').filter({ hasText: 'new@example.com' });
    await expect.poll(() => row.getByRole('cell').allInnerTexts()).toEqual(['구성원', 'new@example.com', '사용 가능', expires, '철회']);

    // The invited person, in another Korean browser: a different address is refused in Korean, theirs signs them up.
    const guest = await korean();
    await guest.page.goto(link);
    await guest.page.getByRole('heading', { name: '계정 만들기' }).waitFor();
    expect(await guest.page.locator('form p.muted').textContent()).toBe('이 아레나에 초대받았습니다. 로그인할 때 쓸 이메일과 비밀번호를 정하세요.');
    await guest.page.getByLabel('이메일').fill('other@example.com');
    await guest.page.getByLabel('비밀번호').fill(PASSWORD);
    await guest.page.getByRole('button', { name: '계정 만들기' }).click();
    await guest.page.getByRole('alert').filter({ hasText: '다른 이메일 주소로 받은 초대입니다.' }).waitFor();
    await guest.page.getByLabel('이메일').fill('new@example.com');
    await guest.page.getByRole('button', { name: '계정 만들기' }).click();
    await guest.page.getByRole('button', { name: '로그아웃' }).waitFor();
    expect(await guest.page.locator('.who').textContent()).toBe('new@example.com · 구성원');
    expect(guest.problems.filter((p) => !/403/.test(p))).toEqual([]);

    await page.reload();
    await expect.poll(() => row.getByRole('cell').nth(2).innerText()).toBe('사용됨 (new@example.com)');
    const newUser = page.locator('table.compact').first().getByRole('row').filter({ hasText: 'new@example.com' });
    expect(await newUser.getByRole('combobox', { name: 'new@example.com의 역할' }).inputValue()).toBe('member');
    expect(await newUser.getByRole('cell').nth(2).innerText()).toBe('활성 비활성화');
    // The own-role refusal (409) is the only failed request.
    expect(problems.filter((p) => !/409/.test(p))).toEqual([]);
  });

  it('asks in Korean before revoking an invite, in a dialog that reads in dark theme', async () => {
    const { page, problems } = await korean({ colorScheme: 'dark' });
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/users`);
    await page.getByRole('button', { name: '초대 링크 만들기' }).click();
    await page.getByTestId('invite-link').waitFor();
    const row = page.getByRole('row').filter({ hasText: '링크가 있는 누구나' }).filter({ hasText: '사용 가능' }).first();
    await row.getByRole('button', { name: '철회' }).click();
    const dialog = page.getByRole('dialog', { name: '이 초대를 철회할까요?' });
    await dialog.waitFor();
    expect(await dialog.locator('p').textContent()).toBe(
      '구성원 초대(링크가 있는 누구나)는 바로 쓸 수 없게 됩니다. 되돌릴 수 없어요. 그래도 초대하려면 새 링크를 만드세요.',
    );
    expect(await page.locator(':focus').textContent()).toBe('취소');
    // Dark theme: the dialog takes the dark panel and text, its backdrop the darker shade.
    const colours = await page.evaluate(`(() => {
      const el = document.querySelector('dialog[open]');
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, text: style.color, backdrop: getComputedStyle(el, '::backdrop').backgroundColor };
    })()`);
    expect(colours).toEqual({ background: 'rgb(24, 28, 34)', text: 'rgb(228, 232, 238)', backdrop: 'rgba(0, 0, 0, 0.6)' });
    const open = async () => (await arena.app.auth.listInvites()).filter((i) => i.status === 'open').length;
    const before = await open();
    await dialog.getByRole('button', { name: '철회' }).click();
    await expect.poll(open).toBe(before - 1);
    expect(problems).toEqual([]);
  });

  it('reads the audit log in Korean: who, what in words, and when in Korean', async () => {
    const { page, problems } = await korean();
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/audit`);
    // What the page asked for (the newest 200), from the server itself.
    const audit = await api<{ entries: Array<{ id: number; at: string; actor: string; action: string }> }>(arena, '/api/admin/audit?limit=200', {
      cookie: await login(arena, ADMIN),
    });
    const { entries } = audit.body;
    const log = page.getByTestId('audit-log');
    await log.locator('tbody tr').first().waitFor();
    expect(await log.locator('thead th').allInnerTexts()).toEqual(['시각', '누가', '작업', '대상', '세부 정보']);
    // The accounts the arena was started with: made from the command line.
    const created = entries.find((e) => e.action === 'user.create' && e.actor === 'command line')!;
    const cells = log.locator('tbody tr').nth(entries.indexOf(created)).locator('td');
    const when = await koreanDate(page, created.at, { dateStyle: 'medium', timeStyle: 'medium' });
    expect(when).toMatch(/^\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후) \d{1,2}:\d{2}:\d{2}$/);
    expect((await cells.allInnerTexts()).slice(0, 3)).toEqual([when, '명령줄', 'user.create\n계정 생성']);
    expect(problems).toEqual([]);
  });

  it('adds a model and tests it against the fake upstream in Korean, and asks in Korean when its test fails', async () => {
    const { page, problems } = await korean();
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/models`);
    await page.locator('tr[data-model="model-alpha"]').waitFor();
    expect(await page.locator('thead th').allInnerTexts()).toEqual(['모델', '제공자', '출처', '키', '답변', '오류', '첫 토큰', '사용', '지원 종료', '']);
    expect(await page.locator('tr[data-model="model-alpha"] td').nth(2).innerText()).toBe('설정 파일');

    const fill = async (id: string, name: string, model: string) => {
      await page.getByLabel('ID', { exact: true }).fill(id);
      await page.getByLabel('이름', { exact: true }).fill(name);
      await page.getByLabel('제공자').selectOption({ label: 'OpenAI 호환' });
      await page.getByLabel('기본 URL').fill(`${upstream.url}/v1`);
      await page.getByLabel('업스트림 모델').fill(model);
    };
    upstream.enqueue(answer('안녕하세요'));
    await fill('hangul', '한글 모델', 'hangul-1');
    await page.getByRole('button', { name: '모델 추가' }).click();
    const row = page.locator('tr[data-model="hangul"]');
    await row.waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe('관리자 추가');

    upstream.enqueue(answer('**안녕하세요**, 반갑습니다'));
    await row.getByRole('button', { name: '테스트' }).click();
    const result = page.locator('tr.check output');
    await result.waitFor();
    expect(await result.innerText()).toMatch(/^✓ 첫 토큰 \d+ms, 완료 \d+ms · HTTP 200 · 토큰 \d+개$/);
    expect(await page.locator('tr.check strong').textContent()).toBe('안녕하세요');
    // The pass mark in the theme's good colour (light theme here).
    expect(await page.evaluate(`getComputedStyle(document.querySelector('tr.check .mark')).color`)).toBe('rgb(43, 138, 62)');

    // A model whose test fails: nothing is added until the admin says so, and the question is Korean.
    upstream.enqueue(notFound());
    await fill('flaky', '불안정 모델', 'flaky-1');
    await page.getByRole('button', { name: '모델 추가' }).click();
    const dialog = page.getByRole('dialog', { name: '그래도 켤까요?' });
    await dialog.waitFor();
    expect(await dialog.locator('p').first().textContent()).toBe(
      '모델 불안정 모델: 테스트에 실패해서 아무것도 바꾸지 않았습니다. 켜면 대결에 나가고 투표자가 오류를 보게 됩니다. 여기서 언제든 다시 끌 수 있어요.',
    );
    expect(await dialog.locator('output').innerText()).toMatch(/^✗ 업스트림 응답: HTTP 404 · \d+ms 후$/);
    expect(await page.locator(':focus').textContent()).toBe('취소');
    await dialog.getByRole('button', { name: '취소' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(arena.app.registry.get('flaky')).toBeUndefined();
    // The failed test's refusal (409) is the only failed request.
    expect(problems.filter((p) => !/409/.test(p))).toEqual([]);
  });

  it('counts flagged votes again on the Korean integrity page', async () => {
    const { page, problems } = await korean();
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/integrity`);
    await page.getByRole('heading', { name: '투표 무결성' }).waitFor();
    await page.getByText('전체 투표 4개 중 3개가 블라인드 순위표에 반영됩니다.').waitFor();
    const board = page.getByRole('heading', { level: 3 }).filter({ hasText: '순위표' });
    await expect.poll(() => board.textContent()).toBe('투표 3개로 계산한 순위표');
    await page.getByRole('checkbox', { name: 'self_identified 투표 다시 반영' }).check();
    await expect.poll(() => board.textContent()).toBe('투표 4개로 계산한 순위표');

    const flagged = page.locator('table').last().locator('tbody tr').first().locator('td');
    const [when, , , vote, flags] = await flagged.allInnerTexts();
    expect(when).toMatch(KOREAN_DATE_TIME);
    expect([vote, flags]).toEqual(['A가 더 좋음', 'self_identified']);
    expect(problems).toEqual([]);
  });

  it('publishes a snapshot from the Korean form, says a refused category in Korean, and lists it with a Korean date', async () => {
    const { page, problems } = await korean();
    await signInKorean(page, ADMIN);
    await page.goto(`${arena.url}/#/admin/snapshots`);
    await page.getByRole('heading', { name: '새 스냅숏 게시' }).waitFor();
    await page.getByText('아직 없습니다.').waitFor();
    expect(await page.getByLabel('방식').locator('option').allInnerTexts()).toEqual(['온라인 Elo', 'Bradley-Terry (95% 신뢰 구간)']);
    await page.getByLabel('이름', { exact: true }).fill('12월 한국어 순위');
    await page.getByLabel('카테고리').selectOption({ label: '한국어' });
    await page.getByLabel('스타일 통제').check();
    await page.getByRole('button', { name: '스냅숏 게시' }).click();
    // A style-controlled view cannot be published yet: the refusal names the field, in Korean.
    await page
      .getByRole('alert')
      .filter({ hasText: /^view\.styleControl: 받을 수 없는 값입니다\./ })
      .waitFor();
    await page.getByLabel('스타일 통제').uncheck();
    await page.getByRole('button', { name: '스냅숏 게시' }).click();
    await page.waitForURL(/#\/snapshots\/[\w-]+$/);
    await page.goto(`${arena.url}/#/admin/snapshots`);
    const listed = await api<{ snapshots: Array<{ name: string; createdAt: string; votes: number }> }>(arena, '/api/admin/snapshots', {
      cookie: await login(arena, ADMIN),
    });
    const published = listed.body.snapshots.find((x) => x.name === '12월 한국어 순위');
    expect(published?.votes).toBeGreaterThan(0);
    const item = page.locator('.snapshots li').filter({ hasText: '12월 한국어 순위' });
    await item.waitFor();
    expect(await item.locator('.meta').textContent()).toBe(
      `${await koreanDate(page, published!.createdAt)} · Bradley-Terry · 한국어 · 투표 ${published!.votes}개`,
    );
    // The refused view's 400 is the only failed request.
    expect(problems.filter((p) => !/400/.test(p))).toEqual([]);
  });
});
