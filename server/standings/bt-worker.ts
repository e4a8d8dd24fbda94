/**
 * Worker thread for the live Bradley-Terry standings: reads the aggregated votes from its own
 * read-only SQLite connection (WAL: never blocks the server's writes) and fits, so neither the
 * GROUP BY nor the bootstrap ever runs on the server's event loop. Started by
 * bt-service.ts; one request at a time.
 */
import { parentPort } from 'node:worker_threads';
import { openReadOnly, type Sqlite } from '../../db/client.ts';
import { type BtFit, type BtFitOptions, fitBt } from './bt-fit.ts';
import { type BtSnapshot, readBtSnapshot } from './ratings-repo.ts';

export interface BtRequest extends BtFitOptions {
  id: number;
  /** A database file to read, or the snapshot itself (an in-memory database the worker cannot open). */
  source: { file: string } | { snapshot: BtSnapshot };
}

export type BtResponse = { id: number; fit: BtFit; readMs: number; fitMs: number } | { id: number; error: string };

const connections = new Map<string, Sqlite>();

function connection(file: string): Sqlite {
  let db = connections.get(file);
  if (!db) {
    db = openReadOnly(file);
    connections.set(file, db);
  }
  return db;
}

function handle(request: BtRequest): BtResponse {
  try {
    const started = performance.now();
    const snapshot = 'file' in request.source ? readBtSnapshot(connection(request.source.file)) : request.source.snapshot;
    const read = performance.now();
    const fit = fitBt(snapshot, request);
    return { id: request.id, fit, readMs: read - started, fitMs: performance.now() - read };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

parentPort?.on('message', (request: BtRequest) => parentPort!.postMessage(handle(request)));
parentPort?.on('close', () => {
  for (const db of connections.values()) db.close();
});
