import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { answers, battles, ratings, turns, votes } from '../../db/schema.ts';
import { fastDemoModels, playBattle, type TestServer, type TestSocket, useTestServer, waitForTurn } from '../support/test-server.ts';

const startServer = useTestServer();

function rowCounts(s: TestServer) {
  const db = s.app.db;
  return {
    battles: db.select({ n: count() }).from(battles).get()!.n,
    turns: db.select({ n: count() }).from(turns).get()!.n,
    answers: db.select({ n: count() }).from(answers).get()!.n,
    votes: db.select({ n: count() }).from(votes).get()!.n,
    ratings: db.select({ n: count() }).from(ratings).get()!.n,
  };
}

describe('battle flow over socket.io', () => {
  it('streams both answers, accepts one vote, reveals the models and stores everything', async () => {
    const server = await startServer();
    const socket = await server.connect({ voterId: 'voter-0001' });
    const turnDone = waitForTurn(socket, undefined, 1);
    const reply = await socket.emitWithAck('battle:start', { prompt: 'Write a python function to sort a list' });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const turn = await turnDone;
    expect(turn.a.length).toBeGreaterThan(20);
    expect(turn.b.length).toBeGreaterThan(20);
    expect(turn.a).not.toEqual(turn.b);
    expect(turn.ends.map((e) => e.finishReason)).toEqual(['stop', 'stop']);

    const vote = await socket.emitWithAck('battle:vote', { battleId: reply.battleId, winner: 'a' });
    expect(vote.ok).toBe(true);
    if (!vote.ok) return;
    const ids = fastDemoModels.map((m) => m.id);
    expect(ids).toContain(vote.models.a.id);
    expect(ids).toContain(vote.models.b.id);
    expect(vote.models.a.id).not.toEqual(vote.models.b.id);
    expect(vote.models.a.name).toEqual(fastDemoModels.find((m) => m.id === vote.models.a.id)!.name);

    const db = server.app.db;
    const battle = db.select().from(battles).where(eq(battles.id, reply.battleId)).get()!;
    expect(battle.status).toBe('voted');
    expect(battle.modelA).toBe(vote.models.a.id);
    const stored = db.select().from(answers).where(eq(answers.battleId, reply.battleId)).all();
    expect(stored).toHaveLength(2);
    expect(stored.find((a) => a.side === 'a')!.content).toBe(turn.a);
    expect(stored.find((a) => a.side === 'b')!.content).toBe(turn.b);
    for (const a of stored) {
      expect(a.outputTokens).toBeGreaterThan(0);
      expect(a.totalMs).toBeGreaterThanOrEqual(a.ttftMs!);
    }
    const storedVote = db.select().from(votes).where(eq(votes.battleId, reply.battleId)).get()!;
    expect(storedVote).toMatchObject({ winner: 'a', voterId: 'anon:voter-0001', modelA: vote.models.a.id });

    // The winner gained exactly K·0.5 = 2 points from the initial 1000.
    const res = await fetch(`${server.url}/api/leaderboard`);
    const lb = (await res.json()) as { totalVotes: number; models: Array<{ id: string; rating: number; games: number; rank: number }> };
    expect(lb.totalVotes).toBe(1);
    expect(lb.models[0]).toMatchObject({ id: vote.models.a.id, rating: 1002, games: 1, rank: 1 });
    expect(lb.models.find((m) => m.id === vote.models.b.id)).toMatchObject({ rating: 998, games: 1 });
  });

  it('continues a battle: both models get the whole conversation', async () => {
    const server = await startServer();
    const socket = await server.connect();
    const battleId = await playBattle(socket, 'What is a hash table?');
    const second = waitForTurn(socket, battleId, 2);
    const reply = await socket.emitWithAck('battle:continue', { battleId, prompt: 'And how does it handle collisions?' });
    expect(reply).toEqual({ ok: true });
    const turn2 = await second;
    expect(turn2.a.length).toBeGreaterThan(0);
    const db = server.app.db;
    expect(
      db
        .select()
        .from(turns)
        .where(eq(turns.battleId, battleId))
        .all()
        .map((t) => t.prompt),
    ).toEqual(['What is a hash table?', 'And how does it handle collisions?']);
    const turn2Answers = db
      .select()
      .from(answers)
      .where(eq(answers.battleId, battleId))
      .all()
      .filter((a) => a.turn === 2);
    expect(turn2Answers).toHaveLength(2);
    // Input grows with the conversation: turn 2 sent prompt 1, answer 1 and prompt 2.
    const turn1Answers = db
      .select()
      .from(answers)
      .where(eq(answers.battleId, battleId))
      .all()
      .filter((a) => a.turn === 1);
    for (const side of ['a', 'b'] as const) {
      const t1 = turn1Answers.find((a) => a.side === side)!;
      const t2 = turn2Answers.find((a) => a.side === side)!;
      expect(t2.inputTokens).toBeGreaterThan(t1.inputTokens + t1.outputTokens - 1);
    }
    const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'tie' });
    expect(vote.ok).toBe(true);
    expect(db.select().from(battles).where(eq(battles.id, battleId)).get()!.turns).toBe(2);
  });

  it('refuses a second vote with already_voted and counts only the first', async () => {
    const server = await startServer();
    const socket = await server.connect();
    const battleId = await playBattle(socket);
    expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'b' })).ok).toBe(true);
    const again = await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_voted' } });
    const cont = await socket.emitWithAck('battle:continue', { battleId, prompt: 'more' });
    expect(cont).toMatchObject({ ok: false, error: { code: 'already_voted' } });
    expect(rowCounts(server).votes).toBe(1);
  });

  it('refuses a vote before both answers finished with not_finished', async () => {
    const server = await startServer({
      models: fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 50 })),
    });
    const socket = await server.connect();
    const reply = await socket.emitWithAck('battle:start', { prompt: 'Tell me about rivers' });
    if (!reply.ok) throw new Error('start failed');
    const early = await socket.emitWithAck('battle:vote', { battleId: reply.battleId, winner: 'a' });
    expect(early).toMatchObject({ ok: false, error: { code: 'not_finished' } });
    const cont = await socket.emitWithAck('battle:continue', { battleId: reply.battleId, prompt: 'more' });
    expect(cont).toMatchObject({ ok: false, error: { code: 'not_finished' } });
    expect(rowCounts(server).votes).toBe(0);
  });

  it('answers not_found for an unknown battle and for another voter’s battle', async () => {
    const server = await startServer();
    const owner = await server.connect({ voterId: 'owner-0001' });
    const stranger = await server.connect({ voterId: 'stranger-01' });
    const unknown = await owner.emitWithAck('battle:vote', { battleId: 'no-such-battle', winner: 'a' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', field: 'battleId' } });
    const battleId = await playBattle(owner);
    for (const reply of [
      await stranger.emitWithAck('battle:vote', { battleId, winner: 'a' }),
      await stranger.emitWithAck('battle:continue', { battleId, prompt: 'hi' }),
      await stranger.emitWithAck('battle:resume', { battleId }),
    ]) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(rowCounts(server).votes).toBe(0);
  });

  it('keeps a failed side visible, keeps the other side streaming, and refuses votes on the battle', async () => {
    const server = await startServer({
      models: [
        { id: 'healthy', name: 'Healthy', provider: 'demo', model: 'sage', tokensPerSecond: 0 },
        { id: 'broken', name: 'Broken', provider: 'demo', model: 'brisk', tokensPerSecond: 0, failAfterTokens: 3 },
      ],
    });
    const socket = await server.connect();
    const turnDone = waitForTurn(socket, undefined, 1);
    const reply = await socket.emitWithAck('battle:start', { prompt: 'Explain recursion' });
    if (!reply.ok) throw new Error('start failed');
    const turn = await turnDone;
    const failed = turn.ends.find((e) => e.finishReason === 'error')!;
    const healthy = turn.ends.find((e) => e.finishReason === 'stop')!;
    expect(failed.error).toMatch(/error/i);
    expect(failed.error).not.toMatch(/Broken|broken|failAfter/);
    expect(turn[healthy.side].length).toBeGreaterThan(100);
    expect(turn[failed.side].length).toBeGreaterThan(0);
    const vote = await socket.emitWithAck('battle:vote', { battleId: reply.battleId, winner: 'a' });
    expect(vote).toMatchObject({ ok: false, error: { code: 'battle_failed' } });
    const battle = server.app.db.select().from(battles).where(eq(battles.id, reply.battleId)).get()!;
    expect(battle.status).toBe('failed');
    const brokenAnswer = server.app.db.select().from(answers).where(eq(answers.modelId, 'broken')).get()!;
    expect(brokenAnswer).toMatchObject({ finishReason: 'error', errorKind: 'upstream' });
    expect(rowCounts(server).votes).toBe(0);
  });

  it('computes online Elo exactly for a known sequence of votes (K=4, scale 400, base 10)', async () => {
    const server = await startServer({
      models: [
        { id: 'x-model', name: 'X', provider: 'demo', model: 'sage', tokensPerSecond: 0 },
        { id: 'y-model', name: 'Y', provider: 'demo', model: 'brisk', tokensPerSecond: 0 },
      ],
    });
    const socket = await server.connect();
    // Outcomes from X's point of view; the side X is shown on is random, so map through the reveal.
    const sequence: Array<'x' | 'y' | 'tie' | 'bothbad'> = ['x', 'tie', 'y', 'bothbad'];
    for (const outcome of sequence) {
      const battleId = await playBattle(socket);
      const view = await socket.emitWithAck('battle:resume', { battleId });
      expect(view.ok).toBe(true);
      const modelA = server.app.db.select().from(battles).where(eq(battles.id, battleId)).get()!.modelA;
      const xIsA = modelA === 'x-model';
      const winner = outcome === 'x' ? (xIsA ? 'a' : 'b') : outcome === 'y' ? (xIsA ? 'b' : 'a') : outcome;
      const reply = await socket.emitWithAck('battle:vote', { battleId, winner });
      expect(reply.ok).toBe(true);
    }
    // Hand-computed: 1002/998, then 1001.97698/998.02302, then 999.95422/1000.04578, then:
    const rows = server.app.db.select().from(ratings).all();
    const x = rows.find((r) => r.modelId === 'x-model')!;
    const y = rows.find((r) => r.modelId === 'y-model')!;
    expect(x.rating).toBeCloseTo(999.954742496066, 9);
    expect(y.rating).toBeCloseTo(1000.045257503934, 9);
    expect(x).toMatchObject({ games: 4, wins: 1, losses: 1, ties: 2 });
    expect(y).toMatchObject({ games: 4, wins: 1, losses: 1, ties: 2 });
  });

  it('keeps battles, votes and ratings across a restart on the same database', async () => {
    const first = await startServer();
    const socket = await first.connect({ voterId: 'restart-voter' });
    const battleId = await playBattle(socket, 'Name three primary colours');
    const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'b' });
    if (!vote.ok) throw new Error('vote failed');
    const before = (await (await fetch(`${first.url}/api/leaderboard`)).json()) as object;
    await first.close();

    const server = await startServer({ dir: first.dir });
    const again = await server.connect({ voterId: 'restart-voter' });
    const after = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as object;
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    const view = await again.emitWithAck('battle:resume', { battleId });
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.battle.status).toBe('voted');
    expect(view.battle.turns[0]!.prompt).toBe('Name three primary colours');
    expect(view.battle.turns[0]!.a.text.length).toBeGreaterThan(0);
    expect(view.battle.vote).toEqual({ winner: 'b', models: vote.models, counted: true, flags: [] });
    expect(rowCounts(server)).toMatchObject({ battles: 1, votes: 1, answers: 2, ratings: 2 });
    const dup = await again.emitWithAck('battle:vote', { battleId, winner: 'a' });
    expect(dup).toMatchObject({ ok: false, error: { code: 'already_voted' } });
    // removes the dir on stop
  });
});

