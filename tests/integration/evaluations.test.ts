import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { evalAssignments, evalGenerations, evalItems, evalPrompts, evaluations, evalVotes } from '../../db/schema-evaluations.ts';
import type { EvalProgress, EvaluationResults } from '../../protocol/evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import { runRatingsCli } from '../../server/cli/ratings.ts';
import { parseCsv } from '../../server/evaluations/csv.ts';
import type { ModelConfig } from '../../server/models/config.ts';
import { adapterFor } from '../../server/providers/index.ts';
import type { ProviderRequest } from '../../server/providers/types.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate, vote } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels, type TestServer, type TestServerOptions, useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
let server: TestServer | undefined;

const models = ['model-alpha', 'model-bravo', 'model-charlie'];
const evalConfig = { evaluations: { retryDelayMs: 5, bootstrapRounds: 50 } };

async function withAdmin(opts: TestServerOptions = {}) {
  server = await startServer({ config: evalConfig, ...opts });
  return signedIn(server, 'admin@example.com', 'admin');
}

function rowCount(table: typeof evaluations | typeof evalPrompts | typeof evalItems | typeof evalGenerations) {
  return server!.app.db.select({ n: count() }).from(table).get()!.n;
}

describe('importing prompt sets', () => {
  it('imports JSONL (single- and multi-turn), CSV with quoting, and pasted text', async () => {
    const admin = await withAdmin();
    const fromJsonl = await createEvaluation(server!, admin, {
      models,
      prompts: {
        format: 'jsonl',
        content: jsonl([
          { prompt: 'Explain recursion', category: 'coding', id: 'q1' },
          { turns: ['Plan a trip to Rome', 'Now make it cheaper'], category: 'planning', id: 'q2' },
          { question_id: 81, category: 'writing', turns: ['Write a haiku'], reference: ['ignored'] },
        ]),
      },
    });
    expect(fromJsonl).toMatchObject({ status: 'draft', prompts: 3, categories: ['coding', 'planning', 'writing'] });
    // 3 prompts × 3 pairs = 9 items; 3 prompts × 3 models = 9 answers to generate.
    expect(fromJsonl.progress).toMatchObject({ items: { total: 9, ready: 0 }, generation: { total: 9, pending: 9 }, votes: { cast: 0, wanted: 27 } });
    const stored = server!.app.db.select().from(evalPrompts).where(eq(evalPrompts.evaluationId, fromJsonl.id)).orderBy(evalPrompts.position).all();
    expect(stored.map((p) => [p.questionId, p.turns])).toEqual([
      ['q1', ['Explain recursion']],
      ['q2', ['Plan a trip to Rome', 'Now make it cheaper']],
      ['81', ['Write a haiku']],
    ]);

    const csv = 'id,category,prompt\r\n1,math,"What is 2+2, really?"\r\n2,,"He said ""hi""\nthen left. Why?"\r\n\r\n3,math,Plain prompt\r\n';
    const fromCsv = await createEvaluation(server!, admin, { models, prompts: { format: 'csv', content: csv } });
    const csvPrompts = server!.app.db.select().from(evalPrompts).where(eq(evalPrompts.evaluationId, fromCsv.id)).orderBy(evalPrompts.position).all();
    expect(csvPrompts.map((p) => [p.questionId, p.category, p.turns[0]])).toEqual([
      ['1', 'math', 'What is 2+2, really?'],
      ['2', null, 'He said "hi"\nthen left. Why?'],
      ['3', 'math', 'Plain prompt'],
    ]);

    const fromText = await createEvaluation(server!, admin, {
      models: models.slice(0, 2),
      prompts: { format: 'text', content: 'First prompt\n\n  Second prompt  \r\nThird\n' },
    });
    expect(fromText.prompts).toBe(3);
  });

  it('reports every bad row with its line and imports nothing', async () => {
    const admin = await withAdmin();
    const before = { evaluations: rowCount(evaluations), prompts: rowCount(evalPrompts), items: rowCount(evalItems), generations: rowCount(evalGenerations) };
    const badJsonl = [
      '{"prompt": "fine"}',
      '{"prompt": ""}',
      'not json',
      '{"turns": []}',
      '{"prompt": "ok", "id": "a"}',
      '{"prompt": "dup", "id": "a"}',
      '{"text": "no prompt"}',
    ].join('\n');
    const res = await api(server!, '/api/admin/evaluations', { cookie: admin, body: { name: 'Bad', models, prompts: { format: 'jsonl', content: badJsonl } } });
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('invalid_input');
    expect(res.body.error!.message).toMatch(/^the prompt file has 5 bad row\(s\), nothing was imported: line 2: /);
    expect(res.body.error!.problems).toEqual([
      { line: 2, message: '"prompt" must not be empty' },
      { line: 3, message: 'not valid JSON' },
      { line: 4, message: '"turns" must be a non-empty list of strings' },
      { line: 6, message: 'duplicate id "a" (first on line 5)' },
      { line: 7, message: 'needs "prompt" (or "turns" for a multi-turn prompt)' },
    ]);

    const badCsv = await api(server!, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Bad', models, prompts: { format: 'csv', content: 'prompt,category\nfine,a\n"never closed,b\nmore\n' } },
    });
    expect(badCsv.body.error!.problems).toEqual([{ line: 3, message: 'a quoted field is never closed' }]);
    const wrongWidth = await api(server!, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Bad', models, prompts: { format: 'csv', content: 'prompt,category\nfine,a\ntoo,many,fields\n' } },
    });
    expect(wrongWidth.body.error!.problems).toEqual([{ line: 3, message: 'has 3 fields, the header has 2' }]);
    const noHeader = await api(server!, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Bad', models, prompts: { format: 'csv', content: 'question\nx\n' } },
    });
    expect(noHeader.body.error!.problems).toEqual([{ line: 1, message: 'the header row needs a "prompt" column (or turn_1, turn_2, …)' }]);
    const empty = await api(server!, '/api/admin/evaluations', { cookie: admin, body: { name: 'Bad', models, prompts: { format: 'text', content: '\n \n' } } });
    expect(empty.body.error!.problems).toEqual([{ line: 0, message: 'no prompts found' }]);
    const oneModel = await api(server!, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Bad', models: ['model-alpha'], prompts: { format: 'text', content: 'x' } },
    });
    expect(oneModel.body.error).toMatchObject({ code: 'invalid_input', field: 'models' });
    const unknownModel = await api(server!, '/api/admin/evaluations', {
      cookie: admin,
      body: { name: 'Bad', models: ['model-alpha', 'nope'], prompts: { format: 'text', content: 'x' } },
    });
    expect(unknownModel.body.error).toMatchObject({ code: 'invalid_input', field: 'models[1]' });

    expect({ evaluations: rowCount(evaluations), prompts: rowCount(evalPrompts), items: rowCount(evalItems), generations: rowCount(evalGenerations) }).toEqual(
      before,
    );
  });
});

