/**
 * The admin's view of vote integrity: how many votes each rule keeps out, and the leaderboard
 * recomputed from the votes with any chosen rule switched off, so its effect can be seen.
 */
import type { Db } from '../../db/client.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { rankModels, type RatingsLeaderboard } from '../ratings/summary.ts';
import { INTEGRITY_FLAGS, type IntegrityFlag, type Winner } from '../../protocol/types.ts';
import { findOutlierVoters, type OutlierVoter } from './outliers.ts';

interface VoteRecord {
  voterId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  flags: IntegrityFlag[];
}

export interface IntegrityReport {
  totalVotes: number;
  countedVotes: number;
  rules: Array<{ rule: IntegrityFlag; flagged: number }>;
  outliers: OutlierVoter[];
  recentFlagged: Array<{ battleId: string; voterId: string; winner: Winner; modelA: string; modelB: string; flags: IntegrityFlag[]; at: string }>;
}

export class IntegrityReview {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  #votes(): VoteRecord[] {
    return (
      this.#db.$client.prepare('SELECT voter_id, model_a, model_b, winner, flags FROM votes ORDER BY id').all() as Array<{
        voter_id: string;
        model_a: string;
        model_b: string;
        winner: Winner;
        flags: string;
      }>
    ).map((r) => ({ voterId: r.voter_id, modelA: r.model_a, modelB: r.model_b, winner: r.winner, flags: JSON.parse(r.flags) as IntegrityFlag[] }));
  }

  report(): IntegrityReport {
    const votes = this.#votes();
    const counted = votes.filter((v) => v.flags.length === 0);
    const board = rank(counted);
    const recent = this.#db.$client
      .prepare("SELECT battle_id, voter_id, winner, model_a, model_b, flags, created_at FROM votes WHERE flags != '[]' ORDER BY id DESC LIMIT 50")
      .all() as Array<{ battle_id: string; voter_id: string; winner: Winner; model_a: string; model_b: string; flags: string; created_at: number }>;
    return {
      totalVotes: votes.length,
      countedVotes: counted.length,
      rules: INTEGRITY_FLAGS.map((rule) => ({ rule, flagged: votes.filter((v) => v.flags.includes(rule)).length })),
      outliers: findOutlierVoters(counted, btRatings(board)),
      recentFlagged: recent.map((r) => ({
        battleId: r.battle_id,
        voterId: r.voter_id,
        winner: r.winner,
        modelA: r.model_a,
        modelB: r.model_b,
        flags: JSON.parse(r.flags) as IntegrityFlag[],
        at: new Date(r.created_at).toISOString(),
      })),
    };
  }

  /**
   * The leaderboard from the votes, with the flags in `include` no longer excluding a vote and,
   * optionally, outlier voters' votes left out.
   */
  recompute(opts: { include: readonly IntegrityFlag[]; excludeOutliers: boolean }): RatingsLeaderboard & { votesUsed: number } {
    const votes = this.#votes();
    let used = votes.filter((v) => v.flags.every((f) => opts.include.includes(f)));
    if (opts.excludeOutliers) {
      const outliers = new Set(findOutlierVoters(used, btRatings(rank(used))).map((o) => o.voterId));
      used = used.filter((v) => !outliers.has(v.voterId));
    }
    return { ...rank(used), votesUsed: used.length };
  }
}

function rank(votes: VoteRecord[]): RatingsLeaderboard {
  return rankModels(
    votes.map((v) => ({ model_a: v.modelA, model_b: v.modelB, winner: outcomeFromDbWinner(v.winner) })),
    { method: 'both', bootstrap: 0 },
  );
}

function btRatings(board: RatingsLeaderboard): Map<string, number> {
  return new Map(board.models.map((m) => [m.model, m.rating]));
}
