/**
 * Matchmaking through the battle service on a real server: `matchmaking.policy` in the config
 * decides which pairs battles get. `weighted` follows the registry weights, boosts models short of
 * votes and leaves out a model in an outage (its answers keep failing); `active` spends battles on
 * the pair of neighbours the latest Bradley-Terry fit cannot tell apart; `uniform` is the default.
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { plantVotes, seeded, simulateVotes } from '../support/plant-votes.ts';
import { playBattle, type TestServer, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

const demo = (id: string, extra: Partial<ModelConfigInput> = {}): ModelConfigInput => ({
  id,
  name: id.toUpperCase(),
  provider: 'demo',
  tokensPerSecond: 0,
  ...extra,
});

/** The pairs of the battles the service drew (sorted ids), oldest first; planted history left out. */
function drawnPairs(server: TestServer): string[] {
  const rows = server.app.db.$client
    .prepare("SELECT model_a, model_b FROM battles WHERE id NOT LIKE 'planted-%' ORDER BY created_at, rowid")
    .raw()
    .all() as Array<[string, string]>;
  return rows.map((pair) => [...pair].sort().join('+'));
}

async function play(server: TestServer, battles: number): Promise<void> {
  const socket = await server.connect({ voterId: 'matchmaking-voter' });
  for (let i = 0; i < battles; i++) await playBattle(socket, `question ${i} for the matchmaker`);
  socket.disconnect();
}

const share = (pairs: string[], test: (pair: string) => boolean) => pairs.filter(test).length / pairs.length;

describe('matchmaking policies', () => {
  it('uniform is the default: every pair alike, registry weights and failing models ignored', async () => {
    const server = await startServer({
      models: [demo('m-a'), demo('m-b', { weight: 5 }), demo('m-c'), demo('m-down', { failAfterTokens: 0 })],
      deps: { random: seeded(1) },
      loadTest: true,
    });
    await play(server, 48);
    const pairs = drawnPairs(server);
    expect(pairs).toHaveLength(48);
    // Each model is in half of the battles of four under uniform pairs, its weight or failures aside.
    expect(share(pairs, (p) => p.includes('m-down'))).toBeGreaterThan(0.3);
    expect(share(pairs, (p) => p.includes('m-b'))).toBeLessThan(0.75);
  });

  it('weighted follows the weights and leaves out a model in an outage', async () => {
    const server = await startServer({
      models: [demo('m-a'), demo('m-b', { weight: 5 }), demo('m-c'), demo('m-down', { failAfterTokens: 0 })],
      config: { matchmaking: { policy: 'weighted', outage: { failures: 2, cooldownSeconds: 3600 } } },
      deps: { random: seeded(2) },
      loadTest: true,
    });
    const socket = await server.connect({ voterId: 'matchmaking-voter' });
    // Until m-down has failed twice it is drawn like any other.
    let failures = 0;
    for (let i = 0; failures < 2 && i < 200; i++) {
      await playBattle(socket, `warm-up ${i}`);
      if (drawnPairs(server).at(-1)!.includes('m-down')) failures++;
    }
    expect(failures).toBe(2);
    const before = drawnPairs(server).length;
    await play(server, 40);
    const after = drawnPairs(server).slice(before);
    expect(after).toHaveLength(40);
    expect(after.filter((p) => p.includes('m-down'))).toEqual([]);
    // m-b (weight 5) against m-a and m-c (weight 1): pairs with m-b are 10 of 11.
    expect(share(after, (p) => p.includes('m-b'))).toBeGreaterThan(0.75);
  });

  it('weighted boosts models with fewer votes than boostBelowVotes', async () => {
    // The counted votes per model are read at start-up: plant them, then start again on the same database.
    const first = await startServer({ models: [demo('m-a'), demo('m-b'), demo('m-c'), demo('m-fresh')] });
    plantVotes(first.app.db.$client, simulateVotes({ 'm-a': 1000, 'm-b': 1000, 'm-c': 1000 }, 60, seeded(3)));
    await first.close();
    const server = await startServer({
      dir: first.dir,
      models: [demo('m-a'), demo('m-b'), demo('m-c'), demo('m-fresh')],
      config: { matchmaking: { policy: 'weighted', boostBelowVotes: 10, boostFactor: 4 } },
      deps: { random: seeded(4) },
      loadTest: true,
    });
    await play(server, 40);
    // m-fresh weighs 4, the others 1: it is in 12 of 15 pairs' weight (4/5 of battles), against half under uniform.
    expect(share(drawnPairs(server), (p) => p.includes('m-fresh'))).toBeGreaterThan(0.65);
  });

  it('active spends battles on the neighbours the latest fit cannot tell apart', async () => {
    const models = [demo('m-a'), demo('m-b'), demo('m-c'), demo('m-d')];
    const server = await startServer({ models, config: { matchmaking: { policy: 'active' } }, deps: { random: seeded(5), btIntervalMs: 0 }, loadTest: true });
    // 400 points apart, except m-c and m-d: equal, and only 4 votes between them.
    const random = seeded(6);
    const strengths = { 'm-a': 1400, 'm-b': 1000, 'm-c': 600, 'm-d': 600 };
    const wellKnown: Array<[string, string]> = [
      ['m-a', 'm-b'],
      ['m-a', 'm-c'],
      ['m-a', 'm-d'],
      ['m-b', 'm-c'],
      ['m-b', 'm-d'],
    ];
    plantVotes(server.app.db.$client, [
      ...simulateVotes(strengths, 500, random, wellKnown),
      { a: 'm-c', b: 'm-d', winner: 'a' },
      { a: 'm-d', b: 'm-c', winner: 'a' },
      { a: 'm-c', b: 'm-d', winner: 'b' },
      { a: 'm-d', b: 'm-c', winner: 'b' },
    ]);
    // The policy draws from the latest fit; the first one is computed at once.
    expect(server.app.btLeaderboard.matchmakingFit()).toBeNull();
    await server.app.btLeaderboard.idle();
    const fit = server.app.btLeaderboard.matchmakingFit()!;
    expect([...fit.models].sort()).toEqual(['m-a', 'm-b', 'm-c', 'm-d']);
    expect(fit.covariance).toHaveLength(16);
    await play(server, 60);
    const pairs = drawnPairs(server);
    // Uniform pairs would give m-c+m-d a sixth of the battles; the exploration floor keeps every pair possible.
    expect(share(pairs, (p) => p === 'm-c+m-d')).toBeGreaterThan(0.5);
    console.log(`active: ${pairs.filter((p) => p === 'm-c+m-d').length} of ${pairs.length} battles on the unresolved neighbours m-c, m-d`);
  });
});
