/**
 * `arena migrate-db --from sqlite:FILE --to postgres://…` on a real PostgreSQL database: a seeded
 * demo with real imported battles and rows of every awkward kind copies over whole (every row of
 * every table compared, Hangul byte for byte), verifies, keeps its indexes, keys and triggers, and
 * continues its ids; a second copy is refused; a tampered copy fails --verify-only; a value
 * PostgreSQL cannot store stops the copy with nothing committed; the copy is one snapshot of a
 * database that is being written; bad arguments name their flag.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { closePg, openPg } from '../../db/pg/client.ts';
import { copySqliteToPg } from '../../db/pg/copy.ts';
import { pgReader, sqliteReader } from '../../db/pg/readers.ts';
import { openSqliteSource } from '../../db/pg/source.ts';
import { copyPlan } from '../../db/pg/tables.ts';
import { runCli } from '../../server/cli/main.ts';
import { fitsOf, rowCheckedTables, verifyCopy } from '../../server/cli/migrate-db-verify.ts';
import { fitBradleyTerry } from '../../server/ratings/bradley-terry.ts';
import type { BattleCounts } from '../../server/ratings/counts.ts';
import { inputOfCounts } from '../../server/standings/fit-input.ts';
import { maintainedFitInput, PairCountsRepo } from '../../server/standings/pair-counts-repo.ts';
import { useCleanup } from '../support/hooks.ts';
import { pgCatalog } from '../support/schema-catalog.ts';
import { createPgDatabase, skipPostgres } from '../support/services.ts';

const cleanup = useCleanup();
const LLMFAO = '/work/shared/data/llmfao_crowd.jsonl';
const TRICKY = 'tab\there\nnew line, backslash \\ and \\N, CRLF\r\n, quote " \' 😀 한국어: 퀵정렬을 구현해줘';
const DETAILS = '{ "이메일": "관리자@example.com",  "roles":["member"] , "n": 1.5e3 }';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

/** A team's database: the demo (Korean, Japanese, Chinese, English prompts), real imported battles, and one row of each awkward kind. */
async function seededTeam(): Promise<string> {
  const file = path.join(cleanup.tempDir('arena-migrate-db-'), 'arena.db');
  const seeded = await cli('seed', '--demo', '--battles', '300', '--days', '10', '--until', '2026-11-30', '--db', file);
  expect(seeded.code, seeded.stderr).toBe(0);
  const imported = await cli('import', 'battles', LLMFAO, '--db', file);
  expect(imported.code, imported.stderr).toBe(0);
  const db = openDb(file);
  try {
    const model = (db.$client.prepare('SELECT id FROM models ORDER BY id LIMIT 1').pluck().get() as string) ?? 'x';
    db.$client.exec(`
      INSERT INTO users (email, role, password_hash, disabled) VALUES ('admin@example.com', 'admin', NULL, 0), ('관리자@example.com', 'member', 'scrypt$1$2$3$salt$hash', 1);
      INSERT INTO audit_log (actor_id, actor_email, action, target, details) VALUES (NULL, 'cli', 'user.add', 'user:2', '${DETAILS}');
      INSERT INTO battles (id, model_a, model_b, status, voter_id, turns, created_at, updated_at)
        VALUES ('tricky', '${model}', '${model}', 'voted', 'anon:x', 1, 1795879149525.75, 1795879149526);
      INSERT INTO turns (battle_id, turn, prompt) VALUES ('tricky', 1, '${TRICKY.replaceAll("'", "''")}');
      INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, ip, flags, counted, categories, prompt_hash, created_at)
        VALUES ('tricky', 'anon:x', 'tie', '${model}', '${model}', NULL, '["self_identified","too_fast"]', 0, '["lang:ko","코딩"]', 'h-tricky', 1795879149525.75);
      INSERT INTO chats (id, voter_id, model_id, status) VALUES ('c1', 'user:1', '${model}', 'ready');
      INSERT INTO chat_turns (chat_id, turn, prompt, finish_reason, content, tokens_estimated, ttft_ms, total_ms, cost_usd)
        VALUES ('c1', 1, 'x', 'stop', 'answer', 1, 0.1 + 0.2, 1234.5678, 1e-7);
      INSERT INTO chat_feedback (chat_id, turn, rating, flagged, reason) VALUES ('c1', 1, 'down', 1, NULL);
      -- The newest vote deleted: its id must not be handed out again.
      INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('gone', '${model}', '${model}', 'voted', 'anon:x');
      INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b) VALUES ('gone', 'anon:x', 'a', '${model}', '${model}');
      DELETE FROM votes WHERE battle_id = 'gone';
    `);
  } finally {
    db.$client.close();
  }
  return file;
}

