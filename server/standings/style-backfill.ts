/**
 * The data migration for style control and prompt deduplication: answers stored before style
 * features existed get them, and votes stored before prompt hashes get theirs, computed exactly as
 * new ones are (server/standings/answer-style.ts, prompt-hash.ts). At start-up, in batches (each
 * its own transaction, the event loop free between them), idempotent: only rows still null.
 */
import { styleColumnsOf } from './answer-style.ts';
import { promptHash } from './prompt-hash.ts';
import type { StyleBackfillRepo } from './style-repo.ts';

/** A step: one batch after `afterId`, returning the last id it wrote and how many rows. */
type Step = (afterId: number, limit: number) => { last: number; rows: number };

export class StyleBackfill {
  readonly #repo: StyleBackfillRepo;
  readonly #batch: number;
  #stopped = false;

  constructor(repo: StyleBackfillRepo, opts: { batch?: number } = {}) {
    this.#repo = repo;
    // Tokenizing is the slow part (about 0.1 ms per kilobyte of answer): small batches keep each transaction short.
    this.#batch = opts.batch ?? 200;
  }

  /** Resolves with how many rows it filled (answers, evaluation answers and votes together). */
  async run(): Promise<number> {
    const repo = this.#repo;
    const steps: Step[] = [
      (after, limit) => {
        const rows = repo.unstyledAnswers(after, limit);
        for (const r of rows) repo.setAnswerStyle(r.id, styleColumnsOf(r.content));
        return { last: rows.at(-1)?.id ?? after, rows: rows.length };
      },
      (after, limit) => {
        const rows = repo.unstyledGenerations(after, limit);
        for (const r of rows) repo.setGenerationStyle(r.id, styleColumnsOf(r.answers));
        return { last: rows.at(-1)?.id ?? after, rows: rows.length };
      },
      (after, limit) => {
        const rows = repo.unhashedVotes(after, limit);
        for (const r of rows) repo.setPromptHash(r.id, promptHash(r.prompts));
        return { last: rows.at(-1)?.id ?? after, rows: rows.length };
      },
    ];
    let filled = 0;
    for (const step of steps) {
      let after = 0;
      while (!this.#stopped) {
        const done = repo.inTransaction(() => step(after, this.#batch));
        filled += done.rows;
        after = done.last;
        if (done.rows < this.#batch) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return filled;
  }

  /** Stops after the current batch (shutdown); the rest is filled at the next start. */
  stop(): void {
    this.#stopped = true;
  }
}
