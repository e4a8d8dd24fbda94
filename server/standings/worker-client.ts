/**
 * The standings' worker thread as the main thread sees it: started on first use, one message per
 * request, answers matched by id; a worker that dies fails what it held and is started again on
 * the next request.
 */
import type { Worker } from 'node:worker_threads';
import type { Sqlite } from '../../db/client.ts';
import { AppError } from '../transport/errors.ts';
import { startWorker, workerEntry } from '../transport/worker-thread.ts';
import type { BtRequest, BtResponse, TaskRequest, TaskResponse, WorkerRequest } from './bt-worker.ts';
import { runTask, type StandingsTask, type TaskResult } from './tasks.ts';

type Pending = { resolve: (r: BtResponse | TaskResponse) => void; reject: (e: Error) => void };
type Body<R extends WorkerRequest> = R extends WorkerRequest ? Omit<R, 'id'> : never;

export class StandingsWorker {
  readonly #databasePath: string;
  readonly #sqlite: Sqlite;
  #worker: Worker | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  /** `sqlite`: the server's connection, for an in-memory database the worker cannot open (tests). */
  constructor(opts: { databasePath: string; sqlite: Sqlite }) {
    this.#databasePath = opts.databasePath;
    this.#sqlite = opts.sqlite;
  }

  get inMemory(): boolean {
    return this.#databasePath === ':memory:';
  }

  bt(body: Body<BtRequest>): Promise<BtResponse> {
    return this.#request(body) as Promise<BtResponse>;
  }

  /** Runs a standings task in the worker; an in-memory database (tests only) is read in-process. */
  async run<T extends StandingsTask>(task: T): Promise<TaskResult<T>> {
    if (this.inMemory) {
      await new Promise((resolve) => setImmediate(resolve));
      return runTask(this.#sqlite, task);
    }
    const response = (await this.#request({ kind: 'task', file: this.#databasePath, task } satisfies Body<TaskRequest>)) as TaskResponse;
    if ('error' in response) throw new Error(`standings worker: ${response.error}`);
    return response.result as TaskResult<T>;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    // What was still asked gets a plain "shutting down", not the worker's exit as an unexpected error.
    for (const waiting of this.#pending.values()) waiting.reject(new AppError('unavailable', 'the server is shutting down'));
    this.#pending.clear();
    if (worker) await worker.terminate();
  }

  #request(body: Body<WorkerRequest>): Promise<BtResponse | TaskResponse> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const entry = workerEntry(import.meta.url, 'bt-worker');
    const worker = startWorker(entry, { background: true });
    worker.unref();
    worker.on('message', (response: BtResponse | TaskResponse) => {
      const waiting = this.#pending.get(response.id);
      this.#pending.delete(response.id);
      waiting?.resolve(response);
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`standings worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}
