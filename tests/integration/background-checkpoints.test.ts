/**
 * WAL checkpoints on a worker thread (server/transport/background-checkpoints.ts): once it runs,
 * the writer no longer checkpoints in its commits, the worker copies committed pages into the
 * database file, the WAL is removed when the writer closes last, and a worker that cannot start
 * leaves the writer's own checkpoints as they were.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_PAGES, FALLBACK_CHECKPOINT_PAGES } from '../../db/checkpoints.ts';
import { openDb, openReadOnly } from '../../db/client.ts';
import { startBackgroundCheckpoints } from '../../server/transport/background-checkpoints.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();

/** `rows` rows of about 1 KiB each, one commit per row (as votes commit). */
function writeRows(sqlite: ReturnType<typeof openDb>['$client'], from: number, rows: number): void {
  const insert = sqlite.prepare('INSERT INTO filler (id, body) VALUES (?, ?)');
  for (let i = from; i < from + rows; i++) insert.run(i, `${i}:`.padEnd(1024, 'x'));
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('background WAL checkpoints', () => {
  it('moves committed pages into the database file from the worker, not in the writer’s commits', async () => {
    const file = path.join(cleanup.tempDir('arena-ckpt-'), 'arena.db');
    const sqlite = openDb(file, { migrate: false }).$client;
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const errors: unknown[] = [];
    const checkpoints = startBackgroundCheckpoints({ file, writer: sqlite, onError: (err) => errors.push(err), startAtWalBytes: 0 });
    cleanup.defer(() => checkpoints.close());

    expect(await checkpoints.ready).toBe(true);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_CHECKPOINT_PAGES);
    const before = statSync(file).size;
    // About 4,000 pages: four times what would have made the writer checkpoint in a commit.
    writeRows(sqlite, 0, 4 * CHECKPOINT_PAGES * 4);
    await until('the rows to reach the database file', () => statSync(file).size > before + 12 * 1024 * 1024);

    const reader = openReadOnly(file);
    expect(reader.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 16_000 });
    reader.close();
    expect(errors).toEqual([]);

    await checkpoints.close();
    expect(sqlite.open).toBe(false);
    // The writer closed last: everything is in the file and the WAL is gone.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const after = openReadOnly(file);
    expect(after.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 16_000 });
    after.close();
  });

  it('starts only once the WAL has grown past the threshold', async () => {
    const file = path.join(cleanup.tempDir('arena-ckpt-'), 'arena.db');
    const sqlite = openDb(file, { migrate: false }).$client;
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const checkpoints = startBackgroundCheckpoints({ file, writer: sqlite, onError: () => undefined, startAtWalBytes: 256 * 1024 });
    cleanup.defer(() => checkpoints.close());
    let handedOff: boolean | null = null;
    void checkpoints.ready.then((value) => (handedOff = value));

    writeRows(sqlite, 0, 10);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(handedOff).toBe(null);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(CHECKPOINT_PAGES);

    writeRows(sqlite, 10, 400);
    expect(await checkpoints.ready).toBe(true);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_CHECKPOINT_PAGES);
  });

  it('leaves the writer its own checkpoints when the worker cannot open the file', async () => {
    const dir = cleanup.tempDir('arena-ckpt-');
    const sqlite = openDb(path.join(dir, 'arena.db'), { migrate: false }).$client;
    const errors: unknown[] = [];
    const checkpoints = startBackgroundCheckpoints({
      file: path.join(dir, 'missing.db'),
      writer: sqlite,
      onError: (err) => errors.push(err),
      startAtWalBytes: 0,
    });
    cleanup.defer(() => checkpoints.close());

    expect(await checkpoints.ready).toBe(false);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(CHECKPOINT_PAGES);
    expect(String(errors[0])).toMatch(/WAL checkpoints: .*(unable to open|does not exist|directory)/i);
  });
});
