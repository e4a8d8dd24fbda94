/**
 * Two arena processes on one database file and one Redis, behind a stand-in for the sticky proxy
 * (each page keeps its instance while it listens, and reconnects to the other once it does not):
 * voters battle and vote on both while one instance is killed (SIGKILL) or restarted (SIGTERM).
 * Every acknowledged vote must be stored exactly once, no page may lose its battle or its vote,
 * and the stored ratings must equal their recomputation from the votes.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { io as connectClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../protocol/types.ts';
import { computeOnlineElo } from '../../server/ratings/elo.ts';
import { outcomeFromDbWinner } from '../../server/ratings/outcomes.ts';
import { ArenaPage, type BattleOutcome } from '../support/arena-page.ts';
import { startFailoverProxy } from '../support/failover-proxy.ts';
import { useCleanup } from '../support/hooks.ts';
import { type ServerProcess, startServerProcess, writeConfig } from '../support/server-process.ts';
import { skipRedis, startRedis } from '../support/services.ts';
import type { TestSocket } from '../support/test-server.ts';

const cleanup = useCleanup();
const PAGES_PER_INSTANCE = 5;
const ROUNDS = 6;
const WINNERS = ['a', 'b', 'tie', 'bothbad'] as const;

/** Demo models slow enough that a page spends most of its time watching answers stream (about 1–2 s each). */
const models = [
  { id: 'm-one', name: 'One', provider: 'demo', model: 'sage', tokensPerSecond: 90 },
  { id: 'm-two', name: 'Two', provider: 'demo', model: 'brisk', tokensPerSecond: 90 },
  { id: 'm-three', name: 'Three', provider: 'demo', model: 'muddle', tokensPerSecond: 90 },
  { id: 'm-four', name: 'Four', provider: 'demo', model: 'verse', tokensPerSecond: 90 },
];

interface Deployment {
  dbFile: string;
  instances: Record<'a' | 'b', ServerProcess>;
  /** One page list per instance, each behind a proxy that prefers that instance. */
  pages: Record<'a' | 'b', ArenaPage[]>;
  start(id: string, extraEnv?: Record<string, string>): Promise<ServerProcess>;
}

const portOf = (server: ServerProcess) => Number(new URL(server.url).port);

async function deploy(env: Record<string, string>): Promise<Deployment> {
  const redis = cleanup.add(await startRedis());
  const dir = cleanup.tempDir('arena-multi-');
  const dbFile = path.join(dir, 'arena.db');
  const configFile = writeConfig(dir, { models, integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 } });
  const start = async (id: string, extraEnv: Record<string, string> = {}) =>
    cleanup.add(
      await startServerProcess({ dbFile, configFile, env: { REDIS_URL: redis.url, ARENA_INSTANCE_ID: id, ARENA_LOAD_TEST: '1', ...env, ...extraEnv } }),
    );
  // One after the other: the first one applies the migrations.
  const a = await start('a');
  const b = await start('b');
  const proxies = {
    a: cleanup.add(await startFailoverProxy(() => [portOf(a), portOf(b)])),
    b: cleanup.add(await startFailoverProxy(() => [portOf(b), portOf(a)])),
  };
  const pages = {
    a: Array.from({ length: PAGES_PER_INSTANCE }, () => new ArenaPage(proxies.a.url)),
    b: Array.from({ length: PAGES_PER_INSTANCE }, () => new ArenaPage(proxies.b.url)),
  };
  for (const page of [...pages.a, ...pages.b]) cleanup.defer(() => page.close());
  await Promise.all([...pages.a, ...pages.b].map((p) => p.connected()));
  return { dbFile, instances: { a, b }, pages, start };
}

/** Every page plays ROUNDS battles in a row; `whileRunning` runs once `after` outcomes are in. */
async function rush(pages: ArenaPage[], after: number, whileRunning: () => Promise<void>): Promise<BattleOutcome[]> {
  const outcomes: BattleOutcome[] = [];
  let fired: Promise<void> | null = null;
  await Promise.all(
    pages.map(async (page, p) => {
      for (let round = 0; round < ROUNDS; round++) {
        outcomes.push(await page.play(`question ${p}-${round} about the tides`, WINNERS[(p + round) % 4]!));
        if (!fired && outcomes.length >= after) fired = whileRunning();
      }
    }),
  );
  await fired;
  return outcomes;
}

