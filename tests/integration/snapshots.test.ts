/**
 * Reproducible snapshots: an admin publishes the standings with their view, method, seed and a
 * hash of the votes; anyone reads them at a permanent link; `arena ratings --verify` recomputes
 * every number from `arena export battles` and confirms it, or refutes it once the export changed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Snapshot, Standings } from '../../protocol/standings.ts';
import type { BtLeaderboard, Leaderboard, Winner } from '../../protocol/types.ts';
import { runCli } from '../../server/cli/main.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, vote as evalVote, nextItem, startAndGenerate } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { playBattle, type TestServer, type TestSocket, useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);

type Io = Parameters<typeof runCli>[1];
async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T10:00:00Z');

/** A server whose clock the test moves, so votes fall on chosen days. */
async function serverWithClock(): Promise<{ server: TestServer; clock: { now: number } }> {
  const clock = { now: START };
  const server = await startServer({ deps: { now: () => clock.now, btIntervalMs: 0 } });
  return { server, clock };
}

async function voteOnce(socket: TestSocket, prompt: string, winner: Winner): Promise<void> {
  const battleId = await playBattle(socket, prompt);
  const reply = await socket.emitWithAck('battle:vote', { battleId, winner });
  expect(reply.ok).toBe(true);
}

/** Ties on every pair keep the fit finite; the rest make the ratings differ. */
const WINNERS: Winner[] = ['a', 'tie', 'b', 'a', 'tie', 'a', 'bothbad', 'b', 'a', 'tie', 'a', 'b'];

async function publish(server: TestServer, admin: string, body: object) {
  return api<{ snapshot: Snapshot }>(server, '/api/admin/snapshots', { cookie: admin, body });
}

