import { afterEach, describe, expect, it, vi } from 'vitest';
import { StandingsState } from '../../../client/src/lib/standings.svelte.ts';
import { DEFAULT_VIEW } from '../../../client/src/lib/standings-view.ts';
import { standingsViewSchema } from '../../../protocol/standings.ts';
import { fakeFetch } from './fake-http.ts';
import { deferred, FakeSocket } from './fake-socket.ts';
import { FIXTURE_CATEGORIES, fixtureHistory, fixtureStandings, HOSTILE_NAME } from './standings-sample.ts';

/** A server that knows the standings events and answers each view from the fixtures. */
function arena(): FakeSocket {
  return new FakeSocket()
    .serve('standings:subscribe', ({ view }) => ({ ok: true, standings: fixtureStandings(standingsViewSchema.parse(view)) }))
    .serve('standings:unsubscribe', () => ({ ok: true }));
}

function fixtureFetch() {
  return fakeFetch((_method, url) => {
    if (url.startsWith('/api/standings/categories')) return { json: { ok: true, categories: FIXTURE_CATEGORIES } };
    if (url.startsWith('/api/standings/history')) return { json: { ok: true, points: fixtureHistory({ category: 'all' }) } };
    return { status: 404, json: { ok: false, error: { code: 'not_found', message: 'no route' } } };
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('StandingsState', () => {
  it('subscribes with the view, then follows the pushes of that view only', async () => {
    fixtureFetch();
    const socket = arena();
    const board = new StandingsState(socket.asSocket());
    await vi.waitFor(() => expect(board.standings).not.toBeNull());
    expect(socket.sentOf('standings:subscribe')).toEqual([{ view: {} }]);
    expect(board.rated.map((m) => m.id)).toEqual(['m-sol', 'm-haneul', 'm-wave', 'm-rock']);
    expect(board.provisional.map((m) => m.id)).toEqual(['m-new']);

    socket.push('standings:update', { standings: fixtureStandings(DEFAULT_VIEW, 1) });
    expect(board.rated.map((m) => m.id)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    expect(board.rated[0]?.rankChange).toBe(1);
    // A push for another view (e.g. one left a moment ago) does not replace this one.
    socket.push('standings:update', { standings: fixtureStandings({ ...DEFAULT_VIEW, category: 'coding' }) });
    expect(board.rated.map((m) => m.id)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
  });

  it('subscribes again for a new view, keeping only the latest answer, and again after a reconnect', async () => {
    fixtureFetch();
    const socket = arena();
    const slow = deferred<void>();
    socket.serve('standings:subscribe', async ({ view }) => {
      const parsed = standingsViewSchema.parse(view);
      if (parsed.category === 'all') await slow.promise;
      return { ok: true, standings: fixtureStandings(parsed) };
    });
    const board = new StandingsState(socket.asSocket());
    board.setView({ category: 'coding', votes: 'all' });
    await vi.waitFor(() => expect(board.standings?.view.category).toBe('coding'));
    slow.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(board.standings?.view.category).toBe('coding');
    expect(board.rated.map((m) => m.id)).toEqual(['m-wave', 'm-sol', 'm-haneul']);

    board.setView({ category: 'coding' });
    socket.drop();
    socket.reconnect();
    await vi.waitFor(() => expect(socket.sentOf('standings:subscribe')).toHaveLength(3));
    expect(socket.sentOf('standings:subscribe').at(-1)).toEqual({ view: { category: 'coding', votes: 'all' } });
  });

  it('fetches the categories per vote filter and the history per category, once each', async () => {
    const requests = fixtureFetch();
    const board = new StandingsState(arena().asSocket());
    await vi.waitFor(() => expect(board.history).toHaveLength(5));
    expect(board.categories).toEqual(FIXTURE_CATEGORIES);
    board.setView({ method: 'bt' });
    await vi.waitFor(() => expect(board.standings?.method).toBe('bt'));
    board.setView({ category: 'lang:ko' });
    await vi.waitFor(() => expect(requests).toHaveLength(3));
    expect(requests.map((r) => r.url)).toEqual([
      '/api/standings/categories?votes=blind',
      '/api/standings/history?category=all&votes=blind',
      '/api/standings/history?category=lang%3Ako&votes=blind',
    ]);
  });

  it('sorts by a clicked column, best first, then the other way; missing values last; provisional unranked', async () => {
    fixtureFetch();
    const board = new StandingsState(arena().asSocket());
    await vi.waitFor(() => expect(board.standings).not.toBeNull());
    board.sortBy('cost');
    expect(board.sort).toEqual({ key: 'cost', dir: 'asc' });
    expect(board.rated.map((m) => m.id)).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    board.sortBy('cost');
    expect(board.rated.map((m) => m.id)).toEqual(['m-wave', 'm-sol', 'm-haneul', 'm-rock']);
    board.sortBy('votes');
    expect(board.sort).toEqual({ key: 'votes', dir: 'desc' });
    expect(board.rated.map((m) => m.battles)).toEqual([220, 180, 150, 90]);
    board.sortBy('name');
    expect(board.rated.map((m) => m.name)).toEqual(['하늘 7B', HOSTILE_NAME, 'Sol Large', 'Wave Pro']);
  });

  it('shows deprecated models only when the view asks for them', async () => {
    fixtureFetch();
    const socket = arena();
    const board = new StandingsState(socket.asSocket());
    await vi.waitFor(() => expect(board.standings).not.toBeNull());
    expect(board.rated.some((m) => m.deprecated)).toBe(false);
    board.setView({ deprecated: '1' });
    await vi.waitFor(() => expect(board.rated.map((m) => m.id)).toContain('m-old'));
    expect(socket.sentOf('standings:subscribe').at(-1)).toEqual({ view: { deprecated: '1' } });
  });

  it("says when the standings are slow, takes the push that follows, and shows a refusal's reason", async () => {
    fixtureFetch();
    const slow = new FakeSocket().serve('standings:subscribe', () => {
      throw new Error('operation has timed out');
    });
    const board = new StandingsState(slow.asSocket(), { subscribeTimeoutMs: 5 });
    await vi.waitFor(() => expect(board.error).toEqual({ slow: 'computing' }));
    expect(board.standings).toBeNull();
    // The socket is in the view's room: the fit arrives as a push.
    slow.push('standings:update', { standings: fixtureStandings(DEFAULT_VIEW) });
    expect(board.rated.map((m) => m.id)).toEqual(['m-sol', 'm-haneul', 'm-wave', 'm-rock']);
    expect(board.error).toBeNull();

    const refusing = new FakeSocket().serve('standings:subscribe', () => ({
      ok: false,
      error: { code: 'invalid_input', message: 'view.category: must be a category id such as coding or lang:ko', field: 'view.category' },
    }));
    const refused = new StandingsState(refusing.asSocket());
    await vi.waitFor(() => expect(refused.error).toMatchObject({ code: 'invalid_input', field: 'view.category' }));
  });

  it('leaves the room and stops listening when closed', async () => {
    fixtureFetch();
    const socket = arena();
    const board = new StandingsState(socket.asSocket());
    await vi.waitFor(() => expect(board.standings).not.toBeNull());
    board.close();
    expect(socket.sentOf('standings:unsubscribe')).toHaveLength(1);
    expect(socket.listenerCount('standings:update')).toBe(0);
    expect(socket.listenerCount('connect')).toBe(0);
  });
});
