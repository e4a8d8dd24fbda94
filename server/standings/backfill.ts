/**
 * The data migration for categories: votes recorded before categories existed get them at
 * start-up, decided exactly as a new vote's are. In batches, each its own transaction, with the
 * event loop free between them; idempotent (only votes whose `categories` is still null), so an
 * interrupted run simply continues at the next start.
 */
import type { Categorizer } from './categories.ts';
import type { VoteCategoriesRepo, VoteSource } from './vote-categories-repo.ts';

const SOURCES: VoteSource[] = ['arena', 'evaluation'];

export class CategoryBackfill {
  readonly #repo: VoteCategoriesRepo;
  readonly #categorize: Categorizer;
  readonly #batch: number;
  #stopped = false;

  constructor(repo: VoteCategoriesRepo, categorize: Categorizer, opts: { batch?: number } = {}) {
    this.#repo = repo;
    this.#categorize = categorize;
    this.#batch = opts.batch ?? 500;
  }

  /** Files every older vote under its categories; resolves with how many it filed. */
  async run(): Promise<number> {
    let filed = 0;
    for (const source of SOURCES) {
      let after = 0;
      while (!this.#stopped) {
        const done = this.#repo.inTransaction(() => {
          const votes = this.#repo.uncategorized(source, after, this.#batch);
          for (const vote of votes) {
            const categories = this.#categorize(vote.conversation, {
              turns: vote.turns,
              ...(source === 'evaluation' ? { evaluation: true } : {}),
              tags: vote.tag ? [vote.tag] : [],
            });
            this.#repo.setCategories(source, vote.id, categories);
            after = vote.id;
          }
          return votes.length;
        });
        filed += done;
        if (done < this.#batch) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return filed;
  }

  /** Stops after the current batch (shutdown); the rest is filed at the next start. */
  stop(): void {
    this.#stopped = true;
  }
}