describe('live standings', () => {
  it('pushes leaderboard:update to every subscriber after a vote, with the final state', async () => {
    const server = await startServer();
    const voter = await server.connect();
    const watchers = [await server.connect(), await server.connect({ transports: ['polling'] })];
    for (const w of watchers) {
      const sub = await w.emitWithAck('leaderboard:subscribe', {});
      expect(sub).toMatchObject({ ok: true, leaderboard: { totalVotes: 0 } });
    }
    const updates = watchers.map(
      (w) =>
        new Promise<{ totalVotes: number }>((resolve) =>
          w.on('leaderboard:update', ({ leaderboard }) => {
            if (leaderboard.totalVotes === 2) resolve(leaderboard);
          }),
        ),
    );
    for (let i = 0; i < 2; i++) {
      const battleId = await playBattle(voter);
      expect((await voter.emitWithAck('battle:vote', { battleId, winner: 'a' })).ok).toBe(true);
    }
    const final = await Promise.all(updates);
    const http = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as object;
    for (const lb of final) expect({ ...lb, updatedAt: null }).toEqual({ ...http, updatedAt: null });
  });
});

describe('leaving the leaderboard', () => {
  it('stops updates after leaderboard:unsubscribe', async () => {
    const server = await startServer();
    const voter = await server.connect();
    const watcher = await server.connect();
    expect((await watcher.emitWithAck('leaderboard:subscribe', {})).ok).toBe(true);
    expect(await watcher.emitWithAck('leaderboard:unsubscribe', {})).toEqual({ ok: true });
    let updates = 0;
    watcher.on('leaderboard:update', () => updates++);
    const battleId = await playBattle(voter);
    await voter.emitWithAck('battle:vote', { battleId, winner: 'a' });
    await new Promise((r) => setTimeout(r, 150)); // several coalescing windows (20 ms in tests)
    expect(updates).toBe(0);
  });
});