/** Every row of every copied table on both sides, in one spelling (booleans as booleans, integers as decimals, JSON as its text). */
async function expectSameRows(file: string, client: pg.ClientBase): Promise<number> {
  const sqlite = new Database(file, { readonly: true });
  let compared = 0;
  try {
    for (const table of copyPlan().filter((t) => t.copy)) {
      const norm = (row: unknown[]) =>
        row.map((v, i) => {
          const kind = table.columns[i]!.kind;
          if (v === null) return null;
          if (kind === 'boolean') return v === true || v === 1n;
          if (kind === 'integer' || kind === 'timestamp') return typeof v === 'number' ? String(Math.trunc(v)) : String(v);
          return v;
        });
      const order = (rows: unknown[][]) => rows.map(norm).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      const columns = table.columns.map((c) => `"${c.name}"`);
      const s = sqlite
        .prepare(`SELECT ${columns.join(', ')} FROM "${table.name}"`)
        .raw()
        .safeIntegers()
        .all() as unknown[][];
      const p = await client.query({
        text: `SELECT ${table.columns.map((c, i) => (c.pgType === 'json' ? `${columns[i]}::text` : columns[i])).join(', ')} FROM "${table.name}"`,
        rowMode: 'array',
      });
      expect(order(p.rows), table.name).toEqual(order(s));
      compared += s.length;
    }
  } finally {
    sqlite.close();
  }
  return compared;
}

