/**
 * The public record of every model, kept up to date by folding in only the votes committed since
 * the last read (votes are append-only), so a model page costs a small query, not a pass over every
 * vote. A vote that sorts before one already folded in (the same millisecond, another table)
 * rebuilds the record, so it always equals a recompute from scratch.
 */
import { PublicRecord } from './model-record.ts';
import type { HistoryRepo, TimedVote } from './repo.ts';

const before = (v: TimedVote, last: TimedVote) => v[3] - last[3] || v[4] - last[4] || v[5] - last[5];

export class PublicRecordCache {
  readonly #repo: HistoryRepo;
  readonly #k: number;
  #record: PublicRecord;
  #after = { vote: 0, evalVote: 0 };
  #last: TimedVote | null = null;

  constructor(repo: HistoryRepo, k: number) {
    this.#repo = repo;
    this.#k = k;
    this.#record = new PublicRecord(k);
  }

  current(): PublicRecord {
    const fresh = this.#repo.publicVotesAfter(this.#after);
    if (this.#last && fresh.length > 0 && before(fresh[0]!, this.#last) < 0) {
      this.#record = new PublicRecord(this.#k);
      this.#after = { vote: 0, evalVote: 0 };
      this.#last = null;
      this.#fold(this.#repo.publicVotesAfter(this.#after));
    } else {
      this.#fold(fresh);
    }
    return this.#record;
  }

  #fold(votes: TimedVote[]): void {
    for (const v of votes) {
      this.#record.apply(v[0], v[1], v[2], v[3]);
      if (v[4] === 0) this.#after.vote = Math.max(this.#after.vote, v[5]);
      else this.#after.evalVote = Math.max(this.#after.evalVote, v[5]);
      this.#last = v;
    }
  }
}
