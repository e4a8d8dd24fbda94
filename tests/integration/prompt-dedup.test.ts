/**
 * Prompt deduplication in the public Bradley-Terry fit: a prompt pasted far more often than the
 * others (above the configured top share of the per-prompt counts) counts as `cap` votes, so it
 * cannot carry a model up the standings; the integrity report shows what was down-weighted.
 */
import { describe, expect, it } from 'vitest';
import type { IntegrityReport } from '../../protocol/integrity.ts';
import type { BtLeaderboard } from '../../protocol/types.ts';
import { outcomeFromDbWinner } from '../../server/ratings/outcomes.ts';
import { rankModels } from '../../server/ratings/summary.ts';
import { api, signedIn } from '../support/auth.ts';
import { type PlantedVote, plantVotes, seeded, simulateVotes } from '../support/plant-votes.ts';
import { getStandings } from '../support/standings.ts';
import { playBattle, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();
const PASTED = 'Write me a poem about the sea';
const models = ['m-a', 'm-b', 'm-c'].map((id) => ({ id, name: id.toUpperCase(), provider: 'demo' as const, tokensPerSecond: 0 }));

describe('prompt deduplication', () => {
  it('down-weights a pasted prompt in the public fit and shows it in the integrity report', async () => {
    const server = await startServer({ models, config: { standings: { promptDedup: { topShare: 0.05 } } }, deps: { btIntervalMs: 0 } });
    // 90 ordinary votes among equal models, each its own prompt; then 40 votes of one pasted prompt, all for m-a.
    const ordinary = simulateVotes({ 'm-a': 1000, 'm-b': 1000, 'm-c': 1000 }, 90, seeded(31));
    const pasted: PlantedVote[] = Array.from({ length: 40 }, (_, k) => ({ a: 'm-a', b: k % 2 ? 'm-b' : 'm-c', winner: 'a', prompt: `  ${PASTED}\n` }));
    const votes = [...ordinary, ...pasted];
    plantVotes(server.app.db.$client, votes);

    const bt = (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as BtLeaderboard;
    // The quantile of 91 prompts' counts at 95% is 1: the pasted prompt counts as one vote.
    expect(bt.promptDedup).toEqual({ topShare: 0.05, cap: 1, prompts: 1, votes: 40, effectiveVotes: 91 });
    expect(bt.votes).toBe(130);
    const undeduplicated = rankModels(
      votes.map((v) => ({ model_a: v.a, model_b: v.b, winner: outcomeFromDbWinner(v.winner) })),
      { method: 'bt', bootstrap: 0 },
    );
    const ordinaryOnly = rankModels(
      ordinary.map((v) => ({ model_a: v.a, model_b: v.b, winner: outcomeFromDbWinner(v.winner) })),
      { method: 'bt', bootstrap: 0 },
    );
    const ratingOf = (list: Array<{ id?: string; model?: string; rating: number }>) => list.find((m) => (m.id ?? m.model) === 'm-a')!.rating;
    const without = ratingOf(undeduplicated.models);
    const withDedup = ratingOf(bt.models);
    const base = ratingOf(ordinaryOnly.models);
    console.log(`prompt dedup: m-a ${base.toFixed(0)} on the ordinary votes, ${without.toFixed(0)} with the pasted ones, ${withDedup.toFixed(0)} deduplicated`);
    // 40 pasted votes move m-a by about 90 points; deduplicated they count as one and move it by a few.
    expect(without - base).toBeGreaterThan(60);
    expect(Math.abs(withDedup - base)).toBeLessThan((without - base) / 4);
    // The tallies still count every vote; only the fit weighs them.
    expect(bt.models.find((m) => m.id === 'm-a')!.battles).toBe(votes.filter((v) => v.a === 'm-a' || v.b === 'm-a').length);
    // The views deduplicate the same way.
    const view = await getStandings(server, { method: 'bt', minVotes: 0 });
    expect(view.promptDedup).toEqual(bt.promptDedup);
    expect(ratingOf(view.models)).toBe(withDedup);

    // A live vote on the pasted prompt is hashed with the vote (trimmed, NFC) and joins its count.
    const socket = await server.connect();
    const battleId = await playBattle(socket, PASTED);
    expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'tie' })).ok).toBe(true);

    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const report = (await api<IntegrityReport & { ok: true }>(server, '/api/admin/integrity', { cookie: admin })).body;
    expect(report.promptDedup).toEqual({
      topShare: 0.05,
      cap: 1,
      distinctPrompts: 91,
      downWeightedVotes: 41,
      downWeightedWeight: 1,
      prompts: [{ prompt: PASTED, votes: 41, weight: 0.0244 }],
    });
    // Only admins see prompts.
    expect((await api(server, '/api/admin/integrity')).status).toBe(401);
  });

  it('is off with topShare 0', async () => {
    const server = await startServer({ models, config: { standings: { promptDedup: { topShare: 0 } } }, deps: { btIntervalMs: 0 } });
    plantVotes(
      server.app.db.$client,
      Array.from({ length: 10 }, () => ({ a: 'm-a', b: 'm-b', winner: 'a' as const, prompt: PASTED })),
    );
    const bt = (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as BtLeaderboard;
    expect(bt.promptDedup).toBeNull();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const report = (await api<IntegrityReport & { ok: true }>(server, '/api/admin/integrity', { cookie: admin })).body;
    expect(report.promptDedup).toMatchObject({ topShare: 0, cap: null, distinctPrompts: 1, prompts: [] });
  });
});
