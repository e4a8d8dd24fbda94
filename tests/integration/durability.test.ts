/**
 * kill -9 in the middle of a voting rush: every acknowledged vote must be there exactly once after
 * the restart, and the stored ratings must equal the ratings recomputed from the votes.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { io as connectClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { computeOnlineElo } from '../../server/ratings/elo.ts';
import { outcomeFromDbWinner } from '../../server/ratings/outcomes.ts';
import { useCleanup, useTempDir } from '../support/hooks.ts';
import { type ServerProcess, startServerProcess, writeConfig } from '../support/server-process.ts';
import { playBattle, type TestSocket } from '../support/test-server.ts';

const VOTERS = 16;
const BATTLES_PER_VOTER = 12;
const dir = useTempDir('arena-kill9-');
const dbFile = path.join(dir, 'arena.db');
const configFile = writeConfig(dir, {
  models: [
    { id: 'm-one', name: 'One', provider: 'demo', model: 'sage', tokensPerSecond: 0 },
    { id: 'm-two', name: 'Two', provider: 'demo', model: 'brisk', tokensPerSecond: 0 },
    { id: 'm-three', name: 'Three', provider: 'demo', model: 'muddle', tokensPerSecond: 0 },
    { id: 'm-four', name: 'Four', provider: 'demo', model: 'verse', tokensPerSecond: 0 },
  ],
  integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 },
  limits: { battlesBurst: 1000, battlesPerMinutePerIp: 100000, maxConcurrentBattles: 100, votesPerDayPerIp: 100000 },
});
const cleanup = useCleanup();
let server: ServerProcess | undefined;

function connect(url: string, voterId: string): Promise<TestSocket> {
  const socket: TestSocket = connectClient(url, { auth: { voterId }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('durability under kill -9', () => {
  it('keeps every acknowledged vote exactly once and ratings equal to their recomputation', async () => {
    server = cleanup.add(await startServerProcess({ dbFile, configFile }));
    const sockets = await Promise.all(Array.from({ length: VOTERS }, (_, i) => connect(server!.url, `kill9-voter-${i}`)));
    const battlesOf = await Promise.all(
      sockets.map(async (s, i) => {
        const ids: string[] = [];
        for (let b = 0; b < BATTLES_PER_VOTER; b++) ids.push(await playBattle(s, `question ${i}-${b} about tides`));
        return ids;
      }),
    );

    const acked: Array<{ battleId: string; voteId: string; winner: Winner; voterIndex: number }> = [];
    const winners: Winner[] = ['a', 'b', 'tie', 'bothbad'];
    let killed = false;
    const rush = sockets.map(async (socket, i) => {
      for (const [b, battleId] of battlesOf[i]!.entries()) {
        if (killed) return;
        const voteId = `v-${i}-${b}-${battleId.slice(0, 8)}`;
        const winner = winners[(i + b) % 4]!;
        try {
          const reply = await socket.timeout(5000).emitWithAck('battle:vote', { battleId, winner, voteId });
          if (reply.ok) acked.push({ battleId, voteId, winner, voterIndex: i });
        } catch {
          return; // the server died before it answered: this vote was never acknowledged
        }
      }
    });
    // Kill once a good share of the votes is acknowledged, while the rest are in flight.
    const total = VOTERS * BATTLES_PER_VOTER;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (acked.length >= total / 3) {
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    killed = true;
    await server.kill9();
    await Promise.all(rush);
    for (const s of sockets) s.disconnect();
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(total);

    // Restart on the same database.
    server = cleanup.add(await startServerProcess({ dbFile, configFile }));
    const db = new Database(dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT battle_id, vote_id, winner, model_a, model_b, counted FROM votes ORDER BY id').all() as Array<{
        battle_id: string;
        vote_id: string;
        winner: Winner;
        model_a: string;
        model_b: string;
        counted: number;
      }>;
      for (const vote of acked) {
        const matching = rows.filter((r) => r.vote_id === vote.voteId);
        expect(matching, `acknowledged vote ${vote.voteId}`).toHaveLength(1);
        expect(matching[0]).toMatchObject({ battle_id: vote.battleId, winner: vote.winner });
      }
      expect(new Set(rows.map((r) => r.battle_id)).size).toBe(rows.length);

      const recomputed = computeOnlineElo(
        rows.filter((r) => r.counted).map((r) => ({ model_a: r.model_a, model_b: r.model_b, winner: outcomeFromDbWinner(r.winner) })),
        { k: 4 },
      );
      const stored = db.prepare('SELECT model_id, rating, games FROM ratings').all() as Array<{ model_id: string; rating: number; games: number }>;
      expect(stored.length).toBe(recomputed.size);
      for (const r of stored) expect(r.rating).toBeCloseTo(recomputed.get(r.model_id)!, 9);
      expect(stored.reduce((n, r) => n + r.games, 0)).toBe(2 * rows.filter((r) => r.counted).length);
    } finally {
      db.close();
    }

    // A client re-sending its acknowledged votes after the restart gets the same answer, no double count.
    const again = await connect(server.url, `kill9-voter-${acked[0]!.voterIndex}`);
    const resent = await again.emitWithAck('battle:vote', { battleId: acked[0]!.battleId, winner: acked[0]!.winner, voteId: acked[0]!.voteId });
    expect(resent.ok).toBe(true);
    const lb = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as { totalVotes: number };
    const db2 = new Database(dbFile, { readonly: true });
    expect(lb.totalVotes).toBe((db2.prepare('SELECT count(*) AS n FROM votes WHERE counted = 1').get() as { n: number }).n);
    db2.close();
    again.disconnect();
  });
});
