import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvalAdminState } from '../../../client/src/lib/eval-admin.svelte.ts';
import { EvalVoterState } from '../../../client/src/lib/eval-voter.svelte.ts';
import type { EvalItem, EvalProgress, EvaluationDetail, EvaluationResults } from '../../../protocol/evaluations.ts';
import { fakeFetch } from './fake-http.ts';
import { FakeSocket } from './fake-socket.ts';

const progress = (evaluationId: string, cast: number): EvalProgress => ({
  evaluationId,
  status: 'running',
  generation: { total: 4, done: 4, failed: 0, pending: 0 },
  items: { total: 2, ready: 2, complete: 0 },
  votes: { cast, wanted: 6 },
  allVotesIn: false,
});
const detailOf = (status: EvaluationDetail['status'], cast: number): EvaluationDetail => ({
  id: 'ev',
  name: 'Support answers',
  description: '',
  status,
  models: [],
  prompts: 2,
  votesPerItem: 3,
  countInPublicLeaderboard: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  progress: { ...progress('ev', cast), status },
  systemPrompt: null,
  temperature: null,
  maxTokens: null,
  categories: [],
  goldItems: 0,
  minGoldAccuracy: null,
  judgesInStandings: false,
  baseEvaluationId: null,
  failures: [],
});
const resultsOf = (votes: number): EvaluationResults => ({
  evaluationId: 'ev',
  votes,
  leaderboard: { models: [], warnings: [], bootstrapRounds: 0, intervals: { method: 'fisher', clustered: false, prior: { sd: 400 } } },
  winRates: { models: [], values: [], counts: [] },
  categories: [],
  agreement: { items: 0, percentAgreement: null, expectedAgreement: null, fleissKappa: null, meanCohenKappa: null, pairs: [] },
  voters: [],
  judges: [],
  gold: { items: 0, minAccuracy: null, voters: [] },
  judgesInStandings: false,
  progress: progress('ev', votes),
});
const item = (itemId: string): EvalItem => ({ evaluationId: 'ev', itemId, category: null, turns: [{ prompt: 'p', a: 'A', b: 'B' }] });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('EvalVoterState', () => {
  it('opens an evaluation, votes with a trimmed reason and moves on until nothing is left', async () => {
    const queue = [item('i1'), item('i2')];
    const socket = new FakeSocket()
      .serve('eval:subscribe', ({ evaluationId }) => ({ ok: true, progress: progress(evaluationId, 0) }))
      .serve('eval:next', () => ({ ok: true, item: queue[0] ?? null, progress: { done: 2 - queue.length, remaining: queue.length } }))
      .serve('eval:vote', () => {
        queue.shift();
        return { ok: true, progress: { done: 2 - queue.length, remaining: queue.length } };
      });
    const voter = new EvalVoterState(socket.asSocket());
    await voter.open('ev');
    expect(voter.item?.itemId).toBe('i1');
    expect(voter.progress?.votes.cast).toBe(0);

    expect(await voter.vote('a', '  clearer  ')).toBe(true);
    expect(socket.sentOf('eval:vote')[0]).toMatchObject({ evaluationId: 'ev', itemId: 'i1', winner: 'a', reason: 'clearer' });
    expect(voter.item?.itemId).toBe('i2');
    await voter.vote('tie', ' ');
    expect(socket.sentOf('eval:vote')[1]).not.toHaveProperty('reason');
    expect(voter.finished).toBe(true);
    expect(voter.mine).toEqual({ done: 2, remaining: 0 });

    socket.push('eval:progress', progress('other', 9));
    socket.push('eval:progress', progress('ev', 2));
    expect(voter.progress?.votes.cast).toBe(2);
  });

  it('skips the item in hand and shows the next one the server hands out', async () => {
    const socket = new FakeSocket()
      .serve('eval:subscribe', ({ evaluationId }) => ({ ok: true, progress: progress(evaluationId, 0) }))
      .serve('eval:next', () => ({ ok: true, item: item('i1'), progress: { done: 0, remaining: 2 } }))
      .serve('eval:skip', () => ({ ok: true, item: item('i2'), progress: { done: 0, remaining: 1 } }));
    const voter = new EvalVoterState(socket.asSocket());
    await voter.open('ev');
    await voter.skip();
    expect(socket.sentOf('eval:skip')).toEqual([{ evaluationId: 'ev', itemId: 'i1' }]);
    expect(voter.item?.itemId).toBe('i2');
    expect(voter.mine).toEqual({ done: 0, remaining: 1 });
    expect(voter.finished).toBe(false);
  });

  it('shows a refused vote and keeps the item', async () => {
    const socket = new FakeSocket()
      .serve('eval:subscribe', ({ evaluationId }) => ({ ok: true, progress: progress(evaluationId, 0) }))
      .serve('eval:next', () => ({ ok: true, item: item('i1'), progress: { done: 0, remaining: 1 } }))
      .serve('eval:vote', () => ({ ok: false, error: { code: 'forbidden', message: 'the evaluation is closed' } }));
    const voter = new EvalVoterState(socket.asSocket());
    await voter.open('ev');
    expect(await voter.vote('b', '')).toBe(false);
    // The refusal as the server sent it, for the page to word in its language (i18n.error).
    expect(voter.error).toEqual({ code: 'forbidden', message: 'the evaluation is closed' });
    expect(voter.item?.itemId).toBe('i1');
    expect(voter.busy).toBe(false);
  });
});

