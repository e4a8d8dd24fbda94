/**
 * `arena import battles` and `arena export battles`: real files, real SQLite, the real ratings
 * CLI to compare against, and a real server started on the imported database.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BtLeaderboard, Leaderboard } from '../../protocol/types.ts';
import { runCli } from '../../server/cli/main.ts';
import { runRatingsCli } from '../../server/cli/ratings.ts';
import { parseBattles } from '../../server/interop/battle-file.ts';
import { importedModelId } from '../../server/interop/import-battles.ts';
import { fitBt } from '../../server/standings/bt-fit.ts';
import { readBtSnapshot } from '../../server/standings/ratings-repo.ts';
import { useTempDir } from '../support/hooks.ts';
import { query } from '../support/read-db.ts';
import { playBattle, startTestServer } from '../support/test-server.ts';

const GENAI = '/work/shared/data/genai_arena_t2i_20240220.jsonl';
const LLMFAO = '/work/shared/data/llmfao_crowd.jsonl';

type Io = Parameters<typeof runCli>[1];
async function run(argv: string[], entry: (argv: string[], io: Io) => Promise<number> = runCli) {
  let stdout = '';
  let stderr = '';
  const code = await entry(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

interface RatingsJson {
  battles: number;
  models: Array<{ model: string; rating: number; ci: { lower: number; upper: number } | null; battles: number; elo: number | null }>;
}
async function ratingsOf(file: string, ...extra: string[]): Promise<RatingsJson> {
  const result = await run(['--battles', file, '--format', 'json', ...extra], runRatingsCli);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RatingsJson;
}

const tableCounts = (dbFile: string) =>
  Object.fromEntries(
    ['models', 'battles', 'turns', 'answers', 'votes', 'ratings'].map((t) => [t, query<{ n: number }>(dbFile, `SELECT count(*) AS n FROM ${t}`)[0]!.n]),
  );
const storedRatings = (dbFile: string) =>
  new Map(query<{ model_id: string; rating: number; games: number }>(dbFile, 'SELECT model_id, rating, games FROM ratings').map((r) => [r.model_id, r]));

const dir = useTempDir('cli-import-');

describe('arena import battles', () => {
  it('imports GenAI-Arena idempotently, with the online Elo the ratings CLI computes', async () => {
    const db = path.join(dir, 'genai.db');
    const first = await run(['import', 'battles', GENAI, '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Imported 1977 of 1978 battles .*\(526 named, kept but not counted\)/);
    expect(first.stdout).toMatch(/already present: 0/);
    expect(first.stdout).toMatch(/skipped self-battles: 1/);
    expect(first.stdout).toMatch(/new models: 6 /);
    const after = tableCounts(db);
    expect(after).toMatchObject({ models: 6, battles: 1977, votes: 1977, turns: 0, answers: 0, ratings: 6 });

    const again = await run(['import', 'battles', GENAI, '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Imported 0 of 1978 battles/);
    expect(again.stdout).toMatch(/already present: 1977/);
    expect(tableCounts(db)).toEqual(after);

    // Online Elo over the anonymous battles in time order (the file is sorted by tstamp) = the ratings CLI's.
    const cli = await ratingsOf(GENAI, '--method', 'elo');
    const stored = storedRatings(db);
    expect(stored.size).toBe(cli.models.length);
    for (const m of cli.models) {
      expect(stored.get(m.model)!.rating).toBeCloseTo(m.rating, 9);
      expect(stored.get(m.model)!.games).toBe(m.battles);
    }
    // The server's Bradley-Terry standings on these votes are the CLI's, intervals included (same seed).
    const sqlite = new Database(db, { readonly: true });
    const fit = fitBt(readBtSnapshot(sqlite), { bootstrap: 100, seed: 1 });
    sqlite.close();
    const bt = await ratingsOf(GENAI);
    expect(fit.models.map((m) => m.id)).toEqual(bt.models.map((m) => m.model));
    fit.models.forEach((m, i) => {
      expect(m.rating).toBeCloseTo(bt.models[i]!.rating, 1);
      expect(m.ci!.lower).toBeCloseTo(bt.models[i]!.ci!.lower, 1);
      expect(m.ci!.upper).toBeCloseTo(bt.models[i]!.ci!.upper, 1);
    });

    // Imported models are disabled registry entries: never drawn, nothing secret in their settings.
    const models = query<{ provider: string; source: string; enabled: number; settings: string }>(db, 'SELECT * FROM models');
    for (const m of models) {
      expect(m).toMatchObject({ provider: 'openai', source: 'admin', enabled: 0 });
      expect(Object.keys(JSON.parse(m.settings)).sort()).toEqual(['enabled', 'id', 'model', 'name', 'provider', 'weight']);
    }
    const votes = query<{ voter_id: string; flags: string; counted: number }>(db, 'SELECT voter_id, flags, counted FROM votes');
    expect(votes.filter((v) => v.counted === 0).every((v) => v.flags === '["named"]')).toBe(true);
    expect(new Set(votes.map((v) => v.voter_id))).toEqual(new Set(['import:unknown']));
  });

  it('maps names that are not model ids to stable slugs and exports them under their own names', async () => {
    const db = path.join(dir, 'llmfao.db');
    expect((await run(['import', 'battles', LLMFAO, '--db', db])).code).toBe(0);
    expect(importedModelId('GPT 3.5 Turbo')).toMatch(/^GPT-3\.5-Turbo-[0-9a-f]{8}$/);
    expect(importedModelId('gpt-4-0613')).toBe('gpt-4-0613');
    const names = query<{ id: string; name: string }>(db, 'SELECT id, name FROM models');
    expect(names).toHaveLength(59);
    expect(names).toContainEqual({ id: importedModelId('LLaMA-2-Chat (7B)'), name: 'LLaMA-2-Chat (7B)' });

    // No tstamp: every row gets the import time, and insertion order keeps the file order.
    const out = path.join(dir, 'llmfao-export.jsonl');
    expect((await run(['export', 'battles', '--db', db, '--out', out])).code).toBe(0);
    const original = await ratingsOf(LLMFAO);
    const exported = await ratingsOf(out);
    expect(exported).toEqual(original);
  });

  it('stores conversations as turns and answers, hashes judges, and refuses a bad file as a whole', async () => {
    const file = path.join(dir, 'conversations.jsonl');
    const conversation = (who: string) => [
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: `${who}: 4` },
      { role: 'user', content: 'And 3+3?' },
      { role: 'assistant', content: `${who}: 6` },
    ];
    const rows = [
      {
        model_a: 'alpha-1',
        model_b: 'beta-2',
        winner: 'model_a',
        tstamp: 1_700_000_000.5,
        judge: 'alice@example.com',
        turn: 2,
        anony: true,
        language: 'English',
        conversation_a: conversation('A'),
        conversation_b: conversation('B'),
      },
      { model_a: 'beta-2', model_b: 'alpha-1', winner: 'tie', tstamp: 1_700_000_100, judge: 'bob', anony: true },
    ];
    await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const db = path.join(dir, 'conversations.db');
    expect((await run(['import', 'battles', file, '--db', db])).code).toBe(0);
    expect(tableCounts(db)).toMatchObject({ battles: 2, turns: 2, answers: 4, votes: 2 });
    const voters = query<{ voter_id: string }>(db, 'SELECT voter_id FROM votes ORDER BY created_at').map((v) => v.voter_id);
    expect(voters.every((v) => /^import:[0-9a-f]{16}$/.test(v))).toBe(true);
    const raw = await readFile(db);
    expect(raw.includes('alice@example.com')).toBe(false);

    const plain = await run(['export', 'battles', '--db', db]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/Exported 2 battles/);
    const exported = parseBattles(plain.stdout).battles;
    expect(exported[0]).toMatchObject({ model_a: 'alpha-1', model_b: 'beta-2', winner: 'model_a', tstamp: 1_700_000_000.5, turn: 2, anony: true });
    expect(exported[0]!.conversation_a).toEqual(rows[0]!.conversation_a);
    expect(exported[0]!.conversation_b).toEqual(rows[0]!.conversation_b);
    expect(exported[0]).not.toHaveProperty('judge');
    expect(exported[1]).not.toHaveProperty('conversation_a');
    const withVoters = parseBattles((await run(['export', 'battles', '--db', db, '--include-voters'])).stdout).battles;
    expect(withVoters.map((b) => b.judge)).toEqual(voters);

    // One bad line: nothing is imported; with --skip-invalid the rest is.
    const bad = path.join(dir, 'bad.jsonl');
    await writeFile(
      bad,
      [JSON.stringify({ model_a: 'x-1', model_b: 'y-1', winner: 'model_a' }), '{"model_a":"x-1","model_b":"y-1","winner":"left"}'].join('\n'),
    );
    const fresh = path.join(dir, 'bad.db');
    const refused = await run(['import', 'battles', bad, '--db', fresh]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 2: winner: must be one of/);
    expect(refused.stderr).toMatch(/nothing imported/);
    expect(tableCounts(fresh)).toMatchObject({ battles: 0, votes: 0, models: 0 });
    const skipped = await run(['import', 'battles', bad, '--db', fresh, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/skipped invalid: 1/);
    expect(tableCounts(fresh)).toMatchObject({ battles: 1, votes: 1 });
  });

  it('explains usage errors', async () => {
    expect((await run(['import'])).code).toBe(2);
    expect((await run(['import', 'votes', GENAI])).code).toBe(2);
    expect((await run(['export', 'everything'])).code).toBe(2);
    const missing = await run(['export', 'battles', '--db', path.join(dir, 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no database/);
    const noFile = await run(['import', 'battles', path.join(dir, 'nope.jsonl'), '--db', path.join(dir, 'x.db')]);
    expect(noFile.code).toBe(1);
    expect((await run(['--help'])).stdout).toMatch(/import .*\n.*export/);
  });

  it('imports 100,000 battles in one transaction, fast, and adds nothing the second time', async () => {
    const file = path.join(dir, 'big.jsonl');
    let text = '';
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const outcomes = ['model_a', 'model_b', 'tie', 'tie (bothbad)'];
    for (let k = 0; k < 100_000; k++) {
      const a = Math.floor(random() * 40);
      const b = (a + 1 + Math.floor(random() * 39)) % 40;
      text += `${JSON.stringify({ model_a: `m${a}`, model_b: `m${b}`, winner: outcomes[Math.floor(random() * 4)], tstamp: 1.7e9 + k / 2, judge: `user${k % 500}` })}\n`;
    }
    await writeFile(file, text);
    const db = path.join(dir, 'big.db');
    let started = performance.now();
    const first = await run(['import', 'battles', file, '--db', db]);
    const firstMs = performance.now() - started;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Imported 100000 of 100000/);
    started = performance.now();
    const second = await run(['import', 'battles', file, '--db', db]);
    const secondMs = performance.now() - started;
    expect(second.stdout).toMatch(/already present: 100000/);
    expect(tableCounts(db)).toMatchObject({ battles: 100_000, votes: 100_000, models: 40 });
    console.log(`import of 100,000 battles: ${firstMs.toFixed(0)} ms; again (nothing new): ${secondMs.toFixed(0)} ms`);
    expect(firstMs).toBeLessThan(30_000);
  });
});

describe('arena export battles: round trips', () => {
  it('export → ratings CLI = the original file; export → import into a fresh database = the same ratings', async () => {
    const db = path.join(dir, 'round.db');
    expect((await run(['import', 'battles', GENAI, '--db', db])).code).toBe(0);
    const out = path.join(dir, 'round.jsonl');
    const exported = await run(['export', 'battles', '--db', db, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/Exported 1451 battles/);

    const original = await ratingsOf(GENAI);
    const roundTrip = await ratingsOf(out);
    expect(roundTrip.battles).toBe(original.battles);
    expect(roundTrip.models).toEqual(original.models);

    // Flagged (named) votes only when asked, marked as such.
    const flagged = path.join(dir, 'round-flagged.jsonl');
    expect((await run(['export', 'battles', '--db', db, '--out', flagged, '--include-flagged'])).code).toBe(0);
    const all = parseBattles(await readFile(flagged, 'utf8')).battles;
    expect(all).toHaveLength(1977);
    expect(all.filter((b) => b.anony === false)).toHaveLength(526);
    expect(all.find((b) => b.anony === false)).toMatchObject({ flags: ['named'] });
    expect((await ratingsOf(flagged, '--include-named')).battles).toBe(1977);

    // Into a fresh database: the same stored Elo; into the same database: nothing new.
    const fresh = path.join(dir, 'round-fresh.db');
    expect((await run(['import', 'battles', flagged, '--db', fresh])).code).toBe(0);
    const a = storedRatings(db);
    const b = storedRatings(fresh);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [id, row] of a) {
      expect(b.get(id)!.rating).toBeCloseTo(row.rating, 9);
      expect(b.get(id)!.games).toBe(row.games);
    }
    const back = await run(['import', 'battles', flagged, '--db', db]);
    expect(back.stdout).toMatch(/Imported 0 of 1977 battles/);
    expect(back.stdout).toMatch(/already present: 1977/);
  });

  it('a live arena: votes and imported history in one leaderboard; imported models are never drawn', async () => {
    const server = await startTestServer();
    try {
      const socket = await server.connect();
      for (const winner of ['a', 'tie', 'b'] as const) {
        const battleId = await playBattle(socket, `live question ${winner}`);
        expect((await socket.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
      }
      await server.close();

      // History for one configured model (same id) and for models the arena does not serve.
      const history = path.join(server.dir, 'history.jsonl');
      const lines = Array.from({ length: 30 }, (_, i) => ({
        model_a: i % 2 ? 'model-alpha' : 'Old Model (13B)',
        model_b: i % 3 ? 'legacy-7b' : 'model-alpha',
        winner: ['model_a', 'model_b', 'tie'][i % 3],
        tstamp: 1_600_000_000 + i,
      })).filter((b) => b.model_a !== b.model_b);
      await writeFile(history, lines.map((l) => JSON.stringify(l)).join('\n'));
      const imported = await run(['import', 'battles', history, '--db', server.dbFile]);
      expect(imported.code, imported.stderr).toBe(0);

      // The live votes go out with the arena's ids; the export ranks like the database.
      const out = path.join(server.dir, 'all.jsonl');
      expect((await run(['export', 'battles', '--db', server.dbFile, '--out', out])).code).toBe(0);
      expect((await ratingsOf(out)).battles).toBe(lines.length + 3);

      const again = await startTestServer({ dir: server.dir });
      try {
        const elo = (await (await fetch(`${again.url}/api/leaderboard`)).json()) as Leaderboard;
        expect(elo.models.map((m) => m.id)).toEqual(expect.arrayContaining(['legacy-7b', importedModelId('Old Model (13B)'), 'model-alpha']));
        expect(elo.models.find((m) => m.id === importedModelId('Old Model (13B)'))).toMatchObject({ name: 'Old Model (13B)', demo: false });
        const stored = storedRatings(again.dbFile);
        for (const m of elo.models) if (m.games > 0) expect(m.rating).toBeCloseTo(Math.round(stored.get(m.id)!.rating * 100) / 100, 6);
        const bt = (await (await fetch(`${again.url}/api/leaderboard?method=bt`)).json()) as BtLeaderboard;
        expect(bt.votes).toBe(lines.length + 3);

        const served = ((await (await fetch(`${again.url}/api/models`)).json()) as { models: Array<{ id: string }> }).models.map((m) => m.id);
        expect(served.sort()).toEqual(['model-alpha', 'model-bravo', 'model-charlie']);
        const socket2 = await again.connect();
        for (let i = 0; i < 15; i++) await playBattle(socket2, `draw ${i}`);
        const drawn = query<{ model_a: string; model_b: string }>(again.dbFile, "SELECT model_a, model_b FROM battles WHERE id NOT LIKE 'imp-%'");
        expect(new Set(drawn.flatMap((b) => [b.model_a, b.model_b]))).toEqual(new Set(['model-alpha', 'model-bravo', 'model-charlie']));
      } finally {
        await again.stop();
      }
    } finally {
      await server.stop();
    }
  });

  it('the bin script streams an export to stdout', async () => {
    const db = path.join(dir, 'bin.db');
    expect((await run(['import', 'battles', GENAI, '--db', db])).code).toBe(0);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/arena.js', 'export', 'battles', '--db', db], { maxBuffer: 64 << 20 });
    expect(stdout.trim().split('\n')).toHaveLength(1451);
    expect(stderr).toMatch(/Exported 1451 battles/);
  });
});
