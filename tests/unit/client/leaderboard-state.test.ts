import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaderboardState } from '../../../client/src/lib/leaderboard.svelte.ts';
import type { BtLeaderboard, Leaderboard } from '../../../protocol/types.ts';
import { fakeFetch } from './fake-http.ts';
import { FakeSocket } from './fake-socket.ts';

const elo = (totalVotes: number): Leaderboard => ({ updatedAt: '2025-01-01T00:00:00.000Z', totalVotes, models: [] });
const bt = (computedAt: string): BtLeaderboard => ({
  method: 'bt',
  computedAt,
  votes: 3,
  stale: false,
  converged: true,
  componentCount: 1,
  warnings: [],
  bootstrap: null,
  intervals: { method: 'bootstrap', clustered: false, prior: null },
  models: [],
  neighbours: [],
  pairs: { models: [], battles: [], predicted: [] },
  promptDedup: null,
});

function arena(): FakeSocket {
  return new FakeSocket().serve('leaderboard:subscribe', () => ({ ok: true, leaderboard: elo(1) })).serve('leaderboard:unsubscribe', () => ({ ok: true }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('LeaderboardState', () => {
  it('subscribes on a connected socket, then follows the pushes', async () => {
    const socket = arena();
    const board = new LeaderboardState(socket.asSocket());
    await vi.waitFor(() => expect(board.data).toEqual(elo(1)));
    socket.push('leaderboard:update', { leaderboard: elo(2) });
    expect(board.data?.totalVotes).toBe(2);
    socket.push('leaderboard:bt', { leaderboard: bt('2025-01-01T00:00:01.000Z') });
    expect(board.bt?.computedAt).toBe('2025-01-01T00:00:01.000Z');
    expect(board.view).toBe('elo');
  });

  it('subscribes again after every reconnect', async () => {
    const socket = arena();
    socket.connected = false;
    const board = new LeaderboardState(socket.asSocket());
    expect(socket.sentOf('leaderboard:subscribe')).toHaveLength(0);
    socket.reconnect();
    socket.drop();
    socket.reconnect();
    await vi.waitFor(() => expect(board.data).not.toBeNull());
    expect(socket.sentOf('leaderboard:subscribe')).toHaveLength(2);
  });

  it('fetches the Bradley-Terry standings once when that table is shown, keeping the newer of fetch and push', async () => {
    const requests = fakeFetch(() => ({ json: bt('2025-01-01T00:00:05.000Z') }));
    const board = new LeaderboardState(arena().asSocket());
    board.show('bt');
    expect(board.view).toBe('bt');
    await vi.waitFor(() => expect(board.bt?.computedAt).toBe('2025-01-01T00:00:05.000Z'));
    board.show('elo');
    board.show('bt');
    expect(requests.map((r) => r.url)).toEqual(['/api/leaderboard?method=bt']);
  });

  it("shows the server's reason when the standings cannot be computed, and a plain one when it is unreachable", async () => {
    fakeFetch(() => ({ status: 503, json: { ok: false, error: { code: 'unavailable', message: 'the Bradley-Terry standings could not be computed' } } }));
    const refused = new LeaderboardState(arena().asSocket());
    refused.show('bt');
    await vi.waitFor(() => expect(refused.error).toBe('the Bradley-Terry standings could not be computed'));

    fakeFetch(() => new TypeError('fetch failed'));
    const offline = new LeaderboardState(arena().asSocket());
    offline.show('bt');
    await vi.waitFor(() => expect(offline.error).toBe('Could not load the Bradley-Terry standings.'));
  });

  it('leaves the room and stops listening when closed', () => {
    const socket = arena();
    const board = new LeaderboardState(socket.asSocket());
    board.close();
    expect(socket.sentOf('leaderboard:unsubscribe')).toHaveLength(1);
    expect(socket.listenerCount('leaderboard:update')).toBe(0);
    expect(socket.listenerCount('connect')).toBe(0);
  });
});
