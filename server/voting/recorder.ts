/**
 * The one path every vote takes, from the arena or an evaluation: group commit (VoteBatcher),
 * exactly-once by the client's voteId, the vote's own rows with its categories, the category
 * index and, when it counts in public, both models' online Elo, all in one transaction. The
 * promise settles after COMMIT (an acknowledged vote is a committed vote); the live standings
 * hear of a vote only then.
 */
import type { Sqlite } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import type { Categorizer } from '../standings/categories.ts';
import type { RatingRow, RatingsRepo } from '../standings/ratings-repo.ts';
import type { VoteCategoriesRepo, VoteSource } from '../standings/vote-categories-repo.ts';
import { AppError } from '../transport/errors.ts';
import { VoteBatcher } from './vote-batcher.ts';

/** An arena vote's own row, as both dialects' writers store it (server/arena/repo.ts, pg-vote-store.ts). */
export interface VoteInput {
  battleId: string;
  voteId: string | null;
  voterId: string;
  ip: string | null;
  winner: Winner;
  modelA: string;
  modelB: string;
  /** server/standings/prompt-hash.ts of the battle's prompts (prompt deduplication). */
  promptHash: string;
  /** Integrity flags: a flagged vote is stored but counts in no public figure. */
  flags: string[];
  /** Decided by server/standings/categories.ts from the battle's conversation. */
  categories: string[];
}

/** What a counted vote adds to the public ratings. */
export interface PublicResult {
  modelA: string;
  modelB: string;
  winner: Winner;
}

/** A vote as the standings file it: its row, its categories, and which views it enters. */
export interface FiledVote {
  source: VoteSource;
  rowId: number;
  categories: CategoryId[];
  /** `public`: every view; `flagged`: views of all votes only; `private`: none (an evaluation kept internal). */
  visibility: 'public' | 'flagged' | 'private';
  /** When it was recorded (epoch ms, the vote row's `created_at`). */
  at: number;
}

/** One kind of vote (arena battle, evaluation item): how to find it again, and how to write it. */
export interface VoteWrite<R> {
  /**
   * The vote stored earlier under this voteId, if any: whether it is this same vote (a re-send
   * after a lost ack), and the answer to give again without counting anything.
   */
  earlier(voteId: string): { same: boolean; answer: () => R } | undefined;
  /**
   * Checks and writes the vote's own rows (inside the transaction), its categories decided by
   * `categorize` from its conversation and stored with it; throws to refuse it.
   */
  write(categorize: Categorizer): { counts: PublicResult | null; filed?: FiledVote | null; answer: R };
}

export interface VoteRecorderDeps {
  batcher: VoteBatcher;
  ratings: RatingsRepo;
  eloK: number;
  categorize: Categorizer;
  categories: Pick<VoteCategoriesRepo, 'index'>;
  /** After COMMIT, for a vote that counts in public: both models' new rating rows. */
  onCounted: (rows: { a: RatingRow; b: RatingRow }) => void;
  /** After COMMIT, for every vote written: where it was filed (the standings views it changes). */
  onFiled?: (vote: FiledVote) => void;
}

export class VoteRecorder {
  readonly #deps: VoteRecorderDeps;

  constructor(deps: VoteRecorderDeps) {
    this.#deps = deps;
  }

  async record<R>(voteId: string | null | undefined, vote: VoteWrite<R>): Promise<R> {
    const { rows, filed, answer } = await this.#deps.batcher.submit(() => {
      // Looked up inside the batch, so a second send of the same vote in the same batch sees the first.
      const earlier = voteId ? vote.earlier(voteId) : undefined;
      if (earlier) {
        if (!earlier.same) throw new AppError('conflict', 'this voteId was already used for a different vote', { field: 'voteId' });
        return { rows: null, filed: null, answer: earlier.answer() };
      }
      const written = vote.write(this.#deps.categorize);
      const filed = written.filed ?? null;
      if (filed) this.#deps.categories.index(filed.source, filed.rowId, filed.categories);
      const rows = written.counts ? this.#deps.ratings.applyVote({ ...written.counts, k: this.#deps.eloK }) : null;
      return { rows, filed, answer: written.answer };
    });
    if (rows) this.#deps.onCounted(rows);
    if (filed) this.#deps.onFiled?.(filed);
    return answer;
  }

  /** Resolves once every vote submitted so far is committed or refused (shutdown). */
  drain(): Promise<void> {
    return this.#deps.batcher.drain();
  }
}

/** The recorder as the app composes it: one group-commit batcher, the standings told after COMMIT. */
export function createVoting(deps: {
  sqlite: Sqlite;
  ratings: RatingsRepo;
  eloK: number;
  standings: Pick<VoteRecorderDeps, 'categorize' | 'categories'> & {
    votesCounted: VoteRecorderDeps['onCounted'];
    votesFiled: NonNullable<VoteRecorderDeps['onFiled']>;
  };
}): VoteRecorder {
  const { standings } = deps;
  return new VoteRecorder({
    batcher: new VoteBatcher(deps.sqlite),
    ratings: deps.ratings,
    eloK: deps.eloK,
    categorize: standings.categorize,
    categories: standings.categories,
    onCounted: (rows) => standings.votesCounted(rows),
    onFiled: (vote) => standings.votesFiled(vote),
  });
}
