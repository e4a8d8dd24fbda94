/**
 * `arena seed --demo`: fills an empty database (and refuses a non-empty one unless --force) with
 * battles spread over days, in several languages and kinds, whose ratings are the projection of
 * their votes; a server started on it has standings, history, model pages and a verifiable snapshot.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BattleSummary, ModelProfile, Snapshot, Standings } from '../../protocol/standings.ts';
import type { BtLeaderboard, Leaderboard } from '../../protocol/types.ts';
import { runCli } from '../../server/cli/main.ts';
import { builtInDemoModels } from '../../server/providers/demo.ts';
import { RatingsRepo } from '../../server/standings/ratings-repo.ts';
import { api, signedIn } from '../support/auth.ts';
import { useCleanup } from '../support/hooks.ts';
import { useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const query = <T>(file: string, sql: string): T[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

const SEED = ['seed', '--demo', '--battles', '600', '--days', '21', '--until', '2026-11-30'];

describe('arena seed --demo', () => {
  it('fills an empty database with battles over weeks, languages and kinds, and refuses a non-empty one', async () => {
    const dir = cleanup.tempDir('seed-demo-');
    const file = path.join(dir, 'demo.db');
    const first = await cli([...SEED, '--db', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Seeded .* 600 battles over 2[01] days, \d+ votes \(\d+ counted\), \d+ failed, \d+ abandoned$/m);

    const [counts] = query<Record<string, number>>(
      file,
      `SELECT (SELECT count(*) FROM battles) AS battles, (SELECT count(*) FROM votes) AS votes, (SELECT count(*) FROM votes WHERE counted = 1) AS counted,
              (SELECT count(*) FROM battles WHERE status = 'failed') AS failed, (SELECT count(*) FROM battles WHERE status = 'abandoned') AS abandoned,
              (SELECT count(*) FROM battles WHERE status NOT IN ('voted', 'failed', 'abandoned')) AS unfinished,
              (SELECT count(*) FROM battles WHERE turns > 1) AS multiTurn,
              (SELECT count(DISTINCT date(created_at / 1000, 'unixepoch')) FROM battles) AS days,
              (SELECT count(*) FROM answers WHERE cost_usd > 0) AS priced, (SELECT count(*) FROM answers WHERE ttft_ms > 0 AND total_ms > ttft_ms) AS timed,
              (SELECT count(*) FROM answers) AS answers`,
    );
    expect(counts).toMatchObject({ battles: 600, unfinished: 0 });
    expect(counts!.votes).toBeGreaterThan(480);
    expect(counts!.counted).toBeLessThan(counts!.votes!); // a few too-fast votes are kept out
    expect(counts!.failed).toBeGreaterThan(0);
    expect(counts!.abandoned).toBeGreaterThan(10);
    expect(counts!.multiTurn).toBeGreaterThan(40);
    expect(counts!.days).toBeGreaterThanOrEqual(20);
    expect(counts!.priced).toBeGreaterThan(100);
    expect(counts!.timed).toBe(counts!.answers);
    const [range] = query<{ first: number; last: number }>(file, 'SELECT min(created_at) AS first, max(created_at) AS last FROM votes');
    expect(range!.last).toBeLessThan(Date.parse('2026-11-30T00:00:00Z'));
    expect(range!.first).toBeGreaterThanOrEqual(Date.parse('2026-11-09T00:00:00Z'));

    // Prompts in several scripts: Hangul, kana, Han, Latin.
    const prompts = query<{ prompt: string }>(file, 'SELECT prompt FROM turns WHERE turn = 1').map((r) => r.prompt);
    const share = (re: RegExp) => prompts.filter((p) => re.test(p)).length / prompts.length;
    expect(share(/[\uac00-\ud7a3]/)).toBeGreaterThan(0.25);
    expect(share(/[\u3040-\u30ff]/)).toBeGreaterThan(0.05);
    expect(share(/^[\x20-\x7e\n’]+$/)).toBeGreaterThan(0.2);
    expect(prompts.some((p) => p.length > 1000)).toBe(true);
    expect(prompts.some((p) => /Python|TypeScript|SQL/.test(p))).toBe(true);

    // Models: the demo set, and sample models switched off with prices.
    const models = query<{ id: string; enabled: number; source: string; settings: string }>(file, 'SELECT id, enabled, source, settings FROM models');
    for (const demo of builtInDemoModels()) expect(models).toContainEqual(expect.objectContaining({ id: demo.id, enabled: 1, source: 'demo' }));
    const samples = models.filter((m) => m.id.startsWith('sample-'));
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const m of samples) expect(m).toMatchObject({ enabled: 0, source: 'admin', settings: expect.stringContaining('"pricing"') });

    // The stored ratings are the projection of the votes.
    const stored = query<{ model_id: string; rating: number; games: number }>(file, 'SELECT model_id, rating, games FROM ratings ORDER BY model_id');
    const check = new Database(file);
    const recomputed = check.transaction(() => {
      new RatingsRepo(check).recompute(4);
      return check.prepare('SELECT model_id, rating, games FROM ratings ORDER BY model_id').all();
    });
    expect(recomputed()).toEqual(stored);
    check.close();

    const again = await cli([...SEED, '--db', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty \(600 battles, \d+ votes, 0 evaluations\); use --force/);
    expect(query<{ n: number }>(file, 'SELECT count(*) AS n FROM battles')[0]!.n).toBe(600);
    const forced = await cli([...SEED, '--db', file, '--battles', '50', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(query<{ n: number }>(file, 'SELECT count(*) AS n FROM battles')[0]!.n).toBe(650);

    expect((await cli(['seed', '--db', file])).code).toBe(2);
    expect((await cli(['seed', '--demo', '--battles', 'many', '--db', file])).code).toBe(2);
  });

  it('is deterministic: the same seed and end date give the same database', async () => {
    const dir = cleanup.tempDir('seed-same-');
    const dump = (file: string) =>
      ['battles', 'turns', 'answers', 'votes', 'ratings'].map((t) =>
        query(file, `SELECT * FROM ${t} ORDER BY rowid`).map((r) => ({ ...(r as object), updated_at: 0 })),
      );
    const files = ['a.db', 'b.db', 'c.db'].map((f) => path.join(dir, f));
    for (const [i, f] of files.entries()) expect((await cli([...SEED, '--battles', '120', '--db', f, '--seed', i === 2 ? '2' : '1'])).code).toBe(0);
    expect(dump(files[0]!)).toEqual(dump(files[1]!));
    expect(dump(files[0]!)).not.toEqual(dump(files[2]!));
  });

  it('gives a fresh server standings, history, model pages and a verifiable snapshot', async () => {
    const dir = cleanup.tempDir('seed-server-');
    expect((await cli([...SEED, '--db', path.join(dir, 'arena.db')])).code).toBe(0);
    const server = await startServer({ dir, models: builtInDemoModels(), deps: { btIntervalMs: 0 } });
    const counted = query<{ n: number }>(server.dbFile, 'SELECT count(*) AS n FROM votes WHERE counted = 1')[0]!.n;

    const elo = (await api<Leaderboard>(server, '/api/leaderboard')).body;
    expect(elo.totalVotes).toBe(counted);
    expect(elo.models.length).toBeGreaterThanOrEqual(7);
    const bt = (await api<BtLeaderboard>(server, '/api/leaderboard?method=bt')).body;
    expect(bt.votes).toBe(counted);
    // The latent strengths put the sample Atlas or Sage on top, Muddle last.
    expect(['sample-atlas-70b', 'demo-sage']).toContain(bt.models[0]!.id);
    expect(bt.models.at(-1)!.id).toBe('demo-muddle');
    // Switched off, yet their seeded answers are among the latest: the sample models keep their
    // figures, so the price chart of a seeded database has points (the demo models have no prices).
    const lumen = bt.models.find((m) => m.id === 'sample-lumen-mini')!;
    expect(lumen.speed!.answers).toBeGreaterThan(0);
    expect(lumen.speed!.meanCostUsd).toBeGreaterThan(0);
    const view = (await api<{ standings: Standings }>(server, '/api/standings')).body.standings;
    const priced = view.models.filter((m) => m.costPer1kAnswersUsd !== null).map((m) => m.id);
    expect(priced.sort()).toEqual(
      view.models
        .filter((m) => m.id.startsWith('sample-'))
        .map((m) => m.id)
        .sort(),
    );
    expect(priced.length).toBeGreaterThanOrEqual(3);
    // The front: the priced models no other priced model beats on both rating and cost.
    const cost = new Map(view.models.map((m) => [m.id, m.costPer1kAnswersUsd]));
    const rating = new Map(view.models.map((m) => [m.id, m.rating]));
    const beaten = (id: string) =>
      priced.some(
        (o) =>
          o !== id && rating.get(o)! >= rating.get(id)! && cost.get(o)! <= cost.get(id)! && (rating.get(o)! > rating.get(id)! || cost.get(o)! < cost.get(id)!),
      );
    expect([...view.fronts.cost].sort()).toEqual(priced.filter((id) => !beaten(id)).sort());

    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const history = (await api<{ battles: BattleSummary[]; total: number }>(server, '/api/battles?limit=100', { cookie: admin })).body;
    expect(history.total).toBe(600);
    expect(history.battles).toHaveLength(100);
    const korean = (await api<{ total: number }>(server, `/api/battles?q=${encodeURIComponent('설명해')}`, { cookie: admin })).body;
    expect(korean.total).toBeGreaterThan(10);

    const profile = (await api<{ profile: ModelProfile }>(server, '/api/models/sample-atlas-70b/profile', { cookie: admin })).body.profile;
    expect(profile.history.length).toBeGreaterThanOrEqual(20);
    expect(profile.opponents).toHaveLength(6);
    expect(profile.distributions.latencyMs).toHaveLength(7);
    expect(profile.distributions.costUsd).toHaveLength(7);
    expect(profile.speed!.errorRate).toBeGreaterThan(0);
    expect(profile.recentBattles).toHaveLength(10);

    const snapshot = (await api<{ snapshot: Snapshot }>(server, '/api/admin/snapshots', { cookie: admin, body: { name: 'demo' } })).body.snapshot;
    expect(snapshot.votes).toBe(counted);
    const snapshotFile = path.join(dir, 'snapshot.json');
    const exportFile = path.join(dir, 'export.jsonl');
    await writeFile(snapshotFile, JSON.stringify(snapshot));
    expect((await cli(['export', 'battles', '--db', server.dbFile, '--out', exportFile])).code).toBe(0);
    const verified = await cli(['ratings', '--verify', snapshotFile, '--battles', exportFile]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/\n\d+ confirmed, 0 refuted\.\n/);
  });
});
