/**
 * Worker thread of the standings: reads votes from its own read-only SQLite connection (WAL:
 * never blocks the server's writes), keeping the live fit's counts between refreshes
 * (live-counts.ts), and fits, so neither the queries nor the bootstraps ever run on the server's
 * event loop. Serves the live Bradley-Terry leaderboard (bt-service.ts) and the standings views,
 * histories and category counts (tasks.ts), one request at a time. A bootstrap big enough to share
 * has its rounds shared with a helper thread running this module again (parallel-rounds.ts),
 * which only takes rounds.
 */
import { parentPort } from 'node:worker_threads';
import { openReadOnly, type Sqlite } from '../../db/client.ts';
import { startWorker } from '../transport/worker-thread.ts';
import type { BtFit, BtFitOptions } from './bt-fit.ts';
import { refreshBt } from './bt-refresh.ts';
import { LiveCounts } from './live-counts.ts';
import { ParallelRounds, type RoundsMessage, takeRounds } from './parallel-rounds.ts';
import type { BtSnapshot } from './ratings-repo.ts';
import { runTask, type StandingsTask, type TaskResults } from './tasks.ts';

export interface BtRequest extends BtFitOptions {
  id: number;
  kind?: 'bt';
  /** A database file to read, or the snapshot itself (an in-memory database the worker cannot open). */
  source: { file: string } | { snapshot: BtSnapshot };
}

export interface TaskRequest {
  id: number;
  kind: 'task';
  file: string;
  task: StandingsTask;
}

export type WorkerRequest = BtRequest | TaskRequest;

/** The bootstrap's second thread: this module again, started on the first fit, taking rounds only. */
const rounds = new ParallelRounds(() => startWorker(new URL(import.meta.url), { background: true }));

export type BtResponse = { id: number; fit: BtFit; readMs: number; fitMs: number } | { id: number; error: string };
export type TaskResponse = { id: number; result: TaskResults[keyof TaskResults]; ms: number } | { id: number; error: string };

/** Per database: its read-only connection, and the live fit's counts kept between refreshes (live-counts.ts). */
const databases = new Map<string, { sqlite: Sqlite; live: LiveCounts }>();

function database(file: string): { sqlite: Sqlite; live: LiveCounts } {
  let db = databases.get(file);
  if (!db) {
    const sqlite = openReadOnly(file);
    db = { sqlite, live: new LiveCounts(sqlite) };
    databases.set(file, db);
  }
  return db;
}

const failure = (id: number, error: unknown) => ({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });

function handleBt(request: BtRequest): BtResponse {
  try {
    const source = 'file' in request.source ? database(request.source.file) : request.source;
    return { id: request.id, ...refreshBt(source, request, rounds.run) };
  } catch (error) {
    return failure(request.id, error);
  }
}

function handleTask(request: TaskRequest): TaskResponse {
  try {
    const started = performance.now();
    const result = runTask(database(request.file).sqlite, request.task);
    return { id: request.id, result, ms: performance.now() - started };
  } catch (error) {
    return failure(request.id, error);
  }
}

parentPort?.on('message', (request: WorkerRequest | RoundsMessage) => {
  // A helper's work: no answer, the rounds are in shared memory.
  if (request.kind === 'rounds') takeRounds(request);
  else parentPort!.postMessage(request.kind === 'task' ? handleTask(request) : handleBt(request));
});
parentPort?.on('close', () => {
  void rounds.close();
  for (const db of databases.values()) db.sqlite.close();
});
