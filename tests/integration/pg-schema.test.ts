/**
 * The PostgreSQL schema (db/pg, db/migrations-pg) against the SQLite one (db/schema*.ts,
 * db/migrations through 0010), each read from its own catalog after migrating a fresh database:
 * the same tables, columns (compatible types, same nullability and defaults), primary keys,
 * foreign keys and indexes (names, uniqueness, columns, partial predicates), so the two cannot
 * drift. Then the PL/pgSQL counts triggers: the same writes run on both databases leave the same
 * pair_counts and prompt_counts, and PostgreSQL's equal a recount from its votes.
 */
import path from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { closePg, openPg } from '../../db/pg/client.ts';
import { addDeferredCounts, deferCounts, PG_COUNT_CELLS, PG_COUNT_PROMPTS } from '../../db/pg/counts.ts';
import * as core from '../../db/schema.ts';
import * as accounts from '../../db/schema-accounts.ts';
import * as chat from '../../db/schema-chat.ts';
import * as evaluations from '../../db/schema-evaluations.ts';
import * as snapshots from '../../db/schema-snapshots.ts';
import type { Winner } from '../../protocol/types.ts';
import { countDifferences, type PairCount, PairCountsRepo } from '../../server/standings/pair-counts-repo.ts';
import { useCleanup } from '../support/hooks.ts';
import { type Catalog, pgCatalog, sqliteCatalog } from '../support/schema-catalog.ts';
import { createPgDatabase, skipPostgres } from '../support/services.ts';

const cleanup = useCleanup();

/** The drizzle column kind of every SQLite column: what decides its PostgreSQL type. */
const drizzleKinds = new Map<string, string>();
for (const t of Object.values({ ...core, ...accounts, ...evaluations, ...snapshots, ...chat }) as unknown[]) {
  if (!is(t, SQLiteTable)) continue;
  for (const c of getTableConfig(t).columns) drizzleKinds.set(`${getTableName(t)}.${c.name}`, c.columnType);
}

/** SQLite's declared type and drizzle kind → the PostgreSQL types that store it faithfully. */
const PG_TYPES: Record<string, { sqlite: string; pg: string[] }> = {
  SQLiteBoolean: { sqlite: 'integer', pg: ['boolean'] },
  SQLiteTimestamp: { sqlite: 'integer', pg: ['bigint'] },
  SQLiteInteger: { sqlite: 'integer', pg: ['integer', 'bigint'] },
  SQLiteReal: { sqlite: 'real', pg: ['double precision'] },
  SQLiteText: { sqlite: 'text', pg: ['text'] },
  SQLiteTextJson: { sqlite: 'text', pg: ['json'] },
};

