import { afterEach, describe, expect, it, vi } from 'vitest';
import { filtersFrom, HistoryState } from '../../../client/src/lib/history.svelte.ts';
import type { BattleSummary } from '../../../protocol/standings.ts';
import { fakeFetch } from './fake-http.ts';

const summary = (id: string): BattleSummary => ({
  id,
  createdAt: '2026-11-02T09:00:00.000Z',
  status: 'voted',
  mode: 'arena',
  prompt: `prompt of ${id}`,
  turns: 1,
  models: { a: { id: 'm-a', name: 'A' }, b: { id: 'm-b', name: 'B' } },
  winner: 'a',
  categories: ['lang:ko'],
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('HistoryState', () => {
  it('reads its filters from the page link, ignoring malformed numbers', () => {
    expect(filtersFrom(new URLSearchParams('q=%EC%BD%94%EB%94%A9&model=m-a&offset=50&limit=10'))).toEqual({
      q: '코딩',
      model: 'm-a',
      category: '',
      offset: 50,
      limit: 10,
    });
    expect(filtersFrom(new URLSearchParams('offset=-1&limit=1000'))).toMatchObject({ offset: 0, limit: 25 });
    expect(filtersFrom(new URLSearchParams('offset=2.5&limit=x'))).toMatchObject({ offset: 0, limit: 25 });
  });

  it('asks for the filtered page, leaves out empty filters, and keeps the filters in its link', async () => {
    const requests = fakeFetch(() => ({ json: { ok: true, battles: [summary('b1')], total: 60 } }));
    const history = new HistoryState(filtersFrom(new URLSearchParams()));
    await history.load();
    await history.search('이진 탐색');
    await history.filter({ category: 'coding' });
    const asked = requests.map((r) => new URL(r.url, 'http://arena.test'));
    expect(asked.map((u) => u.pathname)).toEqual(['/api/battles', '/api/battles', '/api/battles']);
    expect(asked.map((u) => Object.fromEntries(u.searchParams))).toEqual([
      { offset: '0', limit: '25' },
      { q: '이진 탐색', offset: '0', limit: '25' },
      { q: '이진 탐색', category: 'coding', offset: '0', limit: '25' },
    ]);
    expect(history.battles?.map((b) => b.id)).toEqual(['b1']);
    expect(history.total).toBe(60);
    expect(history.href).toBe(`#/history?${new URLSearchParams({ q: '이진 탐색', category: 'coding' })}`);
  });

  it('pages forward and back within the total, and a new search starts on page 1', async () => {
    const requests = fakeFetch(() => ({ json: { ok: true, battles: [], total: 60 } }));
    const history = new HistoryState(filtersFrom(new URLSearchParams()));
    await history.load();
    expect([history.page, history.pages, history.hasPrevious, history.hasNext]).toEqual([1, 3, false, true]);
    await history.next();
    await history.next();
    expect([history.page, history.hasNext]).toEqual([3, false]);
    await history.next();
    expect(history.filters.offset).toBe(50);
    expect(history.href).toBe('#/history?offset=50');
    await history.previous();
    expect(history.page).toBe(2);
    await history.search('sort');
    expect(history.filters.offset).toBe(0);
    await history.show(filtersFrom(new URLSearchParams('category=coding&offset=25')));
    expect(history.href).toBe('#/history?category=coding&offset=25');
    expect(requests.map((r) => new URL(r.url, 'http://x').searchParams.get('offset'))).toEqual(['0', '25', '50', '25', '0', '25']);
  });

  it('shows only the answer to the newest request when an older one arrives late', async () => {
    const answers: Array<(value: Response) => void> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>((resolve) => answers.push(resolve))),
    );
    const history = new HistoryState(filtersFrom(new URLSearchParams()));
    const older = history.search('ㅋ');
    const newer = history.search('코딩');
    const reply = (id: string) => new Response(JSON.stringify({ ok: true, battles: [summary(id)], total: 1 }), { status: 200 });
    answers[1]!(reply('newer'));
    await newer;
    answers[0]!(reply('older'));
    await older;
    expect(history.battles?.map((b) => b.id)).toEqual(['newer']);
    expect(history.loading).toBe(false);
  });

  it("shows the server's refusal and keeps the last page", async () => {
    fakeFetch(() => ({ json: { ok: true, battles: [summary('b1')], total: 1 } }));
    const history = new HistoryState(filtersFrom(new URLSearchParams()));
    await history.load();
    fakeFetch(() => ({ status: 400, json: { ok: false, error: { code: 'invalid_input', message: 'q: too long', field: 'q' } } }));
    await history.search('x');
    expect(history.error).toEqual({ code: 'invalid_input', message: 'q: too long', field: 'q' });
    expect(history.battles?.map((b) => b.id)).toEqual(['b1']);
  });
});
