import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { VoteBatcher } from '../../server/voting/vote-batcher.ts';

function db(file = ':memory:') {
  const sqlite = new Database(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.exec(`
    CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TABLE t (v TEXT UNIQUE);
  `);
  return sqlite;
}

describe('vote group commit', () => {
  it('writes everything submitted in one tick in one transaction, in order, isolating failures', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arena-batch-'));
    const sqlite = db(path.join(dir, 'b.db'));
    const outside = new Database(path.join(dir, 'b.db'), { readonly: true });
    const batcher = new VoteBatcher(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const count = (conn: Database.Database) => (conn.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
    const results = [
      batcher.submit(() => insert.run('a').changes),
      batcher.submit(() => {
        insert.run('dup-partial'); // rolled back with its savepoint...
        insert.run('a'); // ...because this violates UNIQUE
      }),
      // The third sees the first's row, while another connection sees nothing yet: one open transaction.
      batcher.submit(() => [insert.run('c').changes, count(sqlite), count(outside)]),
    ];
    expect(count(sqlite)).toBe(0); // nothing is written before the batch runs
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((settled[2] as PromiseFulfilledResult<number[]>).value).toEqual([1, 2, 0]);
    // Settled means committed: the other connection sees both rows now.
    expect(outside.prepare('SELECT v FROM t ORDER BY rowid').all()).toEqual([{ v: 'a' }, { v: 'c' }]);
    outside.close();
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges nothing when the commit itself fails', async () => {
    const sqlite = db();
    const batcher = new VoteBatcher(sqlite);
    const ok = batcher.submit(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('kept?'));
    // A deferred foreign key is only checked at COMMIT, so the savepoint succeeds and COMMIT fails.
    const bad = batcher.submit(() => sqlite.prepare('INSERT INTO child (parent) VALUES (42)').run());
    const settled = await Promise.allSettled([ok, bad]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(sqlite.inTransaction).toBe(false);
    // The batcher keeps working afterwards.
    await batcher.submit(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('later'));
    expect(sqlite.prepare('SELECT v FROM t').all()).toEqual([{ v: 'later' }]);
  });

  it('splits very large bursts into batches of maxBatch', async () => {
    const sqlite = db();
    const batcher = new VoteBatcher(sqlite, { maxBatch: 10 });
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const seen: number[] = [];
    await Promise.all(Array.from({ length: 35 }, (_, i) => batcher.submit(() => seen.push(i) && insert.run(String(i)))));
    expect(seen).toEqual(Array.from({ length: 35 }, (_, i) => i));
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 35 });
  });
});
