import { describe, expect, it } from 'vitest';
import { answers } from '../../db/schema.ts';
import type { Standings } from '../../protocol/standings.ts';
import type { Leaderboard } from '../../protocol/types.ts';
import { api, signedIn } from '../support/auth.ts';
import { playBattle, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

describe('speed and cost beside quality', () => {
  it('stores tokens, timings and cost per answer and exposes per-model medians in the leaderboard', async () => {
    const server = await startServer({
      models: [
        { id: 'priced', name: 'Priced', provider: 'demo', model: 'sage', tokensPerSecond: 0, pricing: { inputPerMillion: 3, outputPerMillion: 15 } },
        { id: 'free', name: 'Free', provider: 'demo', model: 'brisk', tokensPerSecond: 0 },
      ],
    });
    const socket = await server.connect();
    const battleId = await playBattle(socket, 'Explain caching in web browsers');
    await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
    const rows = server.app.db.select().from(answers).all();
    const priced = rows.find((r) => r.modelId === 'priced')!;
    expect(priced.costUsd).toBeCloseTo((priced.inputTokens * 3 + priced.outputTokens * 15) / 1e6, 12);
    expect(rows.find((r) => r.modelId === 'free')!.costUsd).toBeNull();
    for (const r of rows) {
      expect(r.outputTokens).toBeGreaterThan(0);
      expect(r.ttftMs).not.toBeNull();
      expect(r.totalMs).toBeGreaterThanOrEqual(r.ttftMs!);
    }

    const board = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as Leaderboard;
    const pricedEntry = board.models.find((m) => m.id === 'priced')!;
    expect(pricedEntry.speed).toMatchObject({ answers: 1, errorRate: 0, medianOutputTokens: priced.outputTokens });
    expect(pricedEntry.speed!.medianCostUsd).toBeCloseTo(priced.costUsd!, 6);
    expect(pricedEntry.speed!.medianLatencyMs).toBeCloseTo(priced.totalMs, 0);
    expect(board.models.find((m) => m.id === 'free')!.speed!.medianCostUsd).toBeNull();
  });
});

describe('speed and cost of a model switched off', () => {
  it("keeps its figures from its arena answers, so the leaderboard's price chart still places it", async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const server = await startServer({
      models: [
        { id: 'priced', name: 'Priced', provider: 'demo', model: 'sage', tokensPerSecond: 0, pricing: { inputPerMillion: 3, outputPerMillion: 15 } },
        { id: 'free', name: 'Free', provider: 'demo', model: 'brisk', tokensPerSecond: 0 },
        { id: 'spare', name: 'Spare', provider: 'demo', model: 'muddle', tokensPerSecond: 0 },
      ],
      deps: { now: () => now },
    });
    const admin = await signedIn(server, 'speed-admin@example.com', 'admin');
    const socket = await server.connect({ voterId: 'speed-voter-0001' });
    const answered = () =>
      server.app.db
        .select()
        .from(answers)
        .all()
        .filter((r) => r.modelId === 'priced');
    for (let i = 0; i < 20 && answered().length < 2; i++) {
      const battleId = await playBattle(socket, `Explain caching, part ${i + 1}`);
      expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'tie' })).ok).toBe(true);
    }
    const rows = answered();
    expect(rows.length).toBeGreaterThanOrEqual(2);

    const off = await api(server, '/api/admin/models/priced', { cookie: admin, method: 'PATCH', body: { enabled: false } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    now += 60_000; // past the figures' cache
    const board = (await api<Leaderboard>(server, '/api/leaderboard')).body;
    const speed = board.models.find((m) => m.id === 'priced')!.speed!;
    expect(speed.answers).toBe(rows.length);
    const mean = rows.reduce((sum, r) => sum + r.costUsd!, 0) / rows.length;
    expect(speed.meanCostUsd).toBeCloseTo(mean, 5); // figures are rounded to the micro-dollar
    const { standings } = (await api<{ standings: Standings }>(server, '/api/standings?minVotes=0')).body;
    expect(standings.models.find((m) => m.id === 'priced')!.costPer1kAnswersUsd).toBeCloseTo(mean * 1000, 2);
    expect(standings.fronts.cost).toContain('priced'); // the only priced model
  });
});
