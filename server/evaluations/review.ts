/** The admin's per-item review (pure): items with every vote in the item's own orientation, voters by label. */
import type { EvalItemReview } from '../../protocol/evaluations.ts';
import { agreementCategory } from './results.ts';
import type { ReviewItemRow, ReviewVoteRow } from './review-repo.ts';

export interface ReviewOptions {
  votesWanted: number;
  modelName: (id: string) => string;
  /** How a voter id is shown (emails for admins). */
  voterLabel: (voterId: string) => string;
}

export function toItemReviews(rows: readonly ReviewItemRow[], votes: readonly ReviewVoteRow[], opts: ReviewOptions): EvalItemReview[] {
  const byItem = new Map<string, ReviewVoteRow[]>();
  for (const v of votes) byItem.set(v.itemId, [...(byItem.get(v.itemId) ?? []), v]);
  return rows.map((row) => ({
    itemId: row.itemId,
    questionId: row.questionId,
    category: row.category,
    prompt: row.turns[0] ?? '',
    turns: row.turns.length,
    models: { x: { id: row.modelX, name: opts.modelName(row.modelX) }, y: { id: row.modelY, name: opts.modelName(row.modelY) } },
    votesWanted: opts.votesWanted,
    votes: (byItem.get(row.itemId) ?? []).map((v) => ({
      voter: opts.voterLabel(v.voterId),
      // Each voter saw the sides in their own random order: say which model they preferred.
      choice: agreementCategory({ winner: v.winner, modelA: v.modelA, itemModelX: row.modelX }),
      reason: v.reason,
      at: v.createdAt.toISOString(),
    })),
  }));
}