describe('EvalAdminState', () => {
  it('refreshes the results at most once per burst of progress pushes', async () => {
    vi.useFakeTimers();
    const detail = detailOf('running', 0);
    const results = resultsOf(1);
    const requests = fakeFetch((_, url) => ({ json: url.endsWith('/results') ? { ok: true, results } : { ok: true, evaluation: detail } }));
    const socket = new FakeSocket().serve('eval:watch', ({ evaluationId }) => ({ ok: true, progress: progress(evaluationId, 0) }));
    const admin = new EvalAdminState('ev', socket.asSocket());
    await admin.load();
    expect(requests.map((r) => r.url)).toEqual(['/api/admin/evaluations/ev', '/api/admin/evaluations/ev/results']);

    for (let cast = 2; cast <= 5; cast++) socket.push('eval:progress', progress('ev', cast));
    expect(admin.progress?.votes.cast).toBe(5);
    await vi.advanceTimersByTimeAsync(400);
    expect(requests).toHaveLength(4);
    expect(admin.results?.votes).toBe(1);
  });

  it('estimates judging without starting it, and shows a refused edit', async () => {
    const estimate = { calls: 6, costUsd: 0.12, perJudge: [{ model: 'j', calls: 6, costUsd: 0.12, capUsd: 10 }] };
    const requests = fakeFetch((method) =>
      method === 'PATCH'
        ? {
            status: 409,
            json: { ok: false, error: { code: 'conflict', message: 'models: can only be changed while the evaluation is a draft', field: 'models' } },
          }
        : { json: { ok: true, estimate, started: false } },
    );
    const admin = new EvalAdminState('ev', new FakeSocket().asSocket());
    expect(await admin.judge({ models: ['j'], dryRun: true })).toMatchObject({ estimate, started: false });
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/api/admin/evaluations/ev/judges', body: { models: ['j'], dryRun: true } });
    expect(await admin.edit({ models: ['a', 'b'] })).toBe(false);
    expect(requests[1]).toMatchObject({ method: 'PATCH', url: '/api/admin/evaluations/ev', body: { models: ['a', 'b'] } });
    expect(admin.error).toMatchObject({ code: 'conflict', field: 'models', message: expect.stringMatching(/only be changed while the evaluation is a draft/) });
    expect(admin.busy).toBe(false);
  });

  it('closes through its admin route and shows what the server answered', async () => {
    const closed = detailOf('closed', 3);
    const requests = fakeFetch(() => ({ json: { ok: true, evaluation: closed } }));
    const admin = new EvalAdminState('ev', new FakeSocket().asSocket());
    await admin.act('close');
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/api/admin/evaluations/ev/close', body: {} });
    expect(admin.detail?.status).toBe('closed');
    expect(admin.progress?.status).toBe('closed');
  });
});