describe.skipIf(skipPostgres)('arena migrate-db', () => {
  it('copies a seeded team with real battles whole, verifies it, refuses a second copy and finds a tampered one', async () => {
    const file = await seededTeam();
    const target = cleanup.add(await createPgDatabase());
    const first = await cli('migrate-db', '--from', `sqlite:${file}`, '--to', target.url);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`Copying ${file} to postgres://arena:***@127.0.0.1:5432/${target.name}`);
    expect(first.stdout).not.toContain(':arena@');
    expect(first.stdout).toMatch(/^ {2}votes +\d+ rows/m);
    for (const check of ['rows', 'pair counts', 'prompt counts', 'online Elo', 'Bradley-Terry'])
      expect(first.stdout).toMatch(new RegExp(`^  ${check} +equal`, 'm'));
    expect(first.stdout).toMatch(/Bradley-Terry +equal +\d+ fits, largest difference 0 /);
    expect(first.stdout).toContain('The copy matches the source.\n');

    const db = await openPg(target.url);
    cleanup.defer(() => closePg(db));
    const client = await db.$client.connect();
    cleanup.defer(() => client.release());
    expect(await expectSameRows(file, client)).toBeGreaterThan(10_000);
    const one = async <T>(sql: string, values: unknown[] = []) => (await client.query(sql, values)).rows[0] as T;

    // Spot checks: Hangul and escapes byte for byte, booleans, nulls, JSON as written, floats, cut times.
    const sqlite = new Database(file, { readonly: true });
    cleanup.defer(() => sqlite.close());
    const hangul = (
      sqlite.prepare('SELECT t.battle_id AS id, t.prompt FROM turns t JOIN votes v ON v.battle_id = t.battle_id').all() as Array<{ id: string; prompt: string }>
    ).find((r) => /[가-힣]/.test(r.prompt))!;
    const copied = await one<{ prompt: string }>('SELECT prompt FROM turns WHERE battle_id = $1 AND turn = 1', [hangul.id]);
    expect(Buffer.from(copied.prompt, 'utf8').equals(Buffer.from(hangul.prompt, 'utf8'))).toBe(true);
    expect((await one<{ prompt: string }>("SELECT prompt FROM turns WHERE battle_id = 'tricky'")).prompt).toBe(TRICKY);
    expect(await one("SELECT counted, ip, flags::text, categories, created_at FROM votes WHERE battle_id = 'tricky'")).toEqual({
      counted: false,
      ip: null,
      flags: '["self_identified","too_fast"]',
      categories: ['lang:ko', '코딩'],
      created_at: '1795879149525',
    });
    expect(await one('SELECT details::text AS details FROM audit_log')).toEqual({ details: DETAILS });
    expect(await one("SELECT disabled, password_hash FROM users WHERE email = '관리자@example.com'")).toEqual({
      disabled: true,
      password_hash: 'scrypt$1$2$3$salt$hash',
    });
    expect(await one('SELECT tokens_estimated, ttft_ms, total_ms, cost_usd, error_kind FROM chat_turns')).toEqual({
      tokens_estimated: true,
      ttft_ms: 0.30000000000000004,
      total_ms: 1234.5678,
      cost_usd: 1e-7,
      error_kind: null,
    });
    expect(await one('SELECT count(*)::int AS n FROM chat_feedback WHERE flagged')).toEqual({ n: 1 });

    // The copy has the migrated schema's indexes and keys (set aside for the load, rebuilt after it).
    const fresh = cleanup.add(await createPgDatabase());
    const freshDb = await openPg(fresh.url);
    cleanup.defer(() => closePg(freshDb));
    const freshClient = await freshDb.$client.connect();
    cleanup.defer(() => freshClient.release());
    expect(await pgCatalog(client)).toEqual(await pgCatalog(freshClient));

    // Ids continue past the deleted newest vote; the counts triggers are on again.
    const seq = sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'votes'").pluck().get() as number;
    const maxId = sqlite.prepare('SELECT max(id) FROM votes').pluck().get() as number;
    expect(seq).toBeGreaterThan(maxId);
    expect(await one('SELECT id, deferred FROM counts_maintenance')).toEqual({ id: 1, deferred: 0 });
    const cell = await one<{ n: number }>(
      "SELECT n FROM pair_counts WHERE category = 'all' AND model_a = 'demo-sage' AND model_b = 'demo-brisk' AND winner = 'a'",
    );
    await client.query("INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('tricky-2', 'demo-sage', 'demo-brisk', 'voted', 'anon:y')");
    const vote = await one<{ id: string }>(
      "INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b) VALUES ('tricky-2', 'anon:y', 'a', 'demo-sage', 'demo-brisk') RETURNING id",
    );
    expect(Number(vote.id)).toBe(seq + 1);
    expect(
      (await one<{ n: number }>("SELECT n FROM pair_counts WHERE category = 'all' AND model_a = 'demo-sage' AND model_b = 'demo-brisk' AND winner = 'a'")).n,
    ).toBe((cell?.n ?? 0) + 1);
    // The foreign keys set aside for the load are back: a vote of no battle is refused.
    await expect(
      client.query("INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b) VALUES ('no-such-battle', 'anon:y', 'a', 'demo-sage', 'demo-brisk')"),
    ).rejects.toThrow(/violates foreign key constraint "votes_battle_id_battles_id_fk"/);
    await client.query("DELETE FROM votes WHERE battle_id = 'tricky-2'");
    await client.query("DELETE FROM battles WHERE id = 'tricky-2'");

    // A second copy into the same database is refused, and leaves it as it was.
    const votes = await one<{ n: string }>('SELECT count(*) AS n FROM votes');
    const again = await cli('migrate-db', '--from', `sqlite:${file}`, '--to', target.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^arena migrate-db: refusing to copy into --to postgres:\/\/arena:\*\*\*@.+: the target already holds arena data \((vote_categories|votes|battles): \d+ rows, .+, and \d+ more tables\)\. Copy into an empty database/,
    );
    expect(await one('SELECT count(*) AS n FROM votes')).toEqual(votes);

    // --verify-only: the copy as it is matches; a tampered vote, rating and turn are found.
    expect((await cli('migrate-db', '--verify-only', '--from', `sqlite:${file}`, '--to', target.url)).code).toBe(0);
    await client.query("UPDATE votes SET winner = 'b' WHERE id = (SELECT min(id) FROM votes WHERE counted AND winner = 'a' AND model_a != model_b)");
    await client.query('UPDATE ratings SET rating = rating + 0.5 WHERE model_id = (SELECT min(model_id) FROM ratings)');
    await client.query("DELETE FROM turns WHERE battle_id = 'tricky'");
    const tampered = await cli('migrate-db', '--verify-only', '--from', `sqlite:${file}`, '--to', target.url);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).not.toContain('Copying');
    expect(tampered.stdout).toMatch(/^ {2}rows +DIFFER .*\n {6}turns: \d+ in the source, \d+ in the copy$/m);
    expect(tampered.stdout).toMatch(/^ {2}pair counts +DIFFER/m);
    expect(tampered.stdout).toMatch(/^ {2}online Elo +DIFFER/m);
    expect(tampered.stdout).toMatch(/^ {2}Bradley-Terry +DIFFER/m);
    expect(tampered.stdout).toMatch(/^ {2}prompt counts +equal/m);
    expect(tampered.stderr).toBe('arena migrate-db: the copy differs from the source (rows, pair counts, online Elo, Bradley-Terry).\n');
  });

  it('stops on a value PostgreSQL cannot store, with nothing committed', async () => {
    const file = path.join(cleanup.tempDir('arena-migrate-db-nul-'), 'arena.db');
    const db = openDb(file);
    db.$client.exec(`
      INSERT INTO models (id, name, provider, settings, source) VALUES ('m1', 'M1', 'demo', '{}', 'demo');
      INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('b1', 'm1', 'm1', 'voted', 'anon:v');
      INSERT INTO turns (battle_id, turn, prompt) VALUES ('b1', 1, 'before' || char(0) || 'after');
    `);
    db.$client.close();
    const target = cleanup.add(await createPgDatabase());
    const result = await cli('migrate-db', '--from', `sqlite:${file}`, '--to', target.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'arena migrate-db: the copy stopped and nothing was committed: turns.prompt of row 1 holds a NUL character, which PostgreSQL text cannot store: "before\\u0000after"\n',
    );
    const pgDb = await openPg(target.url);
    cleanup.defer(() => closePg(pgDb));
    expect((await pgDb.$client.query('SELECT (SELECT count(*) FROM models) + (SELECT count(*) FROM battles) AS n')).rows).toEqual([{ n: '0' }]);
  });

  it('copies one snapshot of a database the server goes on writing', async () => {
    const file = await seededTeam();
    const target = cleanup.add(await createPgDatabase());
    const writer = openDb(file);
    cleanup.defer(() => writer.$client.close());
    const source = openSqliteSource(file);
    cleanup.defer(() => source.close());
    const db = await openPg(target.url);
    cleanup.defer(() => closePg(db));
    const before = writer.$client.prepare('SELECT count(*) FROM votes').pluck().get() as number;
    // While the copy runs, a vote is recorded (WAL: the writer does not wait for the reader).
    const report = await copySqliteToPg(source, db, {
      onTable: ({ table }) => {
        if (table !== 'battles') return;
        writer.$client.exec(`
          INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('late', 'demo-sage', 'demo-brisk', 'voted', 'anon:late');
          INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b) VALUES ('late', 'anon:late', 'a', 'demo-sage', 'demo-brisk');
        `);
      },
    });
    expect(report.tables.find((t) => t.table === 'votes')!.rows).toBe(before);
    const checks = await verifyCopy(sqliteReader(source.sqlite), pgReader(db), { tables: rowCheckedTables(), dedupTopShare: 0.05 });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    // The fits compared are the server's: its live fit's input from the maintained counts (here with
    // frequent prompts down-weighted), and a category's.
    const reader = sqliteReader(source.sqlite);
    const fits = await fitsOf(reader, await reader.pairCounts(), await reader.promptCounts(), 0.05);
    const repo = new PairCountsRepo(source.sqlite);
    const live = maintainedFitInput(repo, 'all', 0.05);
    expect(live.dedup?.weighted).toBeTruthy();
    const expectFit = (name: string, counts: BattleCounts) => {
      const fit = fitBradleyTerry(counts);
      expect([...fits.get(name)!.keys()].sort()).toEqual([...counts.models].sort());
      counts.models.forEach((m, i) => expect(Math.abs(fits.get(name)!.get(m)! - fit.ratings[i]!), `${name} / ${m}`).toBeLessThanOrEqual(1e-9));
    };
    expectFit('all (deduplicated)', live.dedup!.weighted!);
    expectFit('lang:ko', inputOfCounts(repo.tallies('lang:ko'), null).all);
    // A later verification reads the database as it is now: the new vote is not in the copy.
    const later = await cli('migrate-db', '--verify-only', '--from', `sqlite:${file}`, '--to', target.url);
    expect(later.code).toBe(1);
    expect(later.stdout).toMatch(new RegExp(`votes: ${before + 1} in the source, ${before} in the copy`));
  });

  it('names the flag of a bad argument (exit 2) and explains a source or server it cannot use (exit 1)', async () => {
    const usage = (r: { code: number; stderr: string }, problem: RegExp) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(problem);
      expect(r.stderr).toContain('Usage: arena migrate-db --from sqlite:PATH');
    };
    usage(await cli('migrate-db', '--to', 'postgres://x/y'), /^arena migrate-db: --from is required/);
    usage(
      await cli('migrate-db', '--from', './data/arena.db', '--to', 'postgres://x/y'),
      /^arena migrate-db: --from must be sqlite:PATH .*not "\.\/data\/arena\.db"/,
    );
    usage(await cli('migrate-db', '--from', 'sqlite:a.db'), /^arena migrate-db: --to is required/);
    usage(
      await cli('migrate-db', '--from', 'sqlite:a.db', '--to', 'mysql://root@db/arena'),
      /^arena migrate-db: --to must be a postgres:\/\/ or postgresql:\/\/ URL, not mysql:/,
    );
    usage(await cli('migrate-db', '--from', 'sqlite:a.db', '--to', 'postgres://arena:p@ss@word@host:port/x'), /^arena migrate-db: --to is not a valid URL/);
    usage(await cli('migrate-db', '--from', 'sqlite:a.db', '--to', 'postgres://h/x', '--force'), /^arena migrate-db: Unknown option '--force'/);
    expect((await cli('migrate-db', '--help')).stdout).toContain('--verify-only');
    expect((await cli('--help')).stdout).toMatch(/^ {2}migrate-db +migrate-db --from sqlite:FILE --to postgres:/m);

    const dir = cleanup.tempDir('arena-migrate-db-args-');
    const missing = await cli('migrate-db', '--from', `sqlite:${dir}/none.db`, '--to', 'postgres://arena@127.0.0.1:5432/x');
    expect(missing).toMatchObject({ code: 1, stderr: `arena migrate-db: --from: no database at ${dir}/none.db\n` });
    const plain = path.join(dir, 'plain.db');
    new Database(plain).exec('CREATE TABLE t (x)');
    expect((await cli('migrate-db', '--from', `sqlite:${plain}`, '--to', 'postgres://arena@127.0.0.1:5432/x')).stderr).toBe(
      `arena migrate-db: --from: ${plain} is not an arena database (it has no migrations table)\n`,
    );
    const arena = path.join(dir, 'arena.db');
    openDb(arena).$client.close();
    const refused = await cli('migrate-db', '--from', `sqlite:${arena}`, '--to', 'postgres://arena:secret@127.0.0.1:1/arena');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^arena migrate-db: cannot open --to postgres:\/\/arena:\*\*\*@127\.0\.0\.1:1\/arena: .*ECONNREFUSED/);
  });
});
