import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { historyFormat, revealedModels } from '../../../client/src/lib/history-format.ts';
import { api } from '../../../client/src/lib/http.ts';
import { battleHref, hashQuery, idIn, modelHref, snapshotHref, withQuery } from '../../../client/src/lib/links.ts';
import { fakeFetch } from './fake-http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('permanent links', () => {
  it('parse back to the id they were made from, whatever it holds', () => {
    for (const id of ['model-alpha', 'local/llama 3', '모델?#1', 'a%b']) {
      expect(idIn(modelHref(id), 'models')).toBe(id);
      expect(idIn(`${battleHref(id)}?from=history`, 'battles')).toBe(id);
      expect(idIn(snapshotHref(id), 'snapshots')).toBe(id);
    }
    expect(idIn('#/models/', 'models')).toBeNull();
    expect(idIn('#/battles/x', 'models')).toBeNull();
    expect(idIn('#/models/%E0%A4%A', 'models')).toBeNull();
  });

  it('carry a query in the hash, leaving out empty values', () => {
    expect(withQuery('#/history', { q: '코딩', model: '', offset: 25, limit: undefined })).toBe('#/history?q=%EC%BD%94%EB%94%A9&offset=25');
    expect(withQuery('#/history', {})).toBe('#/history');
    expect(hashQuery('#/history?q=%EC%BD%94%EB%94%A9&offset=25').get('q')).toBe('코딩');
    expect([...hashQuery('#/history')]).toEqual([]);
  });
});

describe('battle words', () => {
  const models = { a: { id: 'x', name: 'Alpha' }, b: { id: 'y', name: 'Bravo' } };
  const { voteText, visibilityText, speedText } = historyFormat(new I18n('en'));
  const ko = historyFormat(new I18n('ko'));
  const en = historyFormat(new I18n('en'));

  it('name the models only for a voted battle, even if a response carried them earlier', () => {
    expect(revealedModels({ status: 'voted', models })).toEqual(models);
    for (const status of ['streaming', 'ready', 'failed', 'abandoned'] as const) expect(revealedModels({ status, models })).toBeNull();
  });

  it('word the vote with names when known', () => {
    expect(voteText('a', models)).toBe('Alpha is better');
    expect(voteText('b', null)).toBe('B is better');
    expect([voteText('tie', models), voteText('bothbad', models), voteText(null, null)]).toEqual(['Tie', 'Both are bad', 'Not voted']);
    // In Korean no particle follows the name, whichever sound it ends on.
    expect([ko.voteText('a', models), ko.voteText('b', { ...models, b: { id: 'y', name: '하늘 7B' } })]).toEqual([
      'Alpha 쪽이 더 좋음',
      '하늘 7B 쪽이 더 좋음',
    ]);
  });

  it('name categories and who sees which battles', () => {
    expect([en.categoryName('lang:ko'), en.categoryName('multi_turn'), en.categoryName('tag:arena-hard')]).toEqual(['Korean', 'Multi-turn', 'arena-hard']);
    expect(visibilityText('admin')).toMatch(/every battle/);
    expect(visibilityText('member')).toMatch(/your own battles/);
    expect(visibilityText('anonymous')).toMatch(/this browser/);
    expect(visibilityText('guest')).toMatch(/Sign in/);
    // Beside a "Votes" choice, the `all` category reads as every category, not "All votes".
    expect([en.viewCategoryName('all'), en.viewCategoryName('coding')]).toEqual(['Every category', 'Coding']);
    expect([ko.categoryName('lang:ko'), ko.viewCategoryName('all'), ko.categoryName('tag:한국 문화')]).toEqual(['한국어', '모든 카테고리', '한국 문화']);
    expect(ko.visibilityText('admin')).toBe('관리자는 모든 대결을 볼 수 있습니다.');
  });

  it('put the speed figures in a sentence, leaving out what was not measured', () => {
    const speed = {
      answers: 40,
      errorRate: 0.025,
      medianTtftMs: 420,
      p90TtftMs: 1200,
      medianLatencyMs: 2400,
      p90LatencyMs: 5100,
      medianTokensPerSecond: 48,
      medianOutputTokens: 310,
      medianCostUsd: 0.0012,
      meanCostUsd: 0.0012,
    };
    expect(speedText(speed)).toBe(
      'Over its last 40 answers: median time to first token 420 ms (90th percentile 1.2 s), median answer 2.4 s, 48 tok/s, 310 output tokens, $0.0012 per answer, 2.5% failed.',
    );
    // A model without prices (and here without token counts or timings): no "– per answer".
    const bare = { ...speed, medianTtftMs: null, p90TtftMs: null, medianTokensPerSecond: null, medianOutputTokens: null, medianCostUsd: null };
    expect(speedText(bare)).toBe('Over its last 40 answers: median answer 2.4 s, 2.5% failed.');
    expect(ko.speedText(speed)).toBe(
      '최근 답변 40개 기준: 첫 토큰까지 중앙값 420ms (90번째 백분위수 1.2초), 답변 완료까지 중앙값 2.4초, 초당 48토큰, 출력 토큰 310개, 답변당 US$0.0012, 실패 2.5%.',
    );
  });

  it('write figures, dates and days the way each language does', () => {
    const en = historyFormat(new I18n('en'));
    expect([en.count(12345), ko.count(12345), en.rating(1234.6), ko.rating(1234.6), en.rating(null)]).toEqual(['12,345', '12,345', '1235', '1235', '–']);
    expect([en.ms(850), en.ms(12_345), ko.ms(850), ko.ms(12_345)]).toEqual(['850 ms', '12.3 s', '850ms', '12.3초']);
    expect([en.usd(0.0012), en.usd(1.5), ko.usd(1.5), en.perSecond(47.6), ko.perSecond(47.6)]).toEqual([
      '$0.0012',
      '$1.50',
      'US$1.50',
      '48 tok/s',
      '초당 48토큰',
    ]);
    expect([en.day('2026-12-01'), ko.day('2026-12-01')]).toEqual(['Dec 1, 2026', '2026. 12. 1.']);
    // The hour is the machine's time zone's; how ICU words the half of the day varies between versions.
    expect(ko.dateTime('2026-12-01T13:05:00Z')).toMatch(/^2026\. 12\. \d{1,2}\. \S+ \d{1,2}:\d{2}$/);
    const tick = ko.dayTick(new Date('2026-12-30T00:00:00Z'), new Date('2027-01-02T00:00:00Z'));
    expect([ko.dayTick(new Date('2026-12-01'), new Date('2026-12-09'))(new Date('2026-12-03T00:00:00Z')), tick(new Date('2027-01-01T00:00:00Z'))]).toEqual([
      '12월 3일',
      '2027년 1월 1일',
    ]);
  });
});

describe('the voter id over HTTP', () => {
  it("sends this browser's voter id when it has one, as the socket does", async () => {
    const stored = new Map([['arena.voterId', 'browser-voter-0001']]);
    vi.stubGlobal('localStorage', { getItem: (key: string) => stored.get(key) ?? null });
    const requests = fakeFetch(() => ({ json: { ok: true, battles: [], total: 0 } }));
    await api('GET /api/battles', { query: {} });
    expect(requests[0]!.headers).toEqual({ 'x-arena-voter': 'browser-voter-0001' });
    stored.clear();
    await api('GET /api/battles', { query: {} });
    expect(requests[1]!.headers).toEqual({});
  });
});
