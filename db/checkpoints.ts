/**
 * WAL checkpoints off the writer's thread. By default SQLite checkpoints inside the COMMIT that
 * takes the WAL past 1,000 pages: the committing connection copies the WAL into the database file
 * and syncs both, on the server's event loop, while every vote waiting for that commit waits with
 * it. The server instead hands its checkpoints to a second connection on a worker thread
 * (server/transport/checkpoint-worker.ts), which copies committed pages in the background; the
 * writer only checkpoints itself, as before, should the WAL ever reach FALLBACK_CHECKPOINT_PAGES
 * (the worker stopped or fell far behind). Durability is unchanged: a commit is durable once it is
 * in the WAL; a checkpoint only moves committed pages into the database file.
 */
import Database from 'better-sqlite3';
import type { Sqlite } from './client.ts';

/** SQLite's own threshold (pages in the WAL): the background checkpoint starts from here. */
export const CHECKPOINT_PAGES = 1_000;

/** Where the writer checkpoints itself again: far beyond what the worker lets the WAL reach. */
export const FALLBACK_CHECKPOINT_PAGES = 20_000;

/** Leaves the writer's automatic checkpoint as a fallback only: the worker's connection checkpoints. */
export function handOffCheckpoints(writer: Sqlite): void {
  writer.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
}

/** The writer checkpoints in its commits again, as SQLite does by default (the worker stopped); nothing once it is closed. */
export function takeBackCheckpoints(writer: Sqlite): void {
  if (writer.open) writer.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
}

/** A connection that only checkpoints: PASSIVE, so it never waits for, or blocks, readers and writers. */
export class Checkpointer {
  readonly #sqlite: Sqlite;
  readonly #checkpoint;

  constructor(file: string) {
    this.#sqlite = new Database(file, { fileMustExist: true });
    // Never wait on a lock: a busy checkpoint is simply tried again on the next tick.
    this.#sqlite.pragma('busy_timeout = 0');
    this.#sqlite.pragma('wal_autocheckpoint = 0');
    this.#checkpoint = this.#sqlite.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /** Copies what the WAL holds that readers no longer need into the database file. */
  checkpoint(): void {
    // A busy result (another instance on the same file holds the checkpoint) needs nothing: the next tick tries again.
    this.#checkpoint.get();
  }

  close(): void {
    this.#sqlite.close();
  }
}
