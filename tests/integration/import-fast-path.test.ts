/**
 * `arena import battles` into a database without battles takes its fast path (indexes and vote
 * triggers set aside and recreated, the rollback journal, the Elo from the votes in memory); into
 * any other, the row-by-row one. Both must leave exactly the same rows and the same schema: every
 * table compared row by row, the counts against their recount, the ratings against the recompute
 * from the votes, and a failed import against the database it started from.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, openReadOnly, type Sqlite } from '../../db/client.ts';
import { BattleFileError } from '../../server/interop/battle-record.ts';
import { importBattleFile } from '../../server/interop/import-battles.ts';
import { countDifferences, PairCountsRepo } from '../../server/standings/pair-counts-repo.ts';
import { RatingsRepo } from '../../server/standings/ratings-repo.ts';
import { useTempDir } from '../support/hooks.ts';

const dir = useTempDir('import-fast-');
const NOW = 1_790_000_000_000;
const open: Sqlite[] = [];
afterEach(() => {
  for (const sqlite of open.splice(0)) sqlite.close();
});

function connect(name: string): Sqlite {
  // As the CLI opens it.
  const sqlite = openDb(path.join(dir, name), { synchronous: 'full', bulkWrite: true }).$client;
  open.push(sqlite);
  return sqlite;
}

/** The statements a connection executes (to see which path an import took). */
function recordExec(sqlite: Sqlite): string[] {
  const seen: string[] = [];
  const exec = sqlite.exec.bind(sqlite);
  sqlite.exec = (sql: string) => {
    seen.push(sql);
    return exec(sql);
  };
  return seen;
}

const importInto = (sqlite: Sqlite, file: string) => importBattleFile(sqlite, file, { skipInvalid: false, eloK: 4, now: () => NOW });

/** A file of every kind of line: Korean conversations, repeats, other key orders, named battles, hints, categories, ids of earlier battles. */
function mixedLines(seed: number, count: number): string[] {
  let state = seed;
  const pick = <T>(list: readonly T[]): T => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return list[(state >>> 12) % list.length]!;
  };
  const models = ['gpt-4-0613', 'claude-2', 'GPT 3.5 Turbo', '한국어 모델', 'mistral 7b'];
  const prompts = ['서울의 날씨는 어때요?', 'What is 12 + 5?', 'def f(x):\n  return x\nclass A:\n  pass\nimport os', '한국어로 긴 글을 써 주세요. '.repeat(40)];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = pick(models);
    const r: Record<string, unknown> = {
      model_a: a,
      model_b: pick(models.filter((m) => m !== a)),
      winner: pick(['model_a', 'model_b', 'tie', 'tie (bothbad)']),
    };
    if (pick([true, true, false])) r.judge = `judge_${pick([1, 2, 3, 4, 5, 6])}`;
    r.anony = pick([true, true, true, false]);
    // Repeated times, and a few lines without one (the import's clock).
    if (pick([true, true, true, true, false])) r.tstamp = 1_700_000_000 + pick([0, 1.5, 2, 3, 3.25, 9, 10]);
    const kind = pick(['conversation', 'hints', 'tags', 'categories', 'plain']);
    if (kind === 'conversation') {
      const turns = pick([1, 2]);
      const side = (s: string) =>
        Array.from({ length: turns }, (_, t) => [
          { role: pick(['user', 'human']), content: pick(prompts) },
          { role: 'assistant', content: pick([`답변 ${s}${t} 😀`, [{ type: 'text', text: `그림 ${s}` }, 'part']]) },
        ]).flat();
      r.conversation_a = side('a');
      r.conversation_b = side('b');
    } else if (kind === 'hints') {
      r.language = pick(['Korean', 'English', 'ko', 'zh-CN', 'unknown']);
      r.turn = pick([1, 2]);
      r.is_code = pick([true, false]);
    } else if (kind === 'tags') {
      r.category_tag = { 'math_v0.1': { math: pick([true, false]) } };
      r.category = pick(['코딩', 'writing']);
    } else if (kind === 'categories') {
      r.categories = pick([['lang:ko', 'coding'], ['not a category!']]);
    }
    const line = JSON.stringify(r);
    lines.push(line);
    if (pick([false, false, false, false, false, true])) lines.push(line);
    if (pick([false, false, false, false, false, false, false, true])) lines.push(JSON.stringify(Object.fromEntries(Object.entries(r).reverse())));
  }
  return lines;
}