describe('snapshots', () => {
  it('publishes the default view as the live Bradley-Terry standings, at a public permanent link', async () => {
    const { server, clock } = await serverWithClock();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const socket = await server.connect({ voterId: 'snapshot-voter-1' });
    for (const [i, winner] of WINNERS.entries()) {
      clock.now = START + Math.floor(i / 4) * DAY + i * 1000;
      await voteOnce(socket, `질문 ${i}: explain sorting`, winner);
    }

    const res = await publish(server, admin, { name: 'Q1 decision memo' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const snapshot = res.body.snapshot;
    expect(snapshot).toMatchObject({
      name: 'Q1 decision memo',
      // The live views' threshold (config standings.minVotes): 12 votes leave every model provisional.
      view: { method: 'bt', category: 'all', votes: 'blind', minVotes: 20 },
      votes: 12,
      bootstrap: { rounds: 100, seed: 1 },
      eloK: 4,
      softwareVersion: expect.stringMatching(/^arena \d+\.\d+\.\d+/),
    });
    expect(snapshot.votesHash).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.createdBy).toMatch(/^\d+$/);

    // The same numbers as the live standings of the same votes, and the same split as the live view.
    const live = (await api<BtLeaderboard>(server, '/api/leaderboard?method=bt')).body;
    const view = (await api<{ standings: Standings }>(server, '/api/standings?method=bt')).body.standings;
    expect(snapshot.standings.models).toEqual([]);
    expect(view.models).toEqual([]);
    expect(snapshot.standings.provisional.map((m) => m.id)).toEqual(view.provisional.map((m) => m.id));
    expect(snapshot.standings.provisional.map((m) => m.id)).toEqual(live.models.map((m) => m.id));
    snapshot.standings.provisional.forEach((m, i) => {
      const l = live.models[i]!;
      expect(m).toMatchObject({ rating: l.rating, ci: l.ci, rankUB: l.rankUB, battles: l.battles, wins: l.wins, losses: l.losses, ties: l.ties, elo: l.elo });
      expect(m.winRate).toBeCloseTo((m.wins + m.ties / 2) / m.battles, 4);
      expect(m).not.toHaveProperty('speed');
    });

    // The permanent link answers anyone, signed in or not, with exactly what was published.
    const link = await api<{ snapshot: Snapshot }>(server, `/api/snapshots/${snapshot.id}`);
    expect(link.status).toBe(200);
    expect(link.body.snapshot).toEqual(snapshot);
    const list = await api<{ snapshots: Array<Record<string, unknown>> }>(server, '/api/admin/snapshots', { cookie: admin });
    expect(list.body.snapshots).toHaveLength(1);
    expect(list.body.snapshots[0]).toMatchObject({ id: snapshot.id, votesHash: snapshot.votesHash });
    expect(list.body.snapshots[0]).not.toHaveProperty('standings');
    const audit = await api<{ entries: Array<{ action: string; target: string }> }>(server, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'snapshot.publish', target: snapshot.id }));

    // Only admins publish or list; the link of no snapshot is a 404.
    const member = await signedIn(server, 'member@example.com', 'member');
    expect((await publish(server, member, { name: 'x' })).status).toBe(403);
    expect((await api(server, '/api/admin/snapshots')).status).toBe(401);
    expect((await api(server, '/api/snapshots/nope')).body.error).toMatchObject({ code: 'not_found' });
    expect((await publish(server, admin, {})).body.error).toMatchObject({ code: 'invalid_input', field: 'name' });
    expect((await publish(server, admin, { name: 'x', view: { styleControl: '1' } })).body.error).toMatchObject({
      code: 'invalid_input',
      field: 'view.styleControl',
    });
    expect((await publish(server, admin, { name: 'x', view: { category: 'cooking' } })).body.error).toMatchObject({
      code: 'invalid_input',
      field: 'view.category',
    });
    expect((await publish(server, admin, { name: 'x', view: { from: 'yesterday' } })).body.error).toMatchObject({ code: 'invalid_input', field: 'view.from' });
  });

  it('is confirmed by `arena ratings --verify` on an unchanged export and refuted on a changed one', async () => {
    const { server, clock } = await serverWithClock();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const socket = await server.connect({ voterId: 'snapshot-voter-2' });
    for (const [i, winner] of WINNERS.entries()) {
      clock.now = START + Math.floor(i / 4) * DAY + i * 1000;
      await voteOnce(socket, `prompt ${i}`, winner);
    }
    // A vote of an evaluation that counts in public is a public vote: the export must carry it.
    const ev = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      countInPublicLeaderboard: true,
      prompts: { format: 'text', content: 'One\n' },
    });
    await startAndGenerate(server, admin, ev.id);
    const judge = await connectWith(server, { cookie: await signedIn(server, 'judge@example.com', 'member') });
    await evalVote(judge, (await nextItem(judge, ev.id))!, 'a');
    expect((await api<Leaderboard>(server, '/api/leaderboard')).body.totalVotes).toBe(13);

    const dir = cleanup.tempDir('snapshot-verify-');
    const files = {
      all: path.join(dir, 'all.json'),
      dated: path.join(dir, 'dated.json'),
      elo: path.join(dir, 'elo.json'),
      export: path.join(dir, 'export.jsonl'),
    };
    const all = (await publish(server, admin, { name: 'all votes' })).body.snapshot;
    expect(all.votes).toBe(13);
    const dated = (await publish(server, admin, { name: 'second day', view: { from: '2026-03-03', to: '2026-03-03' } })).body.snapshot;
    expect(dated.votes).toBe(4);
    expect(dated.view).toMatchObject({ from: '2026-03-03', to: '2026-03-03' });
    const elo = (await publish(server, admin, { name: 'elo', view: { method: 'elo', minVotes: 9 } })).body.snapshot;
    const stored = (await api<Leaderboard>(server, '/api/leaderboard')).body.models;
    for (const m of elo.standings.models) expect(m.rating).toBeCloseTo(stored.find((s) => s.id === m.id)!.rating, 2);
    expect(elo.standings.models.every((m) => m.battles >= 9)).toBe(true);
    expect(elo.standings.provisional.every((m) => m.battles < 9)).toBe(true);
    expect(elo.bootstrap).toBeNull();

    // The permalink's answer, saved as a file, and the export, both as a user would fetch them.
    await writeFile(files.all, JSON.stringify((await api(server, `/api/snapshots/${all.id}`)).body));
    await writeFile(files.dated, JSON.stringify(dated));
    await writeFile(files.elo, JSON.stringify(elo));
    const exported = await cli(['export', 'battles', '--db', server.dbFile, '--out', files.export]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = (await readFile(files.export, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines.map((l) => JSON.parse(l)).filter((r) => r.evaluation_id === ev.id)).toHaveLength(1);

    // Importing an arena's own export adds nothing, its evaluation vote included.
    const reimported = await cli(['import', 'battles', files.export, '--db', server.dbFile]);
    expect(reimported.stdout).toMatch(/Imported 0 of 13 battles/);
    expect(reimported.stdout).toMatch(/already present: 13/);

    for (const file of [files.all, files.dated, files.elo]) {
      const ok = await cli(['ratings', '--verify', file, '--battles', files.export]);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^confirmed {2}votesHash: [0-9a-f]{64}$/m);
      // Pairs are drawn at random: the day's four votes need not include every model.
      expect(ok.stdout).toMatch(/^confirmed {2}model-\S+ rating: /m);
      expect(ok.stdout).toMatch(/\n(\d+) confirmed, 0 refuted\.\n/);
      expect(ok.stdout).not.toMatch(/REFUTED/);
    }

    // One vote changed in the export: the hash and the numbers it moves are refuted.
    const changed = lines.map((l) => JSON.parse(l));
    const target = changed.find((r) => r.winner === 'model_a' && r.tstamp * 1000 < START + DAY)!;
    target.winner = 'model_b';
    await writeFile(files.export, `${changed.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const refuted = await cli(['ratings', '--verify', files.all, '--battles', files.export]);
    expect(refuted.code).toBe(1);
    expect(refuted.stdout).toMatch(/^REFUTED {4}votesHash: snapshot [0-9a-f]{64}, recomputed [0-9a-f]{64}$/m);
    expect(refuted.stdout).toMatch(/^REFUTED {4}\S+ wins: snapshot \d+, recomputed \d+$/m);
    expect(refuted.stdout).toMatch(/^REFUTED {4}\S+ rating: /m);
    expect(refuted.stdout).toMatch(/\n\d+ confirmed, [1-9]\d* refuted\.\n/);

    // A dated snapshot whose days the change did not touch is still confirmed.
    expect((await cli(['ratings', '--verify', files.dated, '--battles', files.export])).code).toBe(0);
    // A vote removed: the count is refuted too.
    await writeFile(files.export, `${lines.slice(1).join('\n')}\n`);
    const fewer = await cli(['ratings', '--verify', files.all, '--battles', files.export]);
    expect(fewer.code).toBe(1);
    expect(fewer.stdout).toMatch(/^REFUTED {4}votes: snapshot 13, recomputed 12$/m);

    expect((await cli(['ratings', '--verify', files.all])).code).toBe(2);
    expect((await cli(['ratings', '--verify', path.join(dir, 'missing.json'), '--battles', files.export])).code).toBe(1);
  });

  it("publishes a category view (Korean) with the live view's votes, and `arena ratings --verify` confirms it from an export", async () => {
    const { server, clock } = await serverWithClock();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const socket = await server.connect({ voterId: 'snapshot-voter-3' });
    const korean: number[] = [];
    for (const [i, winner] of WINNERS.entries()) {
      clock.now = START + Math.floor(i / 4) * DAY + i * 1000;
      // Two prompts in three are Korean.
      const inKorean = i % 3 !== 2;
      if (inKorean) korean.push(i);
      await voteOnce(socket, inKorean ? `정렬 알고리즘을 설명해 주세요 (${i}번째 질문)` : `Explain sorting, part ${i}`, winner);
    }

    const view = { method: 'bt', category: 'lang:ko', minVotes: 0 } as const;
    const res = await publish(server, admin, { name: '한국어 순위 2026년 3월', view });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const snapshot = res.body.snapshot;
    expect(snapshot).toMatchObject({ name: '한국어 순위 2026년 3월', votes: korean.length, view: { category: 'lang:ko', minVotes: 0, method: 'bt' } });
    // The votes and numbers the leaderboard shows for the same view.
    const live = (await api<{ standings: Standings }>(server, '/api/standings?method=bt&category=lang:ko&minVotes=0')).body.standings;
    expect(live.votes).toBe(korean.length);
    expect(snapshot.standings.models.map((m) => m.id)).toEqual(live.models.map((m) => m.id));
    snapshot.standings.models.forEach((m, i) => {
      const l = live.models[i]!;
      expect(m).toMatchObject({ rating: l.rating, ci: l.ci, rankUB: l.rankUB, battles: l.battles, wins: l.wins, losses: l.losses, ties: l.ties, elo: l.elo });
    });
    expect(snapshot.standings.pairs.battles).toEqual(live.pairs.battles);
    expect(snapshot.standings.pairs.observed).toEqual(live.pairs.observed);

    const dir = cleanup.tempDir('snapshot-korean-');
    const files = {
      snapshot: path.join(dir, 'snapshot.json'),
      export: path.join(dir, 'export.jsonl'),
      bare: path.join(dir, 'bare.jsonl'),
      moved: path.join(dir, 'moved.jsonl'),
    };
    await writeFile(files.snapshot, JSON.stringify((await api(server, `/api/snapshots/${snapshot.id}`)).body));
    expect((await cli(['export', 'battles', '--db', server.dbFile, '--out', files.export])).code).toBe(0);
    const records = (await readFile(files.export, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { categories?: string[] });
    expect(records).toHaveLength(WINNERS.length);
    expect(records.filter((r) => r.categories?.includes('lang:ko'))).toHaveLength(korean.length);
    const ok = await cli(['ratings', '--verify', files.snapshot, '--battles', files.export]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Export: ${WINNERS.length} votes read, ${korean.length} selected by the view`);
    expect(ok.stdout).toMatch(/category lang:ko/);
    expect(ok.stdout).not.toMatch(/REFUTED/);

    // A file that does not say its votes' categories cannot confirm a category view, nor refute it: it says why.
    await writeFile(files.bare, `${records.map(({ categories: _, ...r }) => JSON.stringify(r)).join('\n')}\n`);
    const bare = await cli(['ratings', '--verify', files.snapshot, '--battles', files.bare]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/does not say its categories/);

    // An English vote filed as Korean in the export: the count, the hash and the numbers are refuted.
    const moved = records.map((r) => (r.categories?.includes('lang:ko') ? r : { ...r, categories: ['lang:ko'] }));
    await writeFile(files.moved, `${moved.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const refuted = await cli(['ratings', '--verify', files.snapshot, '--battles', files.moved]);
    expect(refuted.code).toBe(1);
    expect(refuted.stdout).toMatch(new RegExp(`^REFUTED {4}votes: snapshot ${korean.length}, recomputed ${WINNERS.length}$`, 'm'));

    // Another arena importing an export files its votes under the categories the file says.
    const koreanIn = async (file: string) => {
      const other = path.join(dir, `${path.basename(file)}.db`);
      const imported = await cli(['import', 'battles', file, '--db', other]);
      expect(imported.code, imported.stderr).toBe(0);
      const db = new Database(other, { readonly: true });
      const count = db.prepare("SELECT count(*) AS n FROM vote_categories WHERE category = 'lang:ko'").get() as { n: number };
      db.close();
      return count.n;
    };
    expect(await koreanIn(files.export)).toBe(korean.length);
    expect(await koreanIn(files.moved)).toBe(WINNERS.length);
  });
});
