/**
 * Judge models on an evaluation, against a local upstream that speaks OpenAI's SSE exactly as the
 * service sends it: both orders asked and combined, disagreement between orders a tie, unparsed
 * verdicts retried then recorded, calibration against the people on a crafted case, the spend cap.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { evalJudgeRuns, evalJudgments } from '../../db/schema-evaluations.ts';
import type { EvalItemReviewPage, EvaluationResults } from '../../protocol/evaluations.ts';
import { DEFAULT_JUDGE_PROMPT, type JudgeEstimate } from '../../protocol/judges.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate } from '../support/auth-evaluations.ts';
import { useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { itemInfo, judgeModel, prefer, scriptJudge, shown, verdictText, voteAs } from '../support/judge-harness.ts';
import { fastDemoModels, type TestServer, useTestServer } from '../support/test-server.ts';
import { OPENAI_500_BODY, OPENAI_JSON_HEADERS } from '../support/upstream-fixtures/openai.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const startUpstream = useFakeUpstream(cleanup);

type Started = { estimate: JudgeEstimate; started: boolean };

async function setUp(opts: { judgeConcurrency?: number; candidates?: string[]; prompts?: object[]; votesPerItem?: number } = {}) {
  const upstream = await startUpstream();
  const server = await startServer({
    models: [...fastDemoModels, judgeModel(upstream)],
    config: { evaluations: { retryDelayMs: 5, bootstrapRounds: 20, judgeConcurrency: opts.judgeConcurrency ?? 2, judgeParseRetries: 1, judgeRetries: 1 } },
  });
  const admin = await signedIn(server, 'admin@example.com', 'admin');
  const prompts = opts.prompts ?? [1, 2, 3].map((n) => ({ prompt: `Prompt ${n}`, id: `p${n}` }));
  const ev = await createEvaluation(server, admin, {
    models: opts.candidates ?? ['model-alpha', 'model-bravo'],
    votesPerItem: opts.votesPerItem ?? 1,
    prompts: { format: 'jsonl', content: jsonl(prompts) },
  });
  return { upstream, server, admin, ev };
}

async function startJudging(server: TestServer, admin: string, id: string, body: Record<string, unknown> = { models: ['judge-gpt'], spendCapUsd: 1000 }) {
  const res = await api<Started>(server, `/api/admin/evaluations/${id}/judges`, { cookie: admin, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const runOf = (server: TestServer, id: string) => server.app.db.select().from(evalJudgeRuns).where(eq(evalJudgeRuns.evaluationId, id)).all().at(-1)!;
const settled = (server: TestServer, id: string) => () => runOf(server, id).status;

async function results(server: TestServer, admin: string, id: string) {
  return (await api<{ results: EvaluationResults }>(server, `/api/admin/evaluations/${id}/results`, { cookie: admin })).body.results;
}

describe('judge models', () => {
  it('asks both orders of every item, combines them (order disagreement is a tie), shows it per item and marks it in exports', async () => {
    const { upstream, server, admin, ev } = await setUp();
    await startAndGenerate(server, admin, ev.id);
    const dry = await startJudging(server, admin, ev.id, { models: ['judge-gpt'], dryRun: true });
    expect(dry).toMatchObject({ started: false, estimate: { calls: 6, perJudge: [{ model: 'judge-gpt', calls: 6, capUsd: 10 }] } });
    expect(dry.estimate.costUsd).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(0);

    // p1: prefers Alpha in both orders; p2: always the answer shown first (flips); p3: Bravo, strongly.
    const policy: Record<string, (first: string) => string> = {
      'Prompt 1': prefer('model-alpha'),
      'Prompt 2': () => 'A>B',
      'Prompt 3': prefer('model-bravo', true),
    };
    scriptJudge(upstream, server, ev.id, ({ prompt, first }) => verdictText(policy[prompt]!(first)));
    const started = await startJudging(server, admin, ev.id, { models: ['judge-gpt'], spendCapUsd: 1000 });
    expect(started).toMatchObject({ started: true, estimate: { calls: 6 } });
    await expect.poll(settled(server, ev.id), { timeout: 15_000 }).toBe('done');

    expect(upstream.requests).toHaveLength(6);
    for (const request of upstream.requests) {
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
      expect(shown(request)!.system).toBe(DEFAULT_JUDGE_PROMPT);
    }
    // Each prompt was shown once with each answer first.
    for (const prompt of ['Prompt 1', 'Prompt 2', 'Prompt 3']) {
      const calls = upstream.requests.map(shown).filter((s) => s?.prompt === prompt);
      expect(calls).toHaveLength(2);
      expect(calls[0]!.a).toBe(calls[1]!.b);
    }
    const page = (await api<EvalItemReviewPage>(server, `/api/admin/evaluations/${ev.id}/items?only=judged`, { cookie: admin })).body;
    expect(page.items.map((i) => [i.prompt, i.judgments[0]!.outcome])).toEqual([
      ['Prompt 1', 'x'],
      ['Prompt 2', 'tie'],
      ['Prompt 3', 'y'],
    ]);
    const p3 = page.items[2]!.judgments[0]!;
    expect(p3.judge).toEqual({ id: 'judge-gpt', name: 'Judge GPT' });
    expect(p3.orders.map((o) => [o.shownFirst, o.verdict])).toEqual([
      ['x', 'B>>A'],
      ['y', 'A>>B'],
    ]);
    expect(p3.orders[0]!.reason).toMatch(/weighing accuracy[\s\S]*\[\[B>>A\]\]/);

    const r = await results(server, admin, ev.id);
    expect(r.votes).toBe(0); // judges never mix into the people's standings unless asked
    expect(r.judgesInStandings).toBe(false);
    const judge = r.judges[0]!;
    expect(judge).toMatchObject({ model: 'judge-gpt', status: 'done', items: 3, unparsed: 0, customPrompt: false });
    // Usage says 19 + 8 tokens a call at $1 a token.
    expect(judge.spentUsd).toBe(6 * 27);
    expect(judge.positionBias).toEqual({ items: 3, flips: 1, rate: 1 / 3, firstShownWins: 4 / 6 });
    expect(judge.leaderboard.map((m) => [m.model, m.wins, m.losses, m.ties])).toEqual(
      expect.arrayContaining([
        ['model-alpha', 1, 1, 1],
        ['model-bravo', 1, 1, 1],
      ]),
    );

    // Only when the admin asks do the judge's outcomes count in the evaluation's leaderboard.
    const mix = (on: boolean) => api(server, `/api/admin/evaluations/${ev.id}`, { method: 'PATCH', cookie: admin, body: { judgesInStandings: on } });
    expect((await mix(true)).status).toBe(200);
    const mixed = await results(server, admin, ev.id);
    expect(mixed).toMatchObject({ votes: 3, judgesInStandings: true, agreement: { items: 0 }, voters: [] });
    expect(mixed.leaderboard.models.map((m) => m.battles)).toEqual([3, 3]);
    await mix(false);
    expect(await results(server, admin, ev.id)).toMatchObject({ votes: 0, judgesInStandings: false });

    const plain = await api(server, `/api/admin/evaluations/${ev.id}/export.jsonl`, { cookie: admin });
    expect((plain.body as unknown as { text: string }).text).toBe('');
    const marked = await api(server, `/api/admin/evaluations/${ev.id}/export.jsonl?judges=1`, { cookie: admin });
    const lines = (marked.body as unknown as { text: string }).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.judge, l.judge_kind, l.winner])).toEqual([
      ['model:judge-gpt', 'model', 'model_a'],
      ['model:judge-gpt', 'model', 'tie'],
      ['model:judge-gpt', 'model', 'model_b'],
    ]);

    // Judging again with the same prompt asks nothing new.
    await startJudging(server, admin, ev.id);
    await expect.poll(settled(server, ev.id)).toBe('done');
    expect(upstream.requests).toHaveLength(6);
    const bad = await api(server, `/api/admin/evaluations/${ev.id}/judges`, { cookie: admin, body: { models: ['judge-gpt'], prompt: 'Say which is better.' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field: 'prompt' } } });
    const unknown = await api(server, `/api/admin/evaluations/${ev.id}/judges`, { cookie: admin, body: { models: ['judge-gpt', 'nope'] } });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field: 'models[1]' } } });
    const none = await api(server, `/api/admin/evaluations/${ev.id}/judges`, { cookie: admin, body: { models: [] } });
    expect(none).toMatchObject({ status: 400, body: { error: { field: 'models' } } });
  });

  it('asks again when a verdict cannot be parsed, then records it as unparsed with what the judge said, never a guess', async () => {
    const { upstream, server, admin, ev } = await setUp({ judgeConcurrency: 1 });
    await startAndGenerate(server, admin, ev.id);
    // The very first call meets a server error: it is retried, not counted as a verdict.
    upstream.enqueue({ status: 500, headers: OPENAI_JSON_HEADERS, body: [OPENAI_500_BODY] });
    scriptJudge(upstream, server, ev.id, ({ prompt, first }) => {
      if (prompt === 'Prompt 2') return 'Assistant A is better overall, I think.'; // no tag at all
      if (prompt === 'Prompt 3') return 'Either [[A>B]] or [[B>A]], hard to say.'; // two different verdicts
      return verdictText(prefer('model-alpha')(first));
    });
    await startJudging(server, admin, ev.id);
    await expect.poll(settled(server, ev.id), { timeout: 15_000 }).toBe('done');
    // p1: 2 calls and the retry after the server error; p2 and p3: 2 orders × (1 call + 1 retry).
    expect(upstream.requests).toHaveLength(3 + 4 + 4);
    const calls = server.app.db.select().from(evalJudgments).all();
    expect(calls[0]).toMatchObject({ status: 'done', attempts: 2, unparsedAttempts: 0, costUsd: 27 });
    const unparsed = calls.filter((c) => c.status === 'unparsed');
    expect(unparsed).toHaveLength(4);
    for (const c of unparsed) expect(c).toMatchObject({ verdict: null, attempts: 2, unparsedAttempts: 2 });
    expect(unparsed.map((c) => c.reason)).toEqual(expect.arrayContaining(['Assistant A is better overall, I think.']));
    const r = await results(server, admin, ev.id);
    expect(r.judges[0]).toMatchObject({ items: 1, unparsed: 2, positionBias: { items: 1, flips: 0 } });
    const page = (await api<EvalItemReviewPage>(server, `/api/admin/evaluations/${ev.id}/items?only=judged`, { cookie: admin })).body;
    expect(page.items.map((i) => i.judgments[0]!.outcome)).toEqual(['x', null, null]);
    expect(page.items[1]!.judgments[0]!.orders.map((o) => o.status)).toEqual(['unparsed', 'unparsed']);
  });

  it('stops starting calls once the spend cap is reached, and goes on with only the rest when the cap is raised', async () => {
    const { upstream, server, admin, ev } = await setUp({ judgeConcurrency: 1 });
    await startAndGenerate(server, admin, ev.id);
    scriptJudge(upstream, server, ev.id, ({ first }) => verdictText(prefer('model-alpha')(first)));
    const progress: Array<{ status: string; spentUsd: number }> = [];
    const watcher = await connectWith(server, { cookie: admin });
    watcher.on('eval:progress', (p) => p.judges?.[0] && progress.push(p.judges[0]));
    await watcher.emitWithAck('eval:watch', { evaluationId: ev.id });
    // Each call costs $27 (19 + 8 tokens at $1): $0 < 50, $27 < 50, then $54 ≥ 50 stops it.
    await startJudging(server, admin, ev.id, { models: ['judge-gpt'], spendCapUsd: 50 });
    await expect.poll(settled(server, ev.id), { timeout: 15_000 }).toBe('capped');
    expect(upstream.requests).toHaveLength(2);
    expect(runOf(server, ev.id)).toMatchObject({ spentUsd: 54, capUsd: 50 });
    await expect.poll(() => progress.at(-1)).toMatchObject({ status: 'capped', spentUsd: 54 });
    expect(server.app.evaluations.adminProgress(ev.id).judges![0]!.calls).toMatchObject({ total: 6, done: 2, pending: 4 });
    // Voters never see the judges.
    expect(server.app.evaluations.progress(ev.id).judges).toBeUndefined();

    const more = await startJudging(server, admin, ev.id, { models: ['judge-gpt'], spendCapUsd: 1000 });
    expect(more.estimate.calls).toBe(4);
    await expect.poll(settled(server, ev.id), { timeout: 15_000 }).toBe('done');
    expect(upstream.requests).toHaveLength(6);
    expect(runOf(server, ev.id).spentUsd).toBe(6 * 27);
  });

  it('measures agreement with the human majority, position bias and self-preference on a crafted case with known answers', async () => {
    const prompts = [1, 2, 3, 4, 5, 6].map((n) => ({ prompt: `Prompt ${n}`, id: `p${n}`, category: n <= 3 ? 'a' : 'b' }));
    // The judge is a candidate too: items are (judge-gpt = x, model-alpha = y).
    const { upstream, server, admin, ev } = await setUp({ candidates: ['model-alpha', 'judge-gpt'], prompts });
    scriptJudge(upstream, server, ev.id, ({ prompt, first }) => {
      const n = Number(prompt.split(' ')[1]);
      const tag = {
        1: prefer('judge-gpt')(first),
        2: prefer('judge-gpt')(first),
        3: prefer('model-alpha')(first),
        4: 'A>B', // the answer shown first, both times: a flip, so a tie
        5: 'A=B',
        6: prefer('judge-gpt')(first),
      }[n]!;
      return verdictText(tag);
    });
    await startAndGenerate(server, admin, ev.id);
    // One person judges every item. In model terms (x = judge-gpt):
    //   people: x x y y tie bothbad(→ tie)      judge: x x y tie tie x
    const human: Record<string, 'x' | 'y' | 'tie' | 'bothbad'> = { p1: 'x', p2: 'x', p3: 'y', p4: 'y', p5: 'tie', p6: 'bothbad' };
    const cookie = await signedIn(server, 'ann@example.com', 'member');
    const voterId = `user:${(await api<{ user: { id: string } }>(server, '/api/me', { cookie })).body.user.id}`;
    const socket = await connectWith(server, { cookie });
    for (let item = await nextItem(socket, ev.id); item; item = await nextItem(socket, ev.id)) {
      await voteAs(server, socket, voterId, item, human[itemInfo(server, item.itemId).questionId]!);
    }
    await startJudging(server, admin, ev.id);
    await expect.poll(settled(server, ev.id), { timeout: 15_000 }).toBe('done');

    const { judges, votes } = await results(server, admin, ev.id);
    expect(votes).toBe(6);
    const judge = judges[0]!;
    // Agree on p1, p2, p3, p5: 4/6. Cohen: judge x 3/6, y 1/6, tie 2/6; people x 2/6, y 2/6, tie 2/6;
    //   p_e = (3·2 + 1·2 + 2·2)/36 = 1/3; κ = (2/3 − 1/3)/(1 − 1/3) = 1/2.
    expect(judge.agreementWithHumans).toMatchObject({ items: 6, percent: 4 / 6 });
    expect(judge.agreementWithHumans.kappa).toBeCloseTo(0.5, 12);
    // Wilson 95% for 4 of 6: (0.300, 0.903).
    expect(judge.agreementWithHumans.percentCi!.lower).toBeCloseTo(0.3, 3);
    expect(judge.agreementWithHumans.percentCi!.upper).toBeCloseTo(0.9032, 3);
    expect(judge.agreementWithHumans.kappaCi!.lower).toBeLessThan(0.5);
    expect(judge.agreementWithHumans.kappaCi!.upper).toBeGreaterThan(0.5);
    expect(judge.agreementWithHumans.byCategory).toEqual([
      { category: 'a', items: 3, percent: 1, kappa: 1 },
      { category: 'b', items: 3, percent: 1 / 3, kappa: expect.any(Number) },
    ]);
    // Only p4 flips; decisive single verdicts chose the answer shown first 6 times in 10.
    expect(judge.positionBias).toEqual({ items: 6, flips: 1, rate: 1 / 6, firstShownWins: 0.6 });
    // The judge scores itself 1+1+0+½+½+1 = 4/6; the people give it 1+1+0+0+½+½ = 3/6.
    expect(judge.selfPreference).toEqual([
      { model: 'judge-gpt', relation: 'self', items: 6, judgeScore: 4 / 6, humanScore: 3 / 6, delta: expect.closeTo(1 / 6, 12) },
    ]);
    expect(judge.leaderboard[0]!.model).toBe('judge-gpt');
    expect(judge.rankCorrelation.models).toBe(2);
  });
});
