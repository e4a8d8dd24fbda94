/**
 * The admin's view of vote integrity: how many votes each rule keeps out, and the leaderboard
 * recomputed from the votes with any chosen rule switched off, so its effect can be seen.
 */

import type { IntegrityReport, PromptDedupReport } from '../../protocol/integrity.ts';
import { INTEGRITY_FLAGS, type IntegrityFlag } from '../../protocol/types.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { frequentPrompts, promptKey } from '../ratings/prompt-dedup.ts';
import { type RatingsLeaderboard, rankModels } from '../ratings/summary.ts';
import { findOutlierVoters } from './outliers.ts';
import type { ReviewVote, VoteReviewStore } from './review-store.ts';

const SHOWN_PROMPTS = 50;
const PROMPT_CHARS = 300;

export class IntegrityReview {
  readonly #store: VoteReviewStore;
  readonly #topShare: number;
  /** `topShare`: prompt deduplication's (config `standings.promptDedup.topShare`), as the public fit applies it. */
  constructor(store: VoteReviewStore, opts: { topShare?: number } = {}) {
    this.#store = store;
    this.#topShare = opts.topShare ?? 0;
  }

  /** What prompt deduplication down-weights in the public fit: the same counted arena votes, the same rule. */
  async promptDedup(): Promise<PromptDedupReport> {
    const counts = await this.#store.promptCounts();
    const { cap, frequent } = frequentPrompts(counts, { topShare: this.#topShare });
    const capped = Number.isFinite(cap) ? cap : null;
    return {
      topShare: this.#topShare,
      cap: capped,
      distinctPrompts: counts.size,
      downWeightedVotes: frequent.reduce((s, f) => s + f.count, 0),
      downWeightedWeight: capped === null ? 0 : capped * frequent.length,
      prompts: await Promise.all(
        frequent.slice(0, SHOWN_PROMPTS).map(async (f) => ({
          prompt: promptKey(await this.#store.promptOf(f.key)).slice(0, PROMPT_CHARS),
          votes: f.count,
          weight: Math.round((capped! / f.count) * 10_000) / 10_000,
        })),
      ),
    };
  }

  async report(): Promise<IntegrityReport> {
    const votes = await this.#store.votes();
    const counted = votes.filter((v) => v.flags.length === 0);
    const board = rank(counted);
    return {
      totalVotes: votes.length,
      countedVotes: counted.length,
      rules: INTEGRITY_FLAGS.map((rule) => ({ rule, flagged: votes.filter((v) => v.flags.includes(rule)).length })),
      outliers: findOutlierVoters(counted, btRatings(board)),
      recentFlagged: await this.#store.recentFlagged(50),
      promptDedup: await this.promptDedup(),
    };
  }

  /**
   * The leaderboard from the votes, with the flags in `include` no longer excluding a vote and,
   * optionally, outlier voters' votes left out.
   */
  async recompute(opts: { include: readonly IntegrityFlag[]; excludeOutliers: boolean }): Promise<RatingsLeaderboard & { votesUsed: number }> {
    const votes = await this.#store.votes();
    let used = votes.filter((v) => v.flags.every((f) => opts.include.includes(f)));
    if (opts.excludeOutliers) {
      const outliers = new Set(findOutlierVoters(used, btRatings(rank(used))).map((o) => o.voterId));
      used = used.filter((v) => !outliers.has(v.voterId));
    }
    return { ...rank(used), votesUsed: used.length };
  }
}

function rank(votes: ReviewVote[]): RatingsLeaderboard {
  return rankModels(
    votes.map((v) => ({ model_a: v.modelA, model_b: v.modelB, winner: outcomeFromDbWinner(v.winner) })),
    { method: 'both', bootstrap: 0 },
  );
}

function btRatings(board: RatingsLeaderboard): Map<string, number> {
  return new Map(board.models.map((m) => [m.model, m.rating]));
}
