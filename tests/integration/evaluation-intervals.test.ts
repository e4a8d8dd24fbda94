/**
 * Intervals of a small team evaluation. 24 votes where one model never loses: the bootstrap of the
 * maximum-likelihood fit runs off to thousands of points (the "1276 – 8023" of issue 14), while the
 * default, model-based intervals with the weak prior stay finite and say which method they used.
 */
import { describe, expect, it } from 'vitest';
import type { EvaluationResults } from '../../protocol/evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate, vote } from '../support/auth-evaluations.ts';
import { type TestServer, useSharedServer } from '../support/test-server.ts';

const server = useSharedServer({ config: { evaluations: { retryDelayMs: 5, bootstrapRounds: 100 } } });
const models = ['model-alpha', 'model-bravo', 'model-charlie'];

/** The shown side of `model` for the one open lease on the item, or null when it is not in the item. */
function sideOf(s: TestServer, itemId: string, model: string): 'a' | 'b' | null {
  const row = s.app.db.$client
    .prepare('SELECT i.model_x AS x, i.model_y AS y, a.swapped FROM eval_assignments a JOIN eval_items i ON i.id = a.item_id WHERE a.item_id = ?')
    .get(itemId) as { x: string; y: string; swapped: number };
  const left = row.swapped ? row.y : row.x;
  const right = row.swapped ? row.x : row.y;
  return left === model ? 'a' : right === model ? 'b' : null;
}

async function results(id: string, admin: string, query = ''): Promise<EvaluationResults> {
  const res = await api<{ results: EvaluationResults }>(server, `/api/admin/evaluations/${id}/results${query}`, { cookie: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.results;
}

describe('evaluation results at small samples', () => {
  it('keeps a never-beaten model’s interval finite by default, and says which method and prior', async () => {
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const prompts = jsonl(['Explain recursion', '정렬 알고리즘을 비교해 줘', 'Plan a trip', 'Write a haiku'].map((prompt) => ({ prompt })));
    const ev = await createEvaluation(server, admin, { models, votesPerItem: 2, prompts: { format: 'jsonl', content: prompts } });
    await startAndGenerate(server, admin, ev.id);
    const voters = await Promise.all(['x', 'y'].map(async (n) => connectWith(server, { cookie: await signedIn(server, `${n}@example.com`, 'member') })));
    let k = 0;
    for (let again = true; again; ) {
      again = false;
      for (const socket of voters) {
        const item = await nextItem(socket, ev.id);
        if (!item) continue;
        again = true;
        // model-alpha wins every vote it is in; the other two split theirs.
        const alpha = sideOf(server, item.itemId, 'model-alpha');
        const winner: Winner = alpha ?? (['a', 'b', 'tie'] as const)[k++ % 3]!;
        await vote(socket, item, winner);
      }
    }

    const byDefault = await results(ev.id, admin);
    expect(byDefault.votes).toBe(24);
    expect(byDefault.leaderboard.intervals).toEqual({ method: 'fisher', clustered: false, prior: { sd: 400 } });
    expect(byDefault.leaderboard.bootstrapRounds).toBe(0);
    const alpha = byDefault.leaderboard.models.find((m) => m.model === 'model-alpha')!;
    expect(alpha).toMatchObject({ wins: 16, losses: 0, ties: 0, rankUB: 1 });
    for (const m of byDefault.leaderboard.models) {
      expect(Number.isFinite(m.rating)).toBe(true);
      expect(Number.isFinite(m.ci!.lower) && Number.isFinite(m.ci!.upper)).toBe(true);
      expect(m.ci!.upper! - m.ci!.lower!).toBeLessThan(1200);
    }
    expect(alpha.rating!).toBeLessThan(1600);
    console.log(`16–0 in 24 votes: model-based with the prior ${alpha.ci!.lower!.toFixed(0)} – ${alpha.ci!.upper!.toFixed(0)}`);

    // The bootstrap of the maximum-likelihood fit, as before: no finite rating for a model that never lost.
    const bootstrap = await results(ev.id, admin, '?ci=bootstrap');
    expect(bootstrap.leaderboard.intervals).toEqual({ method: 'bootstrap', clustered: false, prior: null });
    expect(bootstrap.leaderboard.bootstrapRounds).toBe(100);
    const unbounded = bootstrap.leaderboard.models.find((m) => m.model === 'model-alpha')!;
    expect(unbounded.rating! > 2000 || unbounded.ci === null || unbounded.ci.upper! - unbounded.ci.lower! > 1500).toBe(true);
    expect(bootstrap.leaderboard.warnings.join(' ')).toMatch(/finite/);
    console.log(
      `the bootstrap on the same votes: rating ${unbounded.rating?.toFixed(0)}, ${unbounded.ci?.lower?.toFixed(0)} – ${unbounded.ci?.upper?.toFixed(0)}`,
    );

    // Sandwich intervals clustered by voter are asked for the same way.
    const clustered = await results(ev.id, admin, '?ci=sandwich&clustered=1');
    expect(clustered.leaderboard.intervals).toEqual({ method: 'sandwich', clustered: true, prior: { sd: 400 } });
    expect(clustered.leaderboard.models.every((m) => Number.isFinite(m.ci!.upper))).toBe(true);
    const bad = await api(server, `/api/admin/evaluations/${ev.id}/results?ci=exact`, { cookie: admin });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'ci' } });
  });
});
