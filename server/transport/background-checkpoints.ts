/**
 * Starts the checkpoint worker (checkpoint-worker.ts) for the server's database file and hands it
 * the writer's checkpoints once it runs (db/checkpoints.ts). Until then, and again if it ever
 * stops, the writer checkpoints itself as SQLite does by default: nothing depends on the worker.
 * It starts when the WAL first grows past START_AT_WAL_BYTES, so a server that writes little (a
 * team's quiet day, a test) never runs the thread.
 */
import { stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { handOffCheckpoints, takeBackCheckpoints } from '../../db/checkpoints.ts';
import { type Db, openDb, type Sqlite } from '../../db/client.ts';
import type { CheckpointCommand, CheckpointEvent } from './checkpoint-worker.ts';
import { startWorker, workerEntry } from './worker-thread.ts';

/** How often the worker checkpoints: at 5,000 votes/s the WAL holds a few hundred votes' pages between two. */
export const CHECKPOINT_INTERVAL_MS = 100;

/** A quarter of the pages at which SQLite would checkpoint in the writer. */
export const START_AT_WAL_BYTES = 1024 * 1024;

/** How often the WAL's size is looked at until the worker starts. */
const WATCH_MS = 500;

export interface BackgroundCheckpoints {
  /** Resolves true once the worker took the checkpoints over; false if it never will (closed first, or it failed). */
  readonly ready: Promise<boolean>;
  /**
   * Stops the worker, then closes the writer: the worker's connection goes first, so the writer's
   * is the last, and SQLite folds the WAL into the file and removes it.
   */
  close(): Promise<void>;
}

export function startBackgroundCheckpoints(opts: {
  file: string;
  writer: Sqlite;
  onError: (err: unknown) => void;
  /** Start once the WAL file is this large (0: at once). */
  startAtWalBytes?: number;
}): BackgroundCheckpoints {
  const { file, writer } = opts;
  let markReady: (handedOff: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));
  if (file === ':memory:') {
    markReady(false);
    return { ready, close: async () => void writer.close() };
  }
  let closing = false;
  let running: { worker: Worker; stopped: Promise<void> } | null = null;

  const start = () => {
    const worker = startWorker(workerEntry(import.meta.url, 'checkpoint-worker'), { background: true });
    worker.unref();
    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (event: CheckpointEvent) => {
        if (event.kind === 'started' && !closing) {
          handOffCheckpoints(writer);
          markReady(true);
        } else if (event.kind === 'error') opts.onError(new Error(`WAL checkpoints: ${event.message}`));
        else if (event.kind === 'closed') resolve();
      });
      worker.once('exit', () => {
        // However it ended, the writer checkpoints itself again.
        takeBackCheckpoints(writer);
        markReady(false);
        resolve();
      });
    });
    worker.on('error', (err) => opts.onError(err));
    worker.postMessage({ kind: 'start', file, intervalMs: CHECKPOINT_INTERVAL_MS } satisfies CheckpointCommand);
    running = { worker, stopped };
  };

  const threshold = opts.startAtWalBytes ?? START_AT_WAL_BYTES;
  let watch: NodeJS.Timeout | null = null;
  if (threshold <= 0) start();
  else {
    watch = setInterval(() => {
      void stat(`${file}-wal`).then(
        (wal) => {
          if (wal.size < threshold || closing || running || !watch) return;
          clearInterval(watch);
          watch = null;
          start();
        },
        () => undefined,
      );
    }, WATCH_MS);
    watch.unref();
  }

  return {
    ready,
    async close() {
      closing = true;
      if (watch) clearInterval(watch);
      watch = null;
      markReady(false);
      if (running) {
        const { worker, stopped } = running;
        running = null;
        takeBackCheckpoints(writer);
        worker.postMessage({ kind: 'stop' } satisfies CheckpointCommand);
        await Promise.race([stopped, new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]);
        await worker.terminate();
      }
      if (writer.open) writer.close();
    },
  };
}

/** The server's database: its connection (db/client.ts), whose WAL the worker checkpoints once it grows. */
export function openServerDatabase(
  config: { databasePath: string; synchronous: 'normal' | 'full' },
  onError: (err: unknown) => void,
): { db: Db; checkpoints: BackgroundCheckpoints } {
  const db = openDb(config.databasePath, { synchronous: config.synchronous });
  return { db, checkpoints: startBackgroundCheckpoints({ file: config.databasePath, writer: db.$client, onError }) };
}
