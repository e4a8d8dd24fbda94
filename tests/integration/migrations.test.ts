import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openDb } from '../../db/client.ts';
import { useTempDir } from '../support/hooks.ts';

const dir = useTempDir('arena-migrate-');

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: Array<{ tag: string }>;
};

describe('migrations', () => {
  it('upgrades a database made by the first migration without losing its data', () => {
    expect(journal.entries.length).toBeGreaterThan(1);
    // A migrations folder as it was when only the first migration existed.
    const first = path.join(dir, 'first');
    mkdirSync(path.join(first, 'meta'), { recursive: true });
    const tag = journal.entries[0]!.tag;
    cpSync(path.join(migrationsFolder, `${tag}.sql`), path.join(first, `${tag}.sql`));
    writeFileSync(path.join(first, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));

    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: first });
    old.exec(`
      INSERT INTO models (id, name, provider, settings, source) VALUES ('m1', 'M1', 'demo', '{}', 'demo'), ('m2', 'M2', 'demo', '{}', 'demo');
      INSERT INTO battles (rowid, id, model_a, model_b, status, voter_id, turns) VALUES (7, 'b1', 'm1', 'm2', 'voted', 'anon:v', 1);
      INSERT INTO votes (battle_id, vote_id, voter_id, winner, model_a, model_b) VALUES ('b1', 'vote-1', 'anon:v', 'a', 'm1', 'm2');
      INSERT INTO ratings (model_id, rating, games, wins) VALUES ('m1', 1002, 1, 1), ('m2', 998, 1, 0);
    `);
    old.close();

    const db = openDb(file);
    try {
      const applied = db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
      expect(applied.n).toBe(journal.entries.length);
      const vote = db.$client.prepare('SELECT * FROM votes').get() as Record<string, unknown>;
      expect(vote).toMatchObject({ battle_id: 'b1', vote_id: 'vote-1', winner: 'a', flags: '[]', counted: 1, ip: null });
      expect(db.$client.prepare('SELECT rating FROM ratings WHERE model_id = ?').get('m1')).toEqual({ rating: 1002 });
      // 0014 rebuilt battles (id unique by an index, not the primary key): same row, same rowid, still unique, still referenced.
      expect(db.$client.prepare('SELECT rowid, id, status, voter_id FROM battles').get()).toEqual({ rowid: 7, id: 'b1', status: 'voted', voter_id: 'anon:v' });
      expect(() => db.$client.prepare("INSERT INTO battles (id, model_a, model_b, status, voter_id) VALUES ('b1', 'm1', 'm2', 'voted', 'x')").run()).toThrow(
        /UNIQUE/,
      );
      expect(() => db.$client.prepare("INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b) VALUES ('nope', 'v', 'a', 'm1', 'm2')").run()).toThrow(
        /FOREIGN KEY/,
      );
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.$client.close();
    }
    // Opening again applies nothing twice.
    const again = openDb(file);
    expect((again.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length);
    again.$client.close();
  });

  it('rolls back the battles rebuild (0014) when a reference to battles would be broken, and applies it once mended', () => {
    // A migrations folder as it was before 0014.
    const before = path.join(dir, 'before-0014');
    mkdirSync(path.join(before, 'meta'), { recursive: true });
    const upTo = journal.entries.findIndex((e) => e.tag.startsWith('0014_'));
    expect(upTo).toBeGreaterThan(0);
    for (const { tag } of journal.entries.slice(0, upTo)) cpSync(path.join(migrationsFolder, `${tag}.sql`), path.join(before, `${tag}.sql`));
    writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const file = path.join(dir, 'orphan.db');
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: before });
    old.exec(`
      INSERT INTO models (id, name, provider, settings, source) VALUES ('m1', 'M1', 'demo', '{}', 'demo'), ('m2', 'M2', 'demo', '{}', 'demo');
      INSERT INTO battles (id, model_a, model_b, status, voter_id, turns) VALUES ('b1', 'm1', 'm2', 'voted', 'anon:v', 1);
      PRAGMA foreign_keys = OFF;
      INSERT INTO turns (battle_id, turn, prompt) VALUES ('gone', 1, '안녕하세요');
    `);
    old.close();

    const refused = (() => {
      try {
        openDb(file);
      } catch (error) {
        return error as Error;
      }
    })();
    // drizzle names the statement; SQLite's own words are the cause.
    expect(refused?.message).toMatch(/migration_0014_check/);
    expect((refused?.cause as Error | undefined)?.message).toMatch(/CHECK constraint failed: .*broken_references/);
    const untouched = new Database(file, { readonly: true });
    expect(untouched.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(upTo);
    expect(untouched.prepare("SELECT pk FROM pragma_table_info('battles') WHERE name = 'id'").pluck().get()).toBe(1);
    untouched.close();

    const mend = new Database(file);
    mend.exec("DELETE FROM turns WHERE battle_id = 'gone'");
    mend.close();
    const db = openDb(file);
    try {
      expect(db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(journal.entries.length);
      expect(db.$client.prepare("SELECT pk FROM pragma_table_info('battles') WHERE name = 'id'").pluck().get()).toBe(0);
      expect(db.$client.prepare('SELECT id FROM battles').pluck().all()).toEqual(['b1']);
    } finally {
      db.$client.close();
    }
  });

  it('builds a fresh database from every migration with WAL and foreign keys on', () => {
    const db = openDb(path.join(dir, 'fresh.db'));
    try {
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
      const tables = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['models', 'battles', 'turns', 'answers', 'votes', 'ratings']));
    } finally {
      db.$client.close();
    }
  });
});