/** A partial index's predicate in one spelling: no quotes, table prefixes, parentheses or casts; a boolean as itself. */
const normalized = (predicate: string | null) =>
  predicate
    ?.replace(/"\w+"\./g, '')
    .replace(/["()]/g, '')
    .replace(/::text/g, '')
    .replace(/<>/g, '!=')
    .replace(/^(\w+) = 1$/, '$1')
    .trim() ?? null;

async function migratedPair() {
  const dir = cleanup.tempDir('arena-pg-schema-');
  const sqlite = openDb(path.join(dir, 'arena.db'));
  cleanup.defer(() => sqlite.$client.close());
  const database = cleanup.add(await createPgDatabase());
  const db = await openPg(database.url);
  cleanup.defer(() => closePg(db));
  const client = await db.$client.connect();
  cleanup.defer(() => client.release());
  return { sqlite: sqlite.$client, client };
}

function expectSameSchema(sqlite: Catalog, pg: Catalog): void {
  expect([...pg.keys()].sort()).toEqual([...sqlite.keys()].sort());
  for (const [name, s] of sqlite) {
    const p = pg.get(name)!;
    expect([...p.columns.keys()].sort(), `columns of ${name}`).toEqual([...s.columns.keys()].sort());
    for (const [column, sc] of s.columns) {
      const pc = p.columns.get(column)!;
      const where = `${name}.${column}`;
      const kind = drizzleKinds.get(where);
      expect(kind, `${where} in the drizzle SQLite schema`).toBeDefined();
      expect(sc.type, `${where}: SQLite's declared type for ${kind}`).toBe(PG_TYPES[kind!]!.sqlite);
      expect(PG_TYPES[kind!]!.pg, `${where}: PostgreSQL type ${pc.type} for SQLite ${sc.type} (${kind})`).toContain(pc.type);
      expect(pc.notNull, `${where} NOT NULL`).toBe(sc.notNull);
      expect(pc.auto, `${where}: AUTOINCREMENT ↔ identity`).toBe(sc.auto);
      expect(pc.hasDefault, `${where} has a default`).toBe(sc.hasDefault);
    }
    const keyIndex = KEY_AS_UNIQUE_INDEX.get(name);
    const sqliteIndexes = new Map([...s.indexes].filter(([index]) => index !== keyIndex));
    if (keyIndex === undefined) expect(p.primaryKey, `primary key of ${name}`).toEqual(s.primaryKey);
    else {
      expect(s.primaryKey, `SQLite's ${name} keyed by ${keyIndex} alone`).toEqual([]);
      expect(s.indexes.get(keyIndex), `SQLite's ${keyIndex}`).toEqual({ unique: true, columns: p.primaryKey, predicate: null });
    }
    expect(p.foreignKeys, `foreign keys of ${name}`).toEqual(s.foreignKeys);
    expect([...p.indexes.keys()].sort(), `indexes of ${name}`).toEqual([...sqliteIndexes.keys()].sort());
    for (const [index, si] of sqliteIndexes) {
      const pi = p.indexes.get(index)!;
      expect({ ...pi, predicate: normalized(pi.predicate) }, `index ${index}`).toEqual({ ...si, predicate: normalized(si.predicate) });
    }
  }
}

/**
 * Tables SQLite keys by a unique index where PostgreSQL has the primary key: a first import sets
 * the index aside and builds it after its load (db/migrations/0014_battles-id-index.sql).
 */
const KEY_AS_UNIQUE_INDEX = new Map([['battles', 'battles_id_idx']]);

describe.skipIf(skipPostgres)('the PostgreSQL schema', () => {
  it('has every table, column, key and index of the migrated SQLite schema, with faithful types', async () => {
    const { sqlite, client } = await migratedPair();
    const s = sqliteCatalog(sqlite);
    const p = await pgCatalog(client);
    expect(s.size).toBeGreaterThan(25);
    expectSameSchema(s, p);
    // Every id is 64-bit on both ends of its foreign keys (SQLite's rowids are).
    for (const [name, table] of p) {
      for (const key of table.foreignKeys) {
        const [, from, target, to] = /^(\S+) -> (\w+)\((\S+)\)$/.exec(key)!;
        expect(table.columns.get(from!)!.type, `${name}.${from} -> ${target}.${to}`).toBe(p.get(target!)!.columns.get(to!)!.type);
      }
    }
    // Partial indexes are partial on both sides (the predicates compared above), e.g. the vote id's.
    expect(p.get('votes')!.indexes.get('votes_vote_id_idx')).toMatchObject({ unique: true, predicate: '(vote_id IS NOT NULL)' });
  });
});

/** The same writes, spelled so both SQLite and PostgreSQL run them (true/false are 1/0 in SQLite). */
function seedStatements(first: number, count: number): string[] {
  const models = ['m1', 'm2', 'm3', 'm4'];
  const winners = ['a', 'b', 'tie', 'bothbad'];
  const out: string[] = [];
  for (let k = first; k < first + count; k++) {
    const a = models[k % 4]!;
    const b = models[(k * 7 + 1) % 4]!; // sometimes a self-battle
    const prompt = k % 11 === 0 ? "''" : k % 17 === 0 ? 'NULL' : k % 5 === 0 ? `'p-${k % 3}'` : `'q-${k}'`;
    out.push(
      `INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('b${k}', '${a}', '${b}', 'voted', 'anon:${k % 6}')`,
      `INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, counted, prompt_hash) VALUES ('b${k}', 'anon:${k % 6}', '${winners[k % 4]}', '${a}', '${b}', ${k % 7 !== 0}, ${prompt})`,
    );
  }
  out.push(
    `INSERT INTO vote_categories (category, source, vote_id) SELECT 'lang:en', 0, id FROM votes WHERE id >= ${first} AND id % 2 = 0`,
    `INSERT INTO vote_categories (category, source, vote_id) SELECT 'coding', 0, id FROM votes WHERE id >= ${first} AND id % 3 = 0`,
  );
  return out;
}

const EVALUATIONS = [
  "INSERT INTO models (id, name, provider, settings, source) VALUES ('m1', 'M1', 'demo', '{}', 'demo'), ('m2', 'M2', 'demo', '{}', 'demo'), ('m3', 'M3', 'demo', '{}', 'demo'), ('m4', 'M4', 'demo', '{}', 'demo')",
  `INSERT INTO evaluations (id, name, models, votes_per_item, count_in_public, status) VALUES ('e1', 'E1', '["m1","m2"]', 1, true, 'running'), ('e2', 'E2', '["m1","m3"]', 1, false, 'running')`,
  `INSERT INTO eval_prompts (evaluation_id, position, question_id, turns) VALUES ('e1', 1, 'q1', '["한국어로 시를 써줘"]'), ('e2', 1, 'q1', '["Write a haiku"]')`,
  "INSERT INTO eval_items (id, evaluation_id, prompt_id, model_x, model_y) VALUES ('i1', 'e1', 1, 'm1', 'm2'), ('i2', 'e2', 2, 'm1', 'm3')",
  ...[1, 2, 3, 4, 5, 6].flatMap((v) => [
    `INSERT INTO eval_votes (evaluation_id, item_id, voter_id, model_a, model_b, winner) VALUES ('e1', 'i1', 'u${v}', '${v % 2 ? 'm1' : 'm2'}', '${v % 2 ? 'm2' : 'm1'}', '${['a', 'b', 'tie'][v % 3]}')`,
    `INSERT INTO eval_votes (evaluation_id, item_id, voter_id, model_a, model_b, winner) VALUES ('e2', 'i2', 'u${v}', 'm1', 'm3', '${['a', 'tie', 'b'][v % 3]}')`,
  ]),
  "INSERT INTO vote_categories (category, source, vote_id) SELECT 'creative', 1, id FROM eval_votes WHERE id % 2 = 1",
];

/** Each step is every kind of write a running arena (or an operator's SQL) makes. */
const STEPS: Array<[string, string[]]> = [
  ['votes, categories, evaluation votes', [...EVALUATIONS, ...seedStatements(1, 120)]],
  ['re-flags both ways', ['UPDATE votes SET counted = false WHERE id % 9 = 0', 'UPDATE votes SET counted = true WHERE id % 27 = 0']],
  [
    'changed prompts, winners and sides',
    [
      "UPDATE votes SET prompt_hash = 'same-prompt' WHERE id % 13 = 0",
      "UPDATE votes SET winner = 'tie' WHERE id % 10 = 3",
      'UPDATE votes SET model_b = model_a WHERE id IN (16, 18, 20)',
      "UPDATE votes SET model_b = 'm4' WHERE id IN (1, 2, 3)",
      'UPDATE votes SET prompt_hash = NULL WHERE id = 4',
    ],
  ],
  [
    'categories dropped and indexed again',
    [
      'DELETE FROM vote_categories WHERE source = 0 AND vote_id % 4 = 0',
      "INSERT INTO vote_categories (category, source, vote_id) SELECT 'coding', 0, id FROM votes WHERE id % 8 = 0",
    ],
  ],
  [
    'deleted votes (with and without their categories)',
    [
      'DELETE FROM vote_categories WHERE source = 0 AND vote_id IN (SELECT id FROM votes WHERE id % 11 = 0)',
      'DELETE FROM votes WHERE id % 11 = 0',
      'DELETE FROM votes WHERE id = 5',
    ],
  ],
  ['evaluations switched in and out of public', ['UPDATE evaluations SET count_in_public = NOT count_in_public']],
  [
    'evaluation votes changed and deleted',
    [
      "UPDATE eval_votes SET winner = 'b' WHERE id % 2 = 0",
      "UPDATE eval_votes SET model_a = 'm3', model_b = 'm1' WHERE id = 4",
      'DELETE FROM eval_votes WHERE id = 1',
    ],
  ],
  ['evaluation categories dropped', ['DELETE FROM vote_categories WHERE source = 1']],
];

async function pgCounts(client: pg.ClientBase) {
  const cells = async (sql: string, values: unknown[] = []) =>
    (await client.query<{ category: string; model_a: string; model_b: string; winner: Winner; n: string }>(sql, values)).rows.map(
      (r): PairCount => ({ category: r.category, modelA: r.model_a, modelB: r.model_b, winner: r.winner, n: Number(r.n) }),
    );
  const prompts = async (sql: string, values: unknown[] = []) =>
    new Map((await client.query<{ prompt_hash: string; n: string }>(sql, values)).rows.map((r) => [r.prompt_hash, Number(r.n)]));
  return {
    maintained: await cells('SELECT category, model_a, model_b, winner, n FROM pair_counts'),
    recounted: await cells(PG_COUNT_CELLS, [0, 0]),
    prompts: await prompts('SELECT prompt_hash, n FROM prompt_counts'),
    recountedPrompts: await prompts(PG_COUNT_PROMPTS, [0]),
  };
}

describe.skipIf(skipPostgres)('the PostgreSQL counts triggers', () => {
  it('keep pair_counts and prompt_counts equal to a recount, and to SQLite’s after the same writes', async () => {
    const { sqlite, client } = await migratedPair();
    const repo = new PairCountsRepo(sqlite);
    const expectAgree = async (step: string) => {
      const p = await pgCounts(client);
      expect(countDifferences(p.maintained, p.recounted), `${step}: PostgreSQL against its recount`).toEqual([]);
      expect(p.prompts, `${step}: PostgreSQL's prompt counts against its recount`).toEqual(p.recountedPrompts);
      expect(countDifferences(repo.maintained(), p.maintained), `${step}: SQLite against PostgreSQL`).toEqual([]);
      expect(repo.maintainedPrompts(), `${step}: SQLite's prompt counts against PostgreSQL's`).toEqual(p.prompts);
      expect(countDifferences(repo.maintained(), repo.recount()), `${step}: SQLite against its recount`).toEqual([]);
      return p;
    };
    // counts_maintenance.rewrites (migration 0013): moved by every step that changes the counts of
    // all votes other than by adding some, on both; categories alone leave it.
    const rewrites = async () => [
      sqlite.prepare('SELECT rewrites FROM counts_maintenance').pluck().get() as number,
      (await client.query<{ rewrites: number }>('SELECT rewrites FROM counts_maintenance')).rows[0]!.rewrites,
    ];
    const onlyAdds = new Set(['votes, categories, evaluation votes', 'categories dropped and indexed again', 'evaluation categories dropped']);
    for (const [step, statements] of STEPS) {
      const [sqliteBefore, pgBefore] = await rewrites();
      for (const statement of statements) {
        sqlite.exec(statement);
        await client.query(statement);
      }
      const p = await expectAgree(step);
      expect(p.maintained.filter((c) => c.n > 0).length, step).toBeGreaterThan(10);
      const [sqliteAfter, pgAfter] = await rewrites();
      expect([sqliteAfter! > sqliteBefore!, pgAfter! > pgBefore!], `${step}: rewrites moved on SQLite, on PostgreSQL`).toEqual(
        onlyAdds.has(step) ? [false, false] : [true, true],
      );
    }
    const before = await pgCounts(client);
    expect(before.maintained.some((c) => c.category === 'creative' && c.n !== 0)).toBe(false);
    expect(before.prompts.get('same-prompt')).toBeGreaterThan(1);

    // A bulk write with the insert triggers deferred: nothing counted until it adds its rows' counts.
    const bulk = seedStatements(200, 80);
    await client.query('BEGIN');
    const marks = await deferCounts(client);
    for (const statement of bulk) await client.query(statement);
    expect(countDifferences((await pgCounts(client)).maintained, before.maintained)).toEqual([]);
    await addDeferredCounts(client, marks);
    await client.query('COMMIT');
    const sqliteMarks = sqlite.transaction(() => {
      const m = repo.deferCounts();
      for (const statement of bulk) sqlite.exec(statement);
      repo.countDeferred(m);
      return m;
    })();
    expect(marks).toEqual(sqliteMarks);
    expect((await client.query('SELECT deferred FROM counts_maintenance')).rows).toEqual([{ deferred: 0 }]);
    await expectAgree('a deferred bulk write');

    // Deleting an evaluation that counts in public (its votes first: the foreign keys ask for it).
    for (const statement of [
      "DELETE FROM vote_categories WHERE source = 1 AND vote_id IN (SELECT id FROM eval_votes WHERE evaluation_id = 'e2')",
      "DELETE FROM eval_votes WHERE evaluation_id = 'e2'",
      "DELETE FROM eval_items WHERE evaluation_id = 'e2'",
      "DELETE FROM eval_prompts WHERE evaluation_id = 'e2'",
      "DELETE FROM evaluations WHERE id = 'e2'",
    ]) {
      sqlite.exec(statement);
      await client.query(statement);
    }
    await expectAgree('a deleted evaluation');
  });
});
