/**
 * Nothing public may move because a model answered a battle that waits for its vote: a voter
 * polling the standings (the leaderboards, every standings view, their categories and history,
 * and their live pushes) would learn which models are behind "Model A" and "Model B".
 */
import { describe, expect, it } from 'vitest';
import { playBattle, type TestServer, type TestSocket, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

/** Every public standings payload, with the timestamps that change on every read taken out. */
async function publicPayloads(s: TestServer, socket: TestSocket) {
  const get = async (path: string) => (await fetch(`${s.url}${path}`)).json();
  const subscribed = await socket.emitWithAck('leaderboard:subscribe', {});
  const view = await socket.emitWithAck('standings:subscribe', { view: { method: 'bt', minVotes: 0 } });
  await s.app.btLeaderboard.idle();
  await s.app.standings.views.idle();
  const payloads = {
    elo: await get('/api/leaderboard'),
    bt: await get('/api/leaderboard?method=bt'),
    models: await get('/api/models'),
    subscribe: subscribed,
    standings: await get('/api/standings?minVotes=0'),
    standingsBt: await get('/api/standings?method=bt&votes=all&deprecated=1'),
    category: await get('/api/standings?category=lang:en&minVotes=0'),
    categories: await get('/api/standings/categories?votes=all'),
    history: await get('/api/standings/history'),
    view,
  };
  return JSON.parse(JSON.stringify(payloads, (key, value) => (key === 'updatedAt' || key === 'computedAt' ? undefined : value)));
}

const answersPerModel = (payload: { elo: { models: Array<{ id: string; speed?: { answers: number } }> } }) =>
  Object.fromEntries(payload.elo.models.map((m) => [m.id, m.speed?.answers ?? 0]));

describe('standings while a battle waits for its vote', () => {
  it('change for no model until the battle is voted or abandoned', async () => {
    let clock = Date.now();
    const server = await startServer({ deps: { now: () => clock, btIntervalMs: 0 } });
    const voter = await server.connect({ voterId: 'privacy-voter' });
    const watcher = await server.connect({ voterId: 'privacy-watcher' });

    // Some history first, so every figure has a value that could move.
    const first = await playBattle(voter);
    expect(await voter.emitWithAck('battle:vote', { battleId: first, winner: 'a' })).toMatchObject({ ok: true });
    clock += 60_000;
    const before = await publicPayloads(server, watcher);

    const pushes: unknown[] = [];
    watcher.on('leaderboard:update', (p) => pushes.push(p));
    watcher.on('leaderboard:bt', (p) => pushes.push(p));
    watcher.on('standings:update', (p) => pushes.push(p));
    const waiting = await playBattle(voter, 'Write a haiku about autumn');
    clock += 60_000; // past every cache of speed and cost figures
    const during = await publicPayloads(server, watcher);
    expect(during).toEqual(before);
    await server.app.standings.views.idle();
    expect(pushes).toEqual([]);

    // Once the battle is over (here: stopped without a vote), its answers count like any other.
    expect(await voter.emitWithAck('battle:stop', { battleId: waiting })).toEqual({ ok: true });
    expect(await voter.emitWithAck('battle:vote', { battleId: waiting, winner: 'a' })).toMatchObject({ ok: false, error: { code: 'battle_closed' } });
    clock += 60_000;
    const after = await publicPayloads(server, watcher);
    const grew = Object.entries(answersPerModel(after)).filter(([id, n]) => n > answersPerModel(before)[id]!);
    expect(grew).toHaveLength(2);
    // The standings views carry the same figures (for the models voted on), so the equality above held for them too.
    const inView = (payload: typeof before) =>
      Object.fromEntries(
        [...payload.standings.standings.models, ...payload.standings.standings.provisional].map((m: { id: string; speed?: { answers: number } }) => [
          m.id,
          m.speed?.answers ?? 0,
        ]),
      );
    expect(Object.entries(inView(after)).filter(([id, n]) => n > (inView(before)[id] ?? 0)).length).toBeGreaterThanOrEqual(1);
  });

  it('count a finished battle left unvoted past the vote window as abandoned, and refuse its vote', async () => {
    let clock = Date.now();
    const server = await startServer({
      deps: { now: () => clock },
      config: { limits: { voteWindowMinutes: 30, battlesBurst: 1000, maxConcurrentBattles: 100 } },
    });
    const voter = await server.connect({ voterId: 'slow-voter' });
    const battleId = await playBattle(voter);
    expect(server.app.battles.expireUnvoted()).toBe(0);
    clock += 31 * 60_000;
    expect(server.app.battles.expireUnvoted()).toBe(1);
    const resumed = await voter.emitWithAck('battle:resume', { battleId });
    expect(resumed).toMatchObject({ ok: true, battle: { status: 'abandoned' } });
    expect(await voter.emitWithAck('battle:vote', { battleId, winner: 'b' })).toMatchObject({ ok: false, error: { code: 'battle_closed' } });
    const board = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as { models: Array<{ speed?: { answers: number } }> };
    expect(board.models.reduce((n, m) => n + (m.speed?.answers ?? 0), 0)).toBe(2);
  });
});