describe('input validation', () => {
  const cases: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['number', 42],
    ['string', 'hello'],
    ['array', []],
    ['empty object', {}],
    ['wrong type', { prompt: 5, battleId: 7, winner: 3 }],
    ['empty prompt', { prompt: '   ', battleId: 'x' }],
    ['huge prompt', { prompt: 'x'.repeat(20_001), battleId: 'x' }],
    ['bad winner', { battleId: 'x', winner: 'c' }],
    ['unknown field', { prompt: 'hi', battleId: 'x', winner: 'a', extra: true }],
    ['huge id', { battleId: 'b'.repeat(65), prompt: 'hi', winner: 'a' }],
  ];
  const events = ['battle:start', 'battle:continue', 'battle:vote', 'battle:resume', 'leaderboard:subscribe', 'leaderboard:unsubscribe'] as const;

  it('answers invalid_input naming the field for malformed payloads of every event, writing nothing', async () => {
    const server = await startServer();
    const socket = await server.connect();
    const before = rowCounts(server);
    let checked = 0;
    for (const event of events) {
      for (const [label, payload] of cases) {
        if (event.startsWith('leaderboard:') && label === 'empty object') continue;
        const reply = await (socket as TestSocket).timeout(2000).emitWithAck(event as 'battle:start', payload as never);
        expect(reply, `${event} with ${label}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        if (!reply.ok) expect(reply.error.message.length).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(rowCounts(server)).toEqual(before);
    const named = await socket.emitWithAck('battle:vote', { battleId: 'x', winner: 'c' } as never);
    expect(named).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'winner' } });
    const unknown = await socket.emitWithAck('battle:start', { prompt: 'hi', model: 'pick-me' } as never);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'model' } });
    // The server still serves after all that.
    const battleId = await playBattle(socket);
    expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'a' })).ok).toBe(true);
  });
});