describe('pre-generation', () => {
  it('answers every prompt×model in the background, retries a failing model twice, then shows it failed and skips its items', async () => {
    const calls: Array<{ model: string; messages: ProviderRequest['messages'] }> = [];
    const admin = await withAdmin({
      models: [...fastDemoModels, { id: 'model-broken', name: 'Broken', provider: 'demo', model: 'sage', tokensPerSecond: 0, failAfterTokens: 0 }],
      deps: {
        adapterFor: (model: ModelConfig) => {
          const inner = adapterFor(model);
          return (req) => {
            calls.push({ model: model.id, messages: req.messages });
            return inner(req);
          };
        },
      },
    });
    const watcher = await connectWith(server!, { cookie: admin });
    const ev = await createEvaluation(server!, admin, {
      models: ['model-alpha', 'model-bravo', 'model-broken'],
      systemPrompt: 'Answer briefly.',
      prompts: { format: 'jsonl', content: jsonl([{ prompt: 'One' }, { turns: ['Two', 'And three?'] }]) },
    });
    const updates: EvalProgress[] = [];
    watcher.on('eval:progress', (p) => updates.push(p));
    expect(await watcher.emitWithAck('eval:watch', { evaluationId: ev.id })).toMatchObject({ ok: true });
    const done = await startAndGenerate(server!, admin, ev.id);

    expect(done.progress.generation).toEqual({ total: 6, done: 4, failed: 2, pending: 0 });
    expect(done.failures.map((f) => [f.questionId, f.modelId, f.attempts])).toEqual([
      ['1', 'model-broken', 3],
      ['2', 'model-broken', 3],
    ]);
    expect(done.failures[0]!.error).toMatch(/^upstream: /);
    // 1 try + 2 retries per prompt for the broken model.
    expect(calls.filter((c) => c.model === 'model-broken')).toHaveLength(6);
    // Multi-turn: turn 2 carries the evaluation's system prompt and the model's own first answer.
    const secondTurn = calls.find((c) => c.model === 'model-alpha' && c.messages.length === 4)!;
    const alphaAnswers = server!.app.db.select().from(evalGenerations).where(eq(evalGenerations.modelId, 'model-alpha')).all();
    expect(secondTurn.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(secondTurn.messages[0]!.content).toBe('Answer briefly.');
    expect(secondTurn.messages[2]!.content).toBe(alphaAnswers.find((g) => g.answers!.length === 2)!.answers![0]);
    // Only (alpha, bravo) items are judgeable: one per prompt.
    expect(done.progress.items).toMatchObject({ total: 6, ready: 2 });
    await expect.poll(() => updates.at(-1)?.generation.pending).toBe(0);
    expect(updates.at(-1)).toMatchObject({ status: 'running', generation: { failed: 2 } });

    const voter = await connectWith(server!, { cookie: await signedIn(server!, 'm@example.com', 'member') });
    const seen = new Set<string>();
    for (let item = await nextItem(voter, ev.id); item; item = await nextItem(voter, ev.id)) {
      const row = server!.app.db.select().from(evalItems).where(eq(evalItems.id, item.itemId)).get()!;
      expect([row.modelX, row.modelY]).toEqual(['model-alpha', 'model-bravo']);
      seen.add(item.itemId);
      await vote(voter, item, 'a');
    }
    expect(seen.size).toBe(2);

    // Retrying failed answers requeues them (they fail again here).
    const retried = await api(server!, `/api/admin/evaluations/${ev.id}/retry`, { cookie: admin, body: {} });
    expect(retried.status).toBe(200);
    await expect.poll(() => server!.app.evaluations.progress(ev.id).generation.pending).toBe(0);
  });
});

describe('voting', () => {
  it('splits the work between three voters with no repeats until every item has its votes', async () => {
    let seed = 42;
    const admin = await withAdmin({ deps: { random: () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 } });
    const ev = await createEvaluation(server!, admin, {
      models,
      votesPerItem: 2,
      prompts: { format: 'text', content: 'Alpha prompt\nBeta prompt\nGamma prompt\nDelta prompt\n' },
    });
    await startAndGenerate(server!, admin, ev.id);
    const voters = await Promise.all(
      ['v1', 'v2', 'v3'].map(async (name) => connectWith(server!, { cookie: await signedIn(server!, `${name}@example.com`, 'member') })),
    );
    const progressSeen: EvalProgress[] = [];
    voters[0]!.on('eval:progress', (p) => progressSeen.push(p));
    expect(await voters[0]!.emitWithAck('eval:subscribe', { evaluationId: ev.id })).toMatchObject({ ok: true, progress: { items: { total: 12, ready: 12 } } });

    const judged = voters.map(() => new Set<string>());
    let active = [0, 1, 2];
    const winners: Winner[] = ['a', 'b', 'tie', 'bothbad'];
    let turn = 0;
    while (active.length > 0) {
      for (const v of [...active]) {
        const item = await nextItem(voters[v]!, ev.id);
        if (!item) {
          active = active.filter((x) => x !== v);
          continue;
        }
        expect(judged[v]!.has(item.itemId)).toBe(false);
        // Asking again before voting returns the same item (held for this voter).
        expect((await nextItem(voters[v]!, ev.id))!.itemId).toBe(item.itemId);
        judged[v]!.add(item.itemId);
        await vote(voters[v]!, item, winners[turn++ % 4]!);
      }
    }
    // Everyone took a share (turn-taking keeps it near 8 each); nobody judged an item twice.
    expect(judged.reduce((sum, s) => sum + s.size, 0)).toBe(24);
    for (const s of judged) expect(s.size).toBeGreaterThanOrEqual(6);
    const perItem = server!.app.db.select({ item: evalVotes.itemId, n: count() }).from(evalVotes).groupBy(evalVotes.itemId).all();
    expect(perItem).toHaveLength(12);
    expect(perItem.every((r) => r.n === 2)).toBe(true);
    const progress = server!.app.evaluations.progress(ev.id);
    expect(progress).toMatchObject({ items: { complete: 12 }, votes: { cast: 24, wanted: 24 } });
    await expect.poll(() => progressSeen.at(-1)?.votes.cast).toBe(24);
    // Sides are drawn per voter: both orientations occur.
    const votes = server!.app.db.select().from(evalVotes).all();
    const items = new Map(
      server!.app.db
        .select()
        .from(evalItems)
        .all()
        .map((i) => [i.id, i]),
    );
    const swapped = votes.filter((v) => v.modelA !== items.get(v.itemId)!.modelX).length;
    expect(swapped).toBeGreaterThan(0);
    expect(swapped).toBeLessThan(24);
    // Evaluation votes leave the public arena leaderboard alone (the flag is off by default).
    expect((await api<{ totalVotes: number }>(server!, '/api/leaderboard')).body.totalVotes).toBe(0);
  });

  it('never lets an item exceed its votes when a lease runs out and someone else fills it', async () => {
    let clock = Date.now();
    const admin = await withAdmin({ deps: { now: () => clock } });
    const ev = await createEvaluation(server!, admin, {
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 1,
      prompts: { format: 'text', content: 'Only prompt\n' },
    });
    await startAndGenerate(server!, admin, ev.id);
    const [slow, quick] = await Promise.all(
      ['slow', 'quick'].map(async (name) => connectWith(server!, { cookie: await signedIn(server!, `${name}@example.com`, 'member') })),
    );
    const held = (await nextItem(slow!, ev.id))!;
    clock += 24 * 3_600_000; // the slow voter's lease has long run out
    const taken = (await nextItem(quick!, ev.id))!;
    expect(taken.itemId).toBe(held.itemId); // the expired lease no longer keeps it from others
    await vote(quick!, taken, 'a');
    const late = await slow!.emitWithAck('eval:vote', { evaluationId: ev.id, itemId: held.itemId, winner: 'b' });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', field: 'itemId' } });
    const votesOnItem = server!.app.db.select({ n: count() }).from(evalVotes).where(eq(evalVotes.itemId, held.itemId)).get()!.n;
    expect(votesOnItem).toBe(1);
    expect(await nextItem(slow!, ev.id)).toBeNull(); // nothing left, and the stale hold is gone
  });

  it('refuses bad votes clearly and counts a re-sent vote once', async () => {
    const admin = await withAdmin();
    const ev = await createEvaluation(server!, admin, { models: models.slice(0, 2), prompts: { format: 'text', content: 'One\nTwo\n' } });
    const member = await connectWith(server!, { cookie: await signedIn(server!, 'm@example.com', 'member') });
    expect(await member.emitWithAck('eval:next', { evaluationId: ev.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await member.emitWithAck('eval:subscribe', { evaluationId: ev.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await startAndGenerate(server!, admin, ev.id);
    const item = (await nextItem(member, ev.id))!;
    expect(item.turns[0]!.a.length).toBeGreaterThan(0);
    expect(JSON.stringify(item)).not.toMatch(/alpha|bravo/i);
    const long = await member.emitWithAck('eval:vote', { evaluationId: ev.id, itemId: item.itemId, winner: 'a', reason: 'x'.repeat(501) });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'reason' } });
    const extra = await member.emitWithAck('eval:vote', { evaluationId: ev.id, itemId: item.itemId, winner: 'a', model: 'x' } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'model' } });
    const notMine = await member.emitWithAck('eval:vote', { evaluationId: ev.id, itemId: 'some-other-item', winner: 'a' });
    expect(notMine).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await vote(member, item, 'b', { reason: '  B was clearer  ', voteId: 'vote-0001' });
    expect(await vote(member, item, 'b', { voteId: 'vote-0001' })).toMatchObject({ done: 1 });
    expect(await member.emitWithAck('eval:vote', { evaluationId: ev.id, itemId: item.itemId, winner: 'a' })).toMatchObject({
      error: { code: 'already_voted' },
    });
    const stored = server!.app.db.select().from(evalVotes).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.reason).toBe('B was clearer');
    expect(
      server!.app.db
        .select()
        .from(evalAssignments)
        .where(and(eq(evalAssignments.itemId, item.itemId)))
        .all(),
    ).toHaveLength(0);

    await api(server!, `/api/admin/evaluations/${ev.id}/close`, { cookie: admin, body: {} });
    expect(await member.emitWithAck('eval:next', { evaluationId: ev.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('moves the public leaderboard only for evaluations flagged to count there', async () => {
    const admin = await withAdmin();
    const ev = await createEvaluation(server!, admin, {
      models: models.slice(0, 2),
      countInPublicLeaderboard: true,
      prompts: { format: 'text', content: 'One\n' },
    });
    await startAndGenerate(server!, admin, ev.id);
    const member = await connectWith(server!, { cookie: await signedIn(server!, 'm@example.com', 'member') });
    const item = (await nextItem(member, ev.id))!;
    await vote(member, item, 'a');
    const left = server!.app.db.select().from(evalVotes).get()!.modelA;
    const board = (await api<{ totalVotes: number; models: Array<{ id: string; rating: number }> }>(server!, '/api/leaderboard')).body;
    expect(board.totalVotes).toBe(1);
    expect(board.models.find((m) => m.id === left)!.rating).toBe(1002);
  });
});

describe('results', () => {
  it('computes agreement on a crafted case with known kappa', async () => {
    const admin = await withAdmin();
    const ev = await createEvaluation(server!, admin, {
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      prompts: { format: 'jsonl', content: jsonl([1, 2, 3, 4, 5, 6].map((n) => ({ prompt: `Prompt ${n}`, id: `p${n}` }))) },
    });
    await startAndGenerate(server!, admin, ev.id);
    // In the item's own orientation (x = model-alpha, y = model-bravo), per prompt:
    //   voter A: x  x  y  y  tie x
    //   voter B: x  y  y  y  tie bothbad
    // Agree on p1, p3, p4, p5: p_o = 4/6.
    // Cohen: A's shares x 3/6, y 2/6, tie 1/6; B's x 1/6, y 3/6, tie 1/6, bothbad 1/6;
    //   p_e = (3·1 + 2·3 + 1·1)/36 = 10/36; κ = (24/36 − 10/36)/(26/36) = 7/13 ≈ 0.5385.
    // Fleiss (two voters on every item): P̄ = 4/6; pooled p = x 4/12, y 5/12, tie 2/12, bothbad 1/12;
    //   P_e = (16 + 25 + 4 + 1)/144 = 46/144; κ = (96/144 − 46/144)/(98/144) = 25/49 ≈ 0.5102.
    const plan: Record<string, Record<string, 'x' | 'y' | 'tie' | 'bothbad'>> = {
      A: { p1: 'x', p2: 'x', p3: 'y', p4: 'y', p5: 'tie', p6: 'x' },
      B: { p1: 'x', p2: 'y', p3: 'y', p4: 'y', p5: 'tie', p6: 'bothbad' },
    };
    for (const [name, wanted] of Object.entries(plan)) {
      const cookie = await signedIn(server!, `${name.toLowerCase()}@example.com`, 'member');
      const voterId = `user:${(await api<{ user: { id: string } }>(server!, '/api/me', { cookie })).body.user.id}`;
      const socket = await connectWith(server!, { cookie });
      for (let item = await nextItem(socket, ev.id); item; item = await nextItem(socket, ev.id)) {
        const row = server!.app.db.select().from(evalItems).where(eq(evalItems.id, item.itemId)).get()!;
        const question = server!.app.db.select().from(evalPrompts).where(eq(evalPrompts.id, row.promptId)).get()!.questionId;
        const { swapped } = server!.app.db
          .select()
          .from(evalAssignments)
          .where(and(eq(evalAssignments.itemId, item.itemId), eq(evalAssignments.voterId, voterId)))
          .get()!;
        const category = wanted[question]!;
        const winner: Winner = category === 'tie' || category === 'bothbad' ? category : (category === 'x') !== swapped ? 'a' : 'b';
        await vote(socket, item, winner);
      }
    }
    const { body } = await api<{ results: EvaluationResults }>(server!, `/api/admin/evaluations/${ev.id}/results`, { cookie: admin });
    const { agreement } = body.results;
    expect(agreement.items).toBe(6);
    expect(agreement.percentAgreement).toBeCloseTo(4 / 6, 12);
    expect(agreement.fleissKappa).toBeCloseTo(25 / 49, 12);
    // The agreement chance alone would give, which κ discounts (Fleiss' P_e).
    expect(agreement.expectedAgreement).toBeCloseTo(46 / 144, 12);
    expect(agreement.meanCohenKappa).toBeCloseTo(7 / 13, 12);
    expect(agreement.pairs).toEqual([{ voterA: 'a@example.com', voterB: 'b@example.com', items: 6, agreement: 4 / 6, kappa: expect.closeTo(7 / 13, 12) }]);
    expect(body.results.voters.map((v) => [v.voter, v.votes])).toEqual([
      ['a@example.com', 6],
      ['b@example.com', 6],
    ]);
    // alpha: wins p1(A,B), p2(A), p6(A) = 4; bravo: p2(B), p3(A,B), p4(A,B) = 5; ties p5 ×2, bothbad p6(B).
    const alpha = body.results.leaderboard.models.find((m) => m.model === 'model-alpha')!;
    expect(alpha).toMatchObject({ battles: 12, wins: 4, losses: 5, ties: 3 });
    expect(body.results.winRates.values[body.results.winRates.models.indexOf('model-alpha')]![body.results.winRates.models.indexOf('model-bravo')]).toBeCloseTo(
      4 / 9,
      12,
    );
  });

  it('exports every vote as FastChat JSONL that `arena ratings` ranks exactly like the results page, and as CSV', async () => {
    const admin = await withAdmin();
    const ev = await createEvaluation(server!, admin, {
      models,
      votesPerItem: 1,
      prompts: {
        format: 'jsonl',
        content: jsonl([{ prompt: 'Q one', category: 'coding' }, { turns: ['Q two', 'Follow-up'], category: 'chat' }, { prompt: 'Q, "three"' }]),
      },
    });
    await startAndGenerate(server!, admin, ev.id);
    const voters = await Promise.all(['x', 'y'].map(async (n) => connectWith(server!, { cookie: await signedIn(server!, `${n}@example.com`, 'member') })));
    let k = 0;
    for (let again = true; again; ) {
      again = false;
      for (const socket of voters) {
        const item = await nextItem(socket, ev.id);
        if (item) {
          again = true;
          await vote(socket, item, (['a', 'a', 'b', 'tie', 'bothbad'] as const)[k++ % 5]!, { reason: k === 1 ? 'first, with "quotes"' : undefined } as never);
        }
      }
    }
    const results = (await api<{ results: EvaluationResults }>(server!, `/api/admin/evaluations/${ev.id}/results`, { cookie: admin })).body.results;
    expect(results.votes).toBe(9);
    expect(results.categories.map((c) => [c.category, c.votes])).toEqual([
      [null, 3],
      ['chat', 3],
      ['coding', 3],
    ]);

    const exported = await api(server!, `/api/admin/evaluations/${ev.id}/export.jsonl`, { cookie: admin });
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="evaluation-.*\.jsonl"/);
    const text = (exported.body as unknown as { text?: string }).text ?? '';
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(9);
    expect(new Set(lines.map((l) => l.judge))).toEqual(new Set(['judge-1', 'judge-2']));
    const multi = lines.find((l) => l.turn === 2)!;
    expect(multi).toMatchObject({ anony: true, evaluation_id: ev.id, category: 'chat' });
    expect(multi.conversation_a.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(multi.conversation_a[2].content).toBe('Follow-up');
    expect(['model_a', 'model_b', 'tie', 'tie (bothbad)']).toContain(lines[0].winner);
    expect(typeof lines[0].tstamp).toBe('number');

    const tmp = cleanup.tempDir('arena-export-');
    const file = path.join(tmp, 'export.jsonl');
    writeFileSync(file, text);
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
    // The results' default intervals are model-based with the weak prior: the CLI's `--ci fisher` (prior 400 by default).
    expect(results.leaderboard.intervals).toEqual({ method: 'fisher', clustered: false, prior: { sd: 400 } });
    expect(await runRatingsCli(['--battles', file, '--format', 'json', '--ci', 'fisher', '--evaluation', ev.id], io), stderr).toBe(0);
    const cli = JSON.parse(stdout) as {
      battles: number;
      intervals: unknown;
      models: Array<{ model: string; rating: number; ci: { lower: number; upper: number }; elo: number; battles: number }>;
    };
    expect(cli.battles).toBe(9);
    expect(cli.intervals).toEqual(results.leaderboard.intervals);
    for (const row of results.leaderboard.models) {
      const fromCli = cli.models.find((m) => m.model === row.model)!;
      expect(fromCli.rating).toBeCloseTo(row.rating!, 9);
      expect(fromCli.ci).toMatchObject(row.ci!);
      expect(fromCli.elo).toBeCloseTo(row.elo!, 9);
      expect(fromCli.battles).toBe(row.battles);
    }

    const csv = await api(server!, `/api/admin/evaluations/${ev.id}/export.csv?identities=1`, { cookie: admin });
    const records = parseCsv((csv.body as unknown as { text: string }).text);
    expect(records[0]!.fields).toEqual([
      'tstamp',
      'evaluation_id',
      'question_id',
      'category',
      'turns',
      'prompt',
      'model_a',
      'model_b',
      'winner',
      'answer_a',
      'answer_b',
      'judge',
      'judge_kind',
      'reason',
    ]);
    expect(records).toHaveLength(10);
    expect(new Set(records.slice(1).map((r) => r.fields[12]))).toEqual(new Set(['human']));
    expect(new Set(records.slice(1).map((r) => r.fields[11]))).toEqual(new Set(['x@example.com', 'y@example.com']));
    expect(records.some((r) => r.fields[5] === 'Q, "three"')).toBe(true);
    expect(records.some((r) => r.fields[13] === 'first, with "quotes"')).toBe(true);
    expect(records.find((r) => r.fields[4] === '2')!.fields[5]).toBe('[turn 1]\nQ two\n\n[turn 2]\nFollow-up');
    const audit = await api<{ entries: Array<{ action: string; details: { identities?: boolean } }> }>(server!, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries[0]).toMatchObject({ action: 'evaluation.export', details: { identities: true } });
  });
});