function readDb<T>(dbFile: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbFile, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Each acknowledged vote is stored exactly once, as it was cast. */
function expectVotesOnce(dbFile: string, outcomes: BattleOutcome[]): void {
  const rows = readDb(
    dbFile,
    (db) => db.prepare('SELECT battle_id, vote_id, winner FROM votes').all() as Array<{ battle_id: string; vote_id: string; winner: string }>,
  );
  for (const o of outcomes) {
    if (o.kind !== 'voted') continue;
    const stored = rows.filter((r) => r.vote_id === o.voteId);
    expect(stored, `vote ${o.voteId}`).toHaveLength(1);
    expect(stored[0]).toMatchObject({ battle_id: o.battleId, winner: o.winner });
  }
  expect(new Set(rows.map((r) => r.battle_id)).size).toBe(rows.length);
}

/** The stored Elo equals the Elo recomputed from the counted votes in commit order. */
function expectRatingsRecomputed(dbFile: string): Map<string, number> {
  return readDb(dbFile, (db) => {
    const votes = db.prepare('SELECT model_a, model_b, winner FROM votes WHERE counted = 1 ORDER BY id').all() as Array<{
      model_a: string;
      model_b: string;
      winner: string;
    }>;
    const recomputed = computeOnlineElo(
      votes.map((v) => ({ model_a: v.model_a, model_b: v.model_b, winner: outcomeFromDbWinner(v.winner as never) })),
      { k: 4 },
    );
    const stored = db.prepare('SELECT model_id, rating, games FROM ratings').all() as Array<{ model_id: string; rating: number; games: number }>;
    expect(stored.length).toBe(recomputed.size);
    for (const r of stored) expect(r.rating).toBeCloseTo(recomputed.get(r.model_id)!, 9);
    expect(stored.reduce((n, r) => n + r.games, 0)).toBe(2 * votes.length);
    return new Map(stored.map((r) => [r.model_id, r.rating]));
  });
}

async function leaderboard(server: ServerProcess): Promise<Leaderboard> {
  return (await (await fetch(`${server.url}/api/leaderboard`)).json()) as Leaderboard;
}

describe.skipIf(skipRedis)('two instances on one database and one Redis', () => {
  it('SIGKILL of one mid-load: acknowledged votes stored once, its streaming battles failed by the survivor, ratings recomputable', async () => {
    const d = await deploy({ ARENA_DRAIN_SECONDS: '0' });
    const pages = [...d.pages.a, ...d.pages.b];
    let killedAt = 0;
    const outcomes = await rush(pages, (pages.length * ROUNDS) / 3, async () => {
      killedAt = Date.now();
      await d.instances.a.kill9();
    });
    expect(killedAt).toBeGreaterThan(0);

    // No page lost a vote: each was acknowledged, by a or (re-sent) by b.
    expect(outcomes.filter((o) => o.kind === 'vote_lost' || o.kind === 'refused')).toEqual([]);
    expectVotesOnce(d.dbFile, outcomes);
    const voted = outcomes.filter((o) => o.kind === 'voted').length;
    expect(voted).toBeGreaterThan(pages.length * ROUNDS * 0.6);

    // The battles a was streaming were failed by b (nothing left streaming), and their pages told so.
    const battles = readDb(
      d.dbFile,
      (db) => db.prepare('SELECT id, status, instance_id AS instance FROM battles').all() as Array<{ id: string; status: string; instance: string }>,
    );
    expect(battles.filter((b) => b.status === 'streaming')).toEqual([]);
    const interrupted = outcomes.filter((o) => o.kind === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    for (const o of interrupted) {
      expect(o.how).toBe('restart');
      expect(battles.find((b) => b.id === o.battleId)).toMatchObject({ status: 'failed', instance: 'a' });
    }
    // A vote for such a battle (a page that kept one) is refused, saying why.
    const cutBattle = interrupted[0]!.battleId;
    const owner = readDb(d.dbFile, (db) => db.prepare('SELECT voter_id FROM battles WHERE id = ?').pluck().get(cutBattle) as string);
    const late: TestSocket = connectClient(d.instances.b.url, { auth: { voterId: owner.replace(/^anon:/, '') }, transports: ['websocket'], forceNew: true });
    cleanup.defer(() => void late.disconnect());
    const refused = await late.emitWithAck('battle:vote', { battleId: cutBattle, winner: 'a', voteId: randomUUID() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'battle_failed', message: expect.stringMatching(/server streaming this battle stopped/) } });
    // A page whose battle was cut could start again at once: every page played all its rounds.
    expect(outcomes).toHaveLength(pages.length * ROUNDS);

    // The database's Elo is the recomputation of its votes, and a freshly started instance serves exactly it.
    const ratings = expectRatingsRecomputed(d.dbFile);
    const fresh = await d.start('c');
    const board = await leaderboard(fresh);
    expect(board.totalVotes).toBe(readDb(d.dbFile, (db) => (db.prepare('SELECT count(*) AS n FROM votes WHERE counted = 1').get() as { n: number }).n));
    for (const row of board.models) expect(row.rating).toBeCloseTo(ratings.get(row.id) ?? 1000, 0);
  });

  it('SIGTERM of one under load: its streams finish within the drain, its pages move to the other instance, no battle or vote lost', async () => {
    const d = await deploy({ ARENA_DRAIN_SECONDS: '15' });
    const pages = [...d.pages.a, ...d.pages.b];
    let drain: { ms: number; code: number | null; streaming: number } | null = null;
    const outcomes = await rush(pages, pages.length, async () => {
      const a = d.instances.a;
      const streaming = readDb(
        d.dbFile,
        (db) => (db.prepare(`SELECT count(*) AS n FROM battles WHERE status = 'streaming' AND instance_id = 'a'`).get() as { n: number }).n,
      );
      const started = Date.now();
      await a.stop();
      drain = { ms: Date.now() - started, code: a.child.exitCode, streaming };
    });
    expect(drain).not.toBeNull();
    const { ms, code, streaming } = drain!;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(15_000 + 10_000);
    expect(streaming).toBeGreaterThan(0);
    expect(d.instances.a.output()).toMatch(/SIGTERM: shutting down/);

    // Every battle finished (none interrupted: they all ended within the drain) and every vote was acknowledged.
    expect(outcomes.filter((o) => o.kind !== 'voted')).toEqual([]);
    expect(outcomes).toHaveLength(pages.length * ROUNDS);
    expectVotesOnce(d.dbFile, outcomes);
    expectRatingsRecomputed(d.dbFile);
    // The pages of a carried on on b: battles were started on b after a had gone.
    const afterward = readDb(d.dbFile, (db) => db.prepare(`SELECT count(*) AS n FROM battles WHERE instance_id = 'b'`).get() as { n: number }).n;
    expect(afterward).toBeGreaterThan(PAGES_PER_INSTANCE * ROUNDS);
    const answers = readDb(d.dbFile, (db) => db.prepare(`SELECT count(*) AS n FROM answers WHERE error_kind IS NOT NULL`).get() as { n: number }).n;
    expect(answers).toBe(0);
  });
});
