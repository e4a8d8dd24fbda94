/**
 * Evaluations end to end as a new user runs them: gold items and voters' accuracy on them, skipping
 * an item, editing a draft, prompt sets made from past arena battles, and re-running a prompt set
 * with a new model against the stored answers of the old ones.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { evalGenerations, evalItems, evalPrompts, evalSkips, evalVotes } from '../../db/schema-evaluations.ts';
import type { EvalItem, EvalItemReviewPage, EvaluationDetail, EvaluationResults } from '../../protocol/evaluations.ts';
import type { BattlePromptsPreview } from '../../protocol/judges.ts';
import type { ModelConfig } from '../../server/models/config.ts';
import { adapterFor } from '../../server/providers/index.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate } from '../support/auth-evaluations.ts';
import { itemInfo, voteAs } from '../support/judge-harness.ts';
import { playBattle, type TestServer, type TestServerOptions, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();
const evalConfig = { evaluations: { retryDelayMs: 5, bootstrapRounds: 20 } };

async function setUp(opts: TestServerOptions = {}) {
  const server = await startServer({ config: evalConfig, ...opts });
  return { server, admin: await signedIn(server, 'admin@example.com', 'admin') };
}

async function member(server: TestServer, name: string) {
  const cookie = await signedIn(server, `${name}@example.com`, 'member');
  const voterId = `user:${(await api<{ user: { id: string } }>(server, '/api/me', { cookie })).body.user.id}`;
  return { cookie, voterId, socket: await connectWith(server, { cookie }) };
}

const seeded = (seed: number) => () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

describe('gold items', () => {
  it('mixes gold items unseen into every voter’s queue, scores each voter, and leaves voters below the threshold out of the results', async () => {
    const { server, admin } = await setUp({ deps: { random: seeded(7) } });
    const ev = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      prompts: {
        format: 'jsonl',
        content: jsonl([
          ...[1, 2, 3, 4].map((n) => ({ prompt: `Real prompt ${n}`, id: `r${n}` })),
          { prompt: 'What is 2 + 2?', id: 'g1', gold: { better: '4', worse: '5' } },
          { prompt: '서울은 어느 나라의 수도입니까?', id: 'g2', gold: { a: '대한민국', b: '일본', verdict: 'a' } },
        ]),
      },
    });
    expect(ev).toMatchObject({ prompts: 4, goldItems: 2, progress: { items: { total: 4 }, votes: { wanted: 8 } } });
    await startAndGenerate(server, admin, ev.id);
    const voters = { good: await member(server, 'good'), bad: await member(server, 'bad') };
    const shapes = new Set<string>();
    const goldSeen: Record<string, string[]> = { good: [], bad: [] };
    for (const [name, v] of Object.entries(voters)) {
      for (let item = await nextItem(v.socket, ev.id); item; item = await nextItem(v.socket, ev.id)) {
        shapes.add(JSON.stringify(Object.keys(item).sort()));
        const info = itemInfo(server, item.itemId);
        const gold = info.modelX === 'gold:a';
        if (gold) goldSeen[name]!.push(info.questionId);
        // The careful voter gets gold items right; the other always picks the second answer.
        await voteAs(server, v.socket, v.voterId, item, gold ? (name === 'good' ? 'x' : 'y') : name === 'good' ? 'x' : 'y');
      }
    }
    // Nothing tells a gold item apart; every voter got each once, between real items.
    expect(shapes.size).toBe(1);
    expect(goldSeen.good!.sort()).toEqual(['g1', 'g2']);
    expect(goldSeen.bad!.sort()).toEqual(['g1', 'g2']);
    const progress = server.app.evaluations.progress(ev.id);
    expect(progress).toMatchObject({ votes: { cast: 8, wanted: 8 }, allVotesIn: true });

    let r = (await api<{ results: EvaluationResults }>(server, `/api/admin/evaluations/${ev.id}/results`, { cookie: admin })).body.results;
    expect(r.gold).toEqual({
      items: 2,
      minAccuracy: null,
      voters: [
        { voter: 'bad@example.com', judged: 2, correct: 0, accuracy: 0, excluded: false },
        { voter: 'good@example.com', judged: 2, correct: 2, accuracy: 1, excluded: false },
      ],
    });
    expect(r.votes).toBe(8); // gold votes are not model comparisons
    expect(r.leaderboard.models.map((m) => m.model)).not.toContain('gold:a');

    const edited = await api<{ evaluation: EvaluationDetail }>(server, `/api/admin/evaluations/${ev.id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { minGoldAccuracy: 0.5 },
    });
    expect(edited.status).toBe(200);
    r = (await api<{ results: EvaluationResults }>(server, `/api/admin/evaluations/${ev.id}/results`, { cookie: admin })).body.results;
    expect(r.gold.voters.find((v) => v.voter === 'bad@example.com')!.excluded).toBe(true);
    expect(r.votes).toBe(4);
    expect(r.voters.map((v) => v.voter)).toEqual(['good@example.com']);
    // The export of model comparisons leaves the gold items out.
    const csv = await api(server, `/api/admin/evaluations/${ev.id}/export.csv`, { cookie: admin });
    expect((csv.body as unknown as { text: string }).text).not.toMatch(/gold:a|대한민국/);
    const badThreshold = await api(server, `/api/admin/evaluations/${ev.id}`, { method: 'PATCH', cookie: admin, body: { minGoldAccuracy: 2 } });
    expect(badThreshold).toMatchObject({ status: 400, body: { error: { field: 'minGoldAccuracy' } } });
  });

  it('refuses a gold row without a valid verdict, naming its line', async () => {
    const { server, admin } = await setUp();
    const res = await api(server, '/api/admin/evaluations', {
      cookie: admin,
      body: {
        name: 'Bad gold',
        models: ['model-alpha', 'model-bravo'],
        prompts: { format: 'jsonl', content: jsonl([{ prompt: 'ok' }, { prompt: 'q', gold: { a: 'x', b: 'y', verdict: 'maybe' } }]) },
      },
    });
    expect(res.body.error!.problems).toEqual([{ line: 2, message: '"gold.verdict" must be "a", "b", "tie" or "bothbad"' }]);
  });
});

describe('skipping an item', () => {
  it('passes the item to someone else, never hands it back, and counts skips per item', async () => {
    const { server, admin } = await setUp();
    const ev = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 1,
      prompts: { format: 'text', content: 'Only prompt\n' },
    });
    await startAndGenerate(server, admin, ev.id);
    const [ann, bob] = [await member(server, 'ann'), await member(server, 'bob')];
    const held = (await nextItem(ann.socket, ev.id))!;
    // Bob cannot have it while Ann holds it.
    expect(await nextItem(bob.socket, ev.id)).toBeNull();
    const skipped = await ann.socket.emitWithAck('eval:skip', { evaluationId: ev.id, itemId: held.itemId });
    expect(skipped).toMatchObject({ ok: true, item: null, progress: { done: 0, remaining: 0 } });
    expect(await nextItem(ann.socket, ev.id)).toBeNull();
    const taken = (await nextItem(bob.socket, ev.id))!;
    expect(taken.itemId).toBe(held.itemId);
    expect(await bob.socket.emitWithAck('eval:skip', { evaluationId: ev.id, itemId: 'not-mine' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'itemId' },
    });
    await voteAs(server, bob.socket, bob.voterId, taken, 'x');
    expect(server.app.db.select().from(evalSkips).all()).toHaveLength(1);
    const page = (await api<EvalItemReviewPage>(server, `/api/admin/evaluations/${ev.id}/items`, { cookie: admin })).body;
    expect(page.items[0]).toMatchObject({ skips: 1, votes: [{ voter: 'bob@example.com', choice: 'x' }] });
  });
});

describe('editing a draft', () => {
  it('changes name, models, votes per item and prompts (multi-turn CSV) of a draft; once started only the name, description and result options', async () => {
    const { server, admin } = await setUp();
    const ev = await createEvaluation(server, admin, { models: ['model-alpha', 'model-bravo'], prompts: { format: 'text', content: 'One\nTwo\n' } });
    const patch = (body: unknown) => api<{ evaluation: EvaluationDetail }>(server, `/api/admin/evaluations/${ev.id}`, { method: 'PATCH', cookie: admin, body });
    const csv = 'id,category,turn_1,turn_2\r\nq1,plan,"Plan a trip to Busan","Now, make it cheaper"\r\nq2,,Explain recursion,\r\n';
    const edited = await patch({
      name: 'Renamed',
      models: ['model-alpha', 'model-bravo', 'model-charlie'],
      votesPerItem: 2,
      prompts: { format: 'csv', content: csv },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.evaluation).toMatchObject({
      name: 'Renamed',
      status: 'draft',
      prompts: 2,
      votesPerItem: 2,
      models: [{ id: 'model-alpha' }, { id: 'model-bravo' }, { id: 'model-charlie' }],
      progress: { items: { total: 6 }, generation: { total: 6 }, votes: { wanted: 12 } },
    });
    const stored = server.app.db.select().from(evalPrompts).where(eq(evalPrompts.evaluationId, ev.id)).orderBy(evalPrompts.position).all();
    expect(stored.map((p) => [p.questionId, p.category, p.turns])).toEqual([
      ['q1', 'plan', ['Plan a trip to Busan', 'Now, make it cheaper']],
      ['q2', null, ['Explain recursion']],
    ]);
    expect(server.app.db.select().from(evalItems).where(eq(evalItems.evaluationId, ev.id)).all()).toHaveLength(6);
    // Models alone change: the prompts stay, the items follow.
    expect((await patch({ models: ['model-alpha', 'model-charlie'] })).body.evaluation.progress.items.total).toBe(2);
    expect(await patch({ votesPerItem: 0 })).toMatchObject({ status: 400, body: { error: { field: 'votesPerItem' } } });
    expect(await patch({ models: ['model-alpha', 'nope'] })).toMatchObject({ status: 400, body: { error: { field: 'models[1]' } } });
    expect(await patch({ colour: 'red' })).toMatchObject({ status: 400, body: { error: { field: 'colour' } } });

    await startAndGenerate(server, admin, ev.id);
    expect(await patch({ models: ['model-alpha', 'model-bravo'] })).toMatchObject({ status: 409, body: { error: { code: 'conflict', field: 'models' } } });
    expect(await patch({ prompts: { format: 'text', content: 'x' } })).toMatchObject({ status: 409, body: { error: { field: 'prompts' } } });
    const renamed = await patch({ name: 'Final name', description: 'Round 2', judgesInStandings: true });
    expect(renamed.body.evaluation).toMatchObject({ name: 'Final name', description: 'Round 2', judgesInStandings: true, status: 'running' });
    const audit = await api<{ entries: Array<{ action: string }> }>(server, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries.filter((e) => e.action === 'evaluation.edit')).toHaveLength(3);
  });
});

describe('an evaluation from real traffic', () => {
  it('turns past arena battles, filtered by date, model and category, into a prompt set without duplicates (Hangul in either normal form)', async () => {
    const { server, admin } = await setUp();
    const socket = await server.connect({ voterId: 'traffic-voter-1' });
    const composed = '부산 여행 계획을 세워 주세요';
    const prompts = ['Explain binary search', 'explain   BINARY search ', composed, composed.normalize('NFD'), 'Write a limerick'];
    for (const prompt of prompts) await playBattle(socket, prompt);
    const preview = await api<BattlePromptsPreview>(server, '/api/admin/battle-prompts', { cookie: admin });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ battles: 5, duplicates: 2 });
    expect(preview.body.prompts.map((p) => p.turns[0])).toEqual(['Write a limerick', composed.normalize('NFD'), 'explain   BINARY search ']);

    // Battles with a given model only.
    const battles = server.app.db.$client.prepare('SELECT model_a AS a, model_b AS b FROM battles').all() as Array<{ a: string; b: string }>;
    const withAlpha = battles.filter((b) => b.a === 'model-alpha' || b.b === 'model-alpha').length;
    const alpha = await api<BattlePromptsPreview>(server, '/api/admin/battle-prompts?models=model-alpha', { cookie: admin });
    expect(alpha.body.battles).toBe(withAlpha);

    const ev = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      prompts: { format: 'battles', filter: { from: new Date().toISOString().slice(0, 10) } },
    });
    expect(ev.prompts).toBe(3);
    const none = await api(server, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Old', models: ['model-alpha', 'model-bravo'], prompts: { format: 'battles', filter: { to: '2001-01-01' } } },
    });
    expect(none).toMatchObject({ status: 400, body: { error: { field: 'prompts.filter' } } });
    // By category: the battles whose vote the standings filed under it (an unvoted battle is under none).
    const code = 'Why does this fail?\n```python\nprint(undefined_name)\n```';
    for (const [prompt, winner] of [
      [code, 'a'],
      ['김치찌개 끓이는 법을 알려 주세요', 'tie'],
    ] as const) {
      const battleId = await playBattle(socket, prompt);
      expect((await socket.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
    }
    const coding = await api<BattlePromptsPreview>(server, '/api/admin/battle-prompts?category=coding', { cookie: admin });
    expect(coding.body).toMatchObject({ battles: 1, prompts: [{ turns: [code] }] });
    const korean = await api<BattlePromptsPreview>(server, `/api/admin/battle-prompts?category=${encodeURIComponent('lang:ko')}`, { cookie: admin });
    expect(korean.body.prompts.map((p) => p.turns[0])).toEqual(['김치찌개 끓이는 법을 알려 주세요']);
    const fromCoding = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      prompts: { format: 'battles', filter: { category: 'coding' } },
    });
    expect(fromCoding.prompts).toBe(1);
    const math = await api(server, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Math', models: ['model-alpha', 'model-bravo'], prompts: { format: 'battles', filter: { category: 'math' } } },
    });
    expect(math).toMatchObject({ status: 400, body: { error: { field: 'prompts.filter' } } });
    const unknown = await api(server, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Cooking', models: ['model-alpha', 'model-bravo'], prompts: { format: 'battles', filter: { category: 'cooking' } } },
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { field: 'prompts.filter.category' } } });
    expect(await api(server, '/api/admin/battle-prompts?category=cooking', { cookie: admin })).toMatchObject({
      status: 400,
      body: { error: { field: 'category' } },
    });
    const badDate = await api(server, '/api/admin/battle-prompts?from=yesterday', { cookie: admin });
    expect(badDate).toMatchObject({ status: 400, body: { error: { field: 'from' } } });
  });
});

describe('re-running a prompt set with a new model', () => {
  it('generates answers only for the new model, pairs them with the stored answers of the old ones, and judges only the new pairs', async () => {
    const calls: string[] = [];
    const { server, admin } = await setUp({
      deps: {
        adapterFor: (model: ModelConfig) => {
          const inner = adapterFor(model);
          return (req) => {
            calls.push(model.id);
            return inner(req);
          };
        },
      },
    });
    const base = await createEvaluation(server, admin, { models: ['model-alpha', 'model-bravo'], prompts: { format: 'text', content: 'One\nTwo\nThree\n' } });
    await startAndGenerate(server, admin, base.id);
    expect(calls.sort()).toEqual(['model-alpha', 'model-alpha', 'model-alpha', 'model-bravo', 'model-bravo', 'model-bravo']);
    calls.length = 0;

    const res = await api<{ evaluation: EvaluationDetail }>(server, `/api/admin/evaluations/${base.id}/rerun`, {
      cookie: admin,
      body: { model: 'model-charlie', against: ['model-alpha'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rerun = res.body.evaluation;
    expect(rerun).toMatchObject({
      status: 'draft',
      baseEvaluationId: base.id,
      prompts: 3,
      models: [{ id: 'model-alpha' }, { id: 'model-charlie' }],
      progress: { items: { total: 3 }, generation: { total: 6, done: 3, pending: 3 } },
    });
    expect(rerun.name).toMatch(/re-run with Charlie Secret/);
    await startAndGenerate(server, admin, rerun.id);
    expect(calls).toEqual(['model-charlie', 'model-charlie', 'model-charlie']);
    const answers = (id: string) =>
      server.app.db
        .select()
        .from(evalGenerations)
        .where(eq(evalGenerations.evaluationId, id))
        .all()
        .filter((g) => g.modelId === 'model-alpha')
        .map((g) => g.answers);
    expect(answers(rerun.id)).toEqual(answers(base.id));
    const items = server.app.db.select().from(evalItems).where(eq(evalItems.evaluationId, rerun.id)).all();
    expect(items.every((i) => i.modelX === 'model-alpha' && i.modelY === 'model-charlie')).toBe(true);

    const voter = await member(server, 'ann');
    let item: EvalItem | null;
    while ((item = await nextItem(voter.socket, rerun.id))) await voteAs(server, voter.socket, voter.voterId, item, 'y');
    const results = (await api<{ results: EvaluationResults }>(server, `/api/admin/evaluations/${rerun.id}/results`, { cookie: admin })).body.results;
    expect(results.leaderboard.models[0]!.model).toBe('model-charlie');
    expect(server.app.db.select().from(evalVotes).where(eq(evalVotes.evaluationId, base.id)).all()).toHaveLength(0);

    expect(await api(server, `/api/admin/evaluations/${base.id}/rerun`, { cookie: admin, body: { model: 'model-alpha' } })).toMatchObject({
      status: 400,
      body: { error: { field: 'model' } },
    });
    expect(
      await api(server, `/api/admin/evaluations/${base.id}/rerun`, { cookie: admin, body: { model: 'model-charlie', against: ['model-charlie'] } }),
    ).toMatchObject({
      status: 400,
      body: { error: { field: 'against[0]' } },
    });
  });
});
