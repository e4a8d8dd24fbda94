/**
 * The one path every vote takes, from the arena or an evaluation: group commit (VoteBatcher),
 * exactly-once by the client's voteId, the vote's own rows and, when it counts in public, both
 * models' online Elo, all in one transaction. The promise settles after COMMIT (an acknowledged
 * vote is a committed vote); the live standings hear of a counted vote only then.
 */
import type { Winner } from '../../protocol/types.ts';
import type { RatingRow, RatingsRepo } from '../standings/ratings-repo.ts';
import { AppError } from '../transport/errors.ts';
import type { VoteBatcher } from './vote-batcher.ts';

/** What a counted vote adds to the public ratings. */
export interface PublicResult {
  modelA: string;
  modelB: string;
  winner: Winner;
}

/** One kind of vote (arena battle, evaluation item): how to find it again, and how to write it. */
export interface VoteWrite<R> {
  /**
   * The vote stored earlier under this voteId, if any: whether it is this same vote (a re-send
   * after a lost ack), and the answer to give again without counting anything.
   */
  earlier(voteId: string): { same: boolean; answer: () => R } | undefined;
  /** Checks and writes the vote's own rows (inside the transaction); throws to refuse it. */
  write(): { counts: PublicResult | null; answer: R };
}

export interface VoteRecorderDeps {
  batcher: VoteBatcher;
  ratings: RatingsRepo;
  eloK: number;
  /** After COMMIT, for a vote that counts in public: both models' new rating rows. */
  onCounted: (rows: { a: RatingRow; b: RatingRow }) => void;
}

export class VoteRecorder {
  readonly #deps: VoteRecorderDeps;

  constructor(deps: VoteRecorderDeps) {
    this.#deps = deps;
  }

  async record<R>(voteId: string | null | undefined, vote: VoteWrite<R>): Promise<R> {
    const { rows, answer } = await this.#deps.batcher.submit(() => {
      // Looked up inside the batch, so a second send of the same vote in the same batch sees the first.
      const earlier = voteId ? vote.earlier(voteId) : undefined;
      if (earlier) {
        if (!earlier.same) throw new AppError('conflict', 'this voteId was already used for a different vote', { field: 'voteId' });
        return { rows: null, answer: earlier.answer() };
      }
      const written = vote.write();
      const rows = written.counts ? this.#deps.ratings.applyVote({ ...written.counts, k: this.#deps.eloK }) : null;
      return { rows, answer: written.answer };
    });
    if (rows) this.#deps.onCounted(rows);
    return answer;
  }

  /** Resolves once every vote submitted so far is committed or refused (shutdown). */
  drain(): Promise<void> {
    return this.#deps.batcher.drain();
  }
}
