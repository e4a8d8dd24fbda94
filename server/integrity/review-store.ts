/**
 * What the integrity review reads of the votes: one interface with a SQLite (review-repo.ts) and
 * a PostgreSQL (review-pg-repo.ts) implementation, so the review never knows which database is
 * underneath. Reads only.
 */
import type { FlaggedVote } from '../../protocol/integrity.ts';
import type { IntegrityFlag, Winner } from '../../protocol/types.ts';

export interface ReviewVote {
  voterId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  flags: IntegrityFlag[];
}

export interface VoteReviewStore {
  /** Every arena vote with its flags, in the order they were cast. */
  votes(): Promise<ReviewVote[]>;
  /** Counted arena votes per prompt hash (votes without a stored prompt, or not yet hashed, left out). */
  promptCounts(): Promise<Map<string, number>>;
  /** The user turns of one battle voted with this prompt hash (they are the same for all of them). */
  promptOf(hash: string): Promise<string[]>;
  /** The latest flagged votes, newest first. */
  recentFlagged(limit: number): Promise<FlaggedVote[]>;
}