async function writeLines(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** The schema as sqlite_master states it (what set-aside indexes and triggers must come back as). */
const schemaOf = (sqlite: Sqlite) => sqlite.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();

/** Every table's rows in storage order (a WITHOUT ROWID table's by its key); the SQLite clock's column defaults of models set apart. */
function rowsOf(sqlite: Sqlite): Record<string, unknown[]> {
  const tables = sqlite
    .prepare(
      "SELECT name, sql LIKE '%WITHOUT ROWID%' AS clustered FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as Array<{ name: string; clustered: number }>;
  const out: Record<string, unknown[]> = {};
  for (const { name, clustered } of tables) {
    const columns = sqlite.prepare(`SELECT name FROM pragma_table_info('${name}')`).pluck().all() as string[];
    const kept = name === 'models' ? columns.filter((c) => c !== 'created_at' && c !== 'updated_at') : columns;
    const list = kept.map((c) => `"${c}"`).join(', ');
    out[name] = sqlite
      .prepare(`SELECT ${list} FROM "${name}" ORDER BY ${clustered ? list : 'rowid'}`)
      .raw()
      .all();
  }
  out.sqlite_sequence = sqlite.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').raw().all();
  return out;
}

/** The maintained counts equal their recount, and the stored Elo the recompute from every public vote. */
function expectProjectionsOfTheVotes(sqlite: Sqlite): void {
  const counts = new PairCountsRepo(sqlite);
  expect(countDifferences(counts.maintained(), counts.recount())).toEqual([]);
  expect(counts.maintainedPrompts()).toEqual(counts.recountPrompts());
  const stored = sqlite.prepare('SELECT * FROM ratings ORDER BY rowid').raw().all();
  sqlite.exec('BEGIN');
  new RatingsRepo(sqlite, () => NOW).recompute(4);
  const recomputed = sqlite.prepare('SELECT * FROM ratings ORDER BY rowid').raw().all();
  sqlite.exec('ROLLBACK');
  expect(stored).toEqual(recomputed);
}

describe('arena import battles: the fast path into an empty database', () => {
  it('stores exactly what the row-by-row path stores, with the same schema; a re-import adds nothing', async () => {
    const file = await writeLines('mixed.jsonl', mixedLines(7, 1_500));

    const fast = connect('fast.db');
    const pristine = schemaOf(fast);
    const fastExec = recordExec(fast);
    const fastSummary = await importInto(fast, file);
    expect(fastExec.some((sql) => sql.startsWith('DROP INDEX'))).toBe(true);
    expect(fast.pragma('journal_mode', { simple: true })).toBe('wal');

    // The same file into a database holding one battle (removed after): the row-by-row path.
    const slow = connect('slow.db');
    slow.exec(`INSERT INTO models (id, name, provider, settings, source, enabled) VALUES ('placeholder-a', 'a', 'demo', '{}', 'demo', 0), ('placeholder-b', 'b', 'demo', '{}', 'demo', 0);
      INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('placeholder', 'placeholder-a', 'placeholder-b', 'failed', 'nobody')`);
    const slowExec = recordExec(slow);
    const slowSummary = await importInto(slow, file);
    expect(slowExec.some((sql) => sql.startsWith('DROP'))).toBe(false);
    slow.exec("DELETE FROM battles WHERE id = 'placeholder'; DELETE FROM models WHERE id LIKE 'placeholder-%'");

    expect(fastSummary).toEqual(slowSummary);
    expect(fastSummary.imported).toBeGreaterThan(1_500);
    expect(fastSummary.named).toBeGreaterThan(0);
    expect(schemaOf(fast)).toEqual(pristine);
    expect(schemaOf(slow)).toEqual(pristine);
    const fastRows = rowsOf(fast);
    expect(fastRows.turns!.length).toBeGreaterThan(0);
    expect(fastRows.vote_categories!.length).toBeGreaterThan(fastSummary.imported);
    expect(fastRows).toEqual(rowsOf(slow));
    expectProjectionsOfTheVotes(fast);

    const again = await importInto(fast, file);
    expect(again).toMatchObject({ imported: 0, alreadyPresent: fastSummary.imported, countedVotes: null });
    expect(rowsOf(fast)).toEqual(fastRows);
  });

  it('reads earlier battles named by question_id during the load (their index restored first)', async () => {
    const first = mixedLines(3, 200);
    const sqlite = connect('export.db');
    const lines = [...first];
    // An exported row: its question_id is the battle id it had; the same vote again is already present.
    const head = JSON.parse(first[0]!) as Record<string, unknown>;
    const exported = await writeLines('head.jsonl', [first[0]!]);
    const probe = connect('probe.db');
    await importInto(probe, exported);
    const id = probe.prepare('SELECT battle_id FROM votes').pluck().get() as string;
    lines.push(JSON.stringify({ ...head, question_id: id, judge: 'someone else' }));
    const summary = await importInto(sqlite, await writeLines('with-export.jsonl', lines));
    expect(summary.alreadyPresent).toBe(1);
    expect(schemaOf(sqlite)).toEqual(schemaOf(probe));
    expectProjectionsOfTheVotes(sqlite);
  });

  it('into a database with votes: counts added to the maintained ones, Elo recomputed from all of them', async () => {
    const sqlite = connect('twice.db');
    await importInto(sqlite, await writeLines('one.jsonl', mixedLines(1, 400)));
    const summary = await importInto(sqlite, await writeLines('two.jsonl', mixedLines(2, 400)));
    expect(summary.imported).toBeGreaterThan(0);
    expectProjectionsOfTheVotes(sqlite);
    const pristine = schemaOf(connect('pristine.db'));
    expect(schemaOf(sqlite)).toEqual(pristine);
  });

  it('with another connection on the file: the WAL stays, the rows are the same', async () => {
    const file = await writeLines('shared.jsonl', mixedLines(9, 300));
    const alone = connect('alone.db');
    await importInto(alone, file);
    const shared = connect('shared.db');
    const reader = openReadOnly(path.join(dir, 'shared.db'));
    try {
      reader.prepare('SELECT count(*) FROM battles').get();
      await importInto(shared, file);
      expect(shared.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(reader.prepare('SELECT count(*) FROM votes').pluck().get()).toBe(alone.prepare('SELECT count(*) FROM votes').pluck().get());
    } finally {
      reader.close();
    }
    expect(rowsOf(shared)).toEqual(rowsOf(alone));
    expect(schemaOf(shared)).toEqual(schemaOf(alone));
  });

  it('a bad line leaves the empty database as it was, schema and journal included, and names its line', async () => {
    const sqlite = connect('failed.db');
    const before = { schema: schemaOf(sqlite), rows: rowsOf(sqlite) };
    const lines = mixedLines(5, 300);
    lines.splice(250, 0, '{"model_a": "가", "model_b": "나", "winner": "nobody"}');
    const failure = await importInto(sqlite, await writeLines('bad.jsonl', lines)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BattleFileError);
    expect((failure as BattleFileError).message).toMatch(/^line 251: winner: must be one of/);
    expect({ schema: schemaOf(sqlite), rows: rowsOf(sqlite) }).toEqual(before);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
