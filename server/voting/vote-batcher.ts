/**
 * Group commit for votes. Votes that arrive within one turn of the event loop are written in one
 * SQLite transaction (one commit instead of one each: commits, not SQL, bound the vote rate), each
 * in its own savepoint so one refused vote does not undo the others. A vote's promise settles only
 * after the whole transaction committed: an acknowledged vote is always a committed vote.
 */
import type { Sqlite } from '../../db/client.ts';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class VoteBatcher {
  readonly #sqlite: Sqlite;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(sqlite: Sqlite, opts: { maxBatch?: number } = {}) {
    this.#sqlite = sqlite;
    this.#maxBatch = opts.maxBatch ?? 500;
  }

  /** Runs `work` inside the next batch transaction; resolves with its result after COMMIT. */
  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Resolves once every vote submitted so far is committed (or refused): for shutdown. */
  async drain(): Promise<void> {
    while (this.#scheduled || this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  #flush(): void {
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (this.#queue.length > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;

    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      // IMMEDIATE: take the write lock up front, so the batch's reads and writes never race
      // another connection into SQLITE_BUSY_SNAPSHOT half-way through.
      this.#sqlite
        .transaction(() => {
          for (const item of batch) {
            try {
              // A nested better-sqlite3 transaction is a SAVEPOINT: a throw rolls back this vote only.
              outcomes.push({ ok: true, value: this.#sqlite.transaction(item.work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // COMMIT itself failed: nothing of this batch is stored, so nothing is acknowledged.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
