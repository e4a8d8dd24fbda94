/**
 * Named side-by-side mode: the voter picks both models and sees their names from the start; the
 * battle runs through the arena's own orchestration and its vote is stored flagged `named`, so it
 * stays out of the blind (public) standings and is included only in views of all votes.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { battles, votes } from '../../db/schema.ts';
import type { Standings } from '../../protocol/standings.ts';
import { playBattle, type TestServer, type TestSocket, useTestServer, waitForTurn } from '../support/test-server.ts';

const startServer = useTestServer();

const alphaBravo = { a: 'model-alpha', b: 'model-bravo' };

async function playNamed(socket: TestSocket, models = alphaBravo, prompt = 'Compare two sorting algorithms') {
  const turn = waitForTurn(socket, undefined, 1);
  const reply = await socket.emitWithAck('battle:start', { prompt, models });
  if (!reply.ok) throw new Error(`battle:start failed: ${reply.error.message}`);
  await turn;
  return reply.battleId;
}

async function standings(server: TestServer, query = ''): Promise<Standings> {
  await server.app.standings.views.idle();
  const body = (await (await fetch(`${server.url}/api/standings?minVotes=0${query}`)).json()) as { standings: Standings };
  return body.standings;
}

/** The blind figures a named vote must not move, without the times that change on every read. */
async function blindFigures(server: TestServer) {
  await server.app.btLeaderboard.idle();
  const get = async (path: string) => (await fetch(`${server.url}${path}`)).json();
  const payloads = {
    elo: await get('/api/leaderboard'),
    bt: await get('/api/leaderboard?method=bt'),
    standings: await standings(server),
    standingsBt: await standings(server, '&method=bt'),
    categories: await get('/api/standings/categories'),
  };
  return JSON.parse(JSON.stringify(payloads, (key, value) => (key === 'updatedAt' || key === 'computedAt' ? undefined : value)));
}

describe('named side-by-side battles', () => {
  it('stream the two chosen models, named from the start, and store the battle and vote as named', async () => {
    const server = await startServer();
    const socket = await server.connect({ voterId: 'named-voter-1' });
    const battleId = await playNamed(socket);

    const resumed = await socket.emitWithAck('battle:resume', { battleId });
    expect(resumed).toMatchObject({
      ok: true,
      battle: { status: 'ready', vote: null, named: { a: { id: 'model-alpha', name: 'Alpha Secret' }, b: { id: 'model-bravo', name: 'Bravo Secret' } } },
    });
    if (resumed.ok) expect(resumed.battle.turns[0]!.a.text.length).toBeGreaterThan(0);
    const row = server.app.db.select().from(battles).where(eq(battles.id, battleId)).get()!;
    expect(row).toMatchObject({ mode: 'named', modelA: 'model-alpha', modelB: 'model-bravo' });

    const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'named-vote-0001' });
    expect(vote).toEqual({ ok: true, models: resumed.ok && resumed.battle.named, counted: false, flags: ['named'] });
    const stored = server.app.db.select().from(votes).where(eq(votes.battleId, battleId)).get()!;
    expect(stored).toMatchObject({ winner: 'b', modelA: 'model-alpha', modelB: 'model-bravo', flags: ['named'], counted: false });
    // Re-sent with the same voteId: the same answer, nothing stored twice.
    expect(await socket.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'named-vote-0001' })).toEqual(vote);
    expect(server.app.db.select().from(votes).all()).toHaveLength(1);
  });

  it('leave the blind standings exactly as they were and count only in views of all votes', async () => {
    let clock = Date.now();
    const server = await startServer({ deps: { now: () => clock, btIntervalMs: 0 } });
    const socket = await server.connect({ voterId: 'named-voter-2' });
    const blind = await playBattle(socket);
    expect(await socket.emitWithAck('battle:vote', { battleId: blind, winner: 'a' })).toMatchObject({ ok: true, counted: true });
    clock += 60_000;
    const before = await blindFigures(server);
    expect(before.standings.votes).toBe(1);

    for (const winner of ['a', 'a', 'tie'] as const) {
      const battleId = await playNamed(socket, { a: 'model-charlie', b: 'model-alpha' });
      expect(await socket.emitWithAck('battle:vote', { battleId, winner })).toMatchObject({ ok: true, counted: false, flags: ['named'] });
    }
    clock += 60_000; // past every cache of speed and cost figures
    expect(await blindFigures(server)).toEqual(before);

    const all = await standings(server, '&votes=all');
    expect(all.votes).toBe(4);
    // The blind battle drew its own pair: the named votes come on top of whatever it gave model-charlie.
    type Row = { id: string; battles: number; wins: number; ties: number; losses: number };
    const charlieIn = (s: { models: Row[]; provisional: Row[] }) =>
      [...s.models, ...s.provisional].find((m) => m.id === 'model-charlie') ?? { battles: 0, wins: 0, ties: 0, losses: 0 };
    const blindCharlie = charlieIn(before.standings);
    expect(charlieIn(all)).toMatchObject({
      battles: blindCharlie.battles + 3,
      wins: blindCharlie.wins + 2,
      ties: blindCharlie.ties + 1,
      losses: blindCharlie.losses,
    });
    const categories = (await (await fetch(`${server.url}/api/standings/categories?votes=all`)).json()) as { categories: Array<{ id: string; votes: number }> };
    expect(categories.categories.find((c) => c.id === 'all')).toEqual({ id: 'all', votes: 4 });
  });

  it('are listed in the owner history as named, and a blind battle never carries names before its vote', async () => {
    const server = await startServer();
    const socket = await server.connect({ voterId: 'named-voter-3' });
    const named = await playNamed(socket);
    const blind = await playBattle(socket);
    const resumed = await socket.emitWithAck('battle:resume', { battleId: blind });
    expect(resumed.ok && 'named' in resumed.battle).toBe(false);
    expect(JSON.stringify(resumed)).not.toMatch(/Secret|model-/);

    const list = (await (await fetch(`${server.url}/api/battles`, { headers: { 'x-arena-voter': 'named-voter-3' } })).json()) as {
      battles: Array<{ id: string; mode: string }>;
    };
    expect(list.battles.map((b) => [b.id, b.mode]).sort()).toEqual(
      [
        [blind, 'arena'],
        [named, 'named'],
      ].sort(),
    );
  });

  it('refuse a pair that is not two different enabled models, or a retry of a blind battle', async () => {
    const server = await startServer();
    await server.app.registry.update('model-charlie', { enabled: false });
    const socket = await server.connect({ voterId: 'named-voter-4' });
    const start = (models: { a: string; b: string }, extra: { retryOf?: string } = {}) =>
      socket.emitWithAck('battle:start', { prompt: 'Hello there', models, ...extra });
    expect(await start({ a: 'model-alpha', b: 'model-alpha' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'models.b' } });
    expect(await start({ a: 'model-nobody', b: 'model-alpha' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'models.a' } });
    expect(await start({ a: 'model-alpha', b: 'model-charlie' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'models.b' } });
    expect(await start(alphaBravo, { retryOf: 'some-battle' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'retryOf' } });
    expect(server.app.db.select().from(battles).all()).toEqual([]);
  });
});
