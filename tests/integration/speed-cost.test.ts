import { describe, expect, it } from 'vitest';
import { answers } from '../../db/schema.ts';
import type { Leaderboard } from '../../protocol/types.ts';
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
