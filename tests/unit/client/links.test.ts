import { afterEach, describe, expect, it, vi } from 'vitest';
import { categoryName, revealedModels, speedText, viewCategoryName, visibilityText, voteText } from '../../../client/src/lib/history-format.ts';
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

  it('name the models only for a voted battle, even if a response carried them earlier', () => {
    expect(revealedModels({ status: 'voted', models })).toEqual(models);
    for (const status of ['streaming', 'ready', 'failed', 'abandoned'] as const) expect(revealedModels({ status, models })).toBeNull();
  });

  it('word the vote with names when known', () => {
    expect(voteText('a', models)).toBe('Alpha is better');
    expect(voteText('b', null)).toBe('B is better');
    expect([voteText('tie', models), voteText('bothbad', models), voteText(null, null)]).toEqual(['Tie', 'Both are bad', 'Not voted']);
  });

  it('name categories and who sees which battles', () => {
    expect([categoryName('lang:ko'), categoryName('multi_turn'), categoryName('tag:arena-hard')]).toEqual(['Korean', 'Multi-turn', 'arena-hard']);
    expect(visibilityText('admin')).toMatch(/every battle/);
    expect(visibilityText('member')).toMatch(/your own battles/);
    expect(visibilityText('anonymous')).toMatch(/this browser/);
    expect(visibilityText('guest')).toMatch(/Sign in/);
    // Beside a "Votes" choice, the `all` category reads as every category, not "All votes".
    expect([viewCategoryName('all'), viewCategoryName('coding')]).toEqual(['Every category', 'Coding']);
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
