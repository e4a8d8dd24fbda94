/** Evaluations after the voting: "all votes in", reopening a closed one, and the per-item review of votes and reasons. */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { evalAssignments } from '../../db/schema-evaluations.ts';
import type { EvalItemReview, EvalProgress, EvaluationResults, EvaluationSummary } from '../../protocol/evaluations.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, nextItem, startAndGenerate, vote } from '../support/auth-evaluations.ts';
import { type TestServer, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();
let server: TestServer | undefined;

const evalConfig = { evaluations: { retryDelayMs: 5, bootstrapRounds: 20 } };
const pair = ['model-alpha', 'model-bravo'];

async function setUp() {
  server = await startServer({ config: evalConfig });
  const admin = await signedIn(server, 'admin@example.com', 'admin');
  const ev = await createEvaluation(server, admin, { models: pair, votesPerItem: 2, prompts: { format: 'text', content: 'First prompt\nSecond prompt\n' } });
  await startAndGenerate(server, admin, ev.id);
  const voters = await Promise.all(
    ['ann', 'bob'].map(async (name) => {
      const cookie = await signedIn(server!, `${name}@example.com`, 'member');
      const id = (await api<{ user: { id: string } }>(server!, '/api/me', { cookie })).body.user.id;
      return { name, voterId: `user:${id}`, socket: await connectWith(server!, { cookie }) };
    }),
  );
  return { admin, ev, voters };
}

describe('an evaluation whose items all have their votes', () => {
  it('says "all votes in" in progress, results and the admin list, and stays open until closed', async () => {
    const { admin, ev, voters } = await setUp();
    const progress = () => server!.app.evaluations.progress(ev.id);
    expect(progress()).toMatchObject({ status: 'running', allVotesIn: false });
    const seen: EvalProgress[] = [];
    voters[0]!.socket.on('eval:progress', (p) => seen.push(p));
    await voters[0]!.socket.emitWithAck('eval:subscribe', { evaluationId: ev.id });
    for (const v of voters) {
      for (let item = await nextItem(v.socket, ev.id); item; item = await nextItem(v.socket, ev.id)) await vote(v.socket, item, 'a');
    }
    expect(progress()).toMatchObject({ status: 'running', allVotesIn: true, votes: { cast: 4, wanted: 4 } });
    await expect.poll(() => seen.at(-1)?.allVotesIn).toBe(true);
    const results = await api<{ results: EvaluationResults }>(server!, `/api/admin/evaluations/${ev.id}/results`, { cookie: admin });
    expect(results.body.results.progress.allVotesIn).toBe(true);
    const list = await api<{ evaluations: EvaluationSummary[] }>(server!, '/api/admin/evaluations', { cookie: admin });
    expect(list.body.evaluations[0]!.progress.allVotesIn).toBe(true);
  });
});

describe('reopening', () => {
  it('puts a closed evaluation back where it was: a started one runs (voting resumes), a never-started one is a draft', async () => {
    const { admin, ev, voters } = await setUp();
    const post = (id: string, action: string) =>
      api<{ evaluation: EvaluationSummary }>(server!, `/api/admin/evaluations/${id}/${action}`, { cookie: admin, body: {} });
    expect((await post(ev.id, 'reopen')).body.error).toMatchObject({ code: 'conflict' });
    expect((await post(ev.id, 'close')).body.evaluation.status).toBe('closed');
    expect(await voters[0]!.socket.emitWithAck('eval:next', { evaluationId: ev.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const reopened = await post(ev.id, 'reopen');
    expect(reopened.status).toBe(200);
    expect(reopened.body.evaluation.status).toBe('running');
    const item = await nextItem(voters[0]!.socket, ev.id);
    expect(item).not.toBeNull();
    await vote(voters[0]!.socket, item!, 'b');

    const draft = await createEvaluation(server!, admin, { models: pair, prompts: { format: 'text', content: 'Only\n' } });
    await post(draft.id, 'close');
    expect((await post(draft.id, 'reopen')).body.evaluation.status).toBe('draft');
    const audit = await api<{ entries: Array<{ action: string }> }>(server!, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries.filter((e) => e.action === 'evaluation.reopen')).toHaveLength(2);
  });
});

describe('the per-item review', () => {
  it("lists each item's votes with the voter's email, the choice in model terms, the reason and the time; filters to items with reasons; shows both answers", async () => {
    const { admin, ev, voters } = await setUp();
    const itemsUrl = `/api/admin/evaluations/${ev.id}/items`;
    expect((await api<{ total: number; items: EvalItemReview[] }>(server!, itemsUrl, { cookie: admin })).body).toMatchObject({ total: 0, items: [] });

    // Ann prefers the right-hand answer with a reason; Bob calls it a tie, silently.
    const [ann, bob] = voters;
    const annItem = (await nextItem(ann!.socket, ev.id))!;
    const { swapped } = server!.app.db
      .select()
      .from(evalAssignments)
      .where(and(eq(evalAssignments.itemId, annItem.itemId), eq(evalAssignments.voterId, ann!.voterId)))
      .get()!;
    await vote(ann!.socket, annItem, 'b', { reason: 'B <b>cites</b> its sources' });
    const bobItem = (await nextItem(bob!.socket, ev.id))!;
    await vote(bob!.socket, bobItem, 'tie');

    const all = await api<{ total: number; items: EvalItemReview[] }>(server!, itemsUrl, { cookie: admin });
    expect(all.status).toBe(200);
    const reviewed = all.body.items.find((i) => i.itemId === annItem.itemId)!;
    const annChoice = swapped ? 'x' : 'y'; // Ann's "B" was the item's y model unless her sides were swapped
    expect(reviewed).toMatchObject({
      questionId: expect.any(String),
      prompt: expect.stringMatching(/prompt$/),
      models: { x: { id: 'model-alpha', name: 'Alpha Secret' }, y: { id: 'model-bravo', name: 'Bravo Secret' } },
      votesWanted: 2,
    });
    expect(reviewed.votes.find((v) => v.voter === 'ann@example.com')).toEqual({
      voter: 'ann@example.com',
      choice: annChoice,
      reason: 'B <b>cites</b> its sources',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(
      all.body.items
        .flatMap((i) => i.votes)
        .map((v) => v.voter)
        .sort(),
    ).toEqual(['ann@example.com', 'bob@example.com']);
    expect(all.body.items.flatMap((i) => i.votes).find((v) => v.voter === 'bob@example.com')).toMatchObject({ choice: 'tie', reason: null });

    const withReasons = await api<{ total: number; items: EvalItemReview[] }>(server!, `${itemsUrl}?only=reasons`, { cookie: admin });
    expect(withReasons.body.total).toBe(1);
    expect(withReasons.body.items.map((i) => i.itemId)).toEqual([annItem.itemId]);
    const everything = await api<{ total: number }>(server!, `${itemsUrl}?only=all&limit=1`, { cookie: admin });
    expect(everything.body.total).toBe(2);

    const detail = await api<{ item: { turns: Array<{ prompt: string; x: string; y: string }> } }>(server!, `${itemsUrl}/${annItem.itemId}`, { cookie: admin });
    expect(detail.body.item.turns[0]!.prompt).toBe(reviewed.prompt);
    // The answers as the admin sees them, by model: the ones Ann saw on her two sides.
    const shown = annItem.turns[0]!;
    expect(detail.body.item.turns[0]!.x).toBe(swapped ? shown.b : shown.a);
    expect(detail.body.item.turns[0]!.y).toBe(swapped ? shown.a : shown.b);

    // Admins only, and validated.
    const member = await signedIn(server!, 'carol@example.com', 'member');
    expect((await api(server!, itemsUrl, { cookie: member })).status).toBe(403);
    expect((await api(server!, `${itemsUrl}?limit=1000`, { cookie: admin })).body.error).toMatchObject({ code: 'invalid_input', field: 'limit' });
    expect((await api(server!, `${itemsUrl}/nope`, { cookie: admin })).status).toBe(404);
  });
});
