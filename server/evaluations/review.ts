/** The admin's per-item review (pure): items with every vote in the item's own orientation, voters by label. */
import type { EvalItemJudgment, EvalItemReview } from '../../protocol/evaluations.ts';
import { goldChoice } from './gold.ts';
import type { JudgmentRow } from './judges/judge-repo.ts';
import { choiceOf, combineOrders } from './judges/verdict.ts';
import { agreementCategory } from './results.ts';
import type { ReviewItemRow, ReviewVoteRow } from './review-repo.ts';

export interface ReviewOptions {
  votesWanted: number;
  modelName: (id: string) => string;
  /** How a voter id is shown (emails for admins). */
  voterLabel: (voterId: string) => string;
}

/** Every judge's two calls on one item, and their combined outcome. */
export function itemJudgments(calls: readonly JudgmentRow[], judgeOf: (runId: number) => { id: string; name: string }): EvalItemJudgment[] {
  const byRun = new Map<number, JudgmentRow[]>();
  for (const c of calls) byRun.set(c.runId, [...(byRun.get(c.runId) ?? []), c]);
  return [...byRun.entries()].map(([runId, list]) => {
    const choices = list.filter((c) => c.verdict).map((c) => choiceOf(c.verdict!, c.order));
    return {
      judge: judgeOf(runId),
      outcome: choices.length === 2 ? combineOrders(choices[0]!, choices[1]!) : null,
      orders: list.map((c) => ({
        shownFirst: c.order === 'xy' ? ('x' as const) : ('y' as const),
        status: c.status === 'running' ? ('pending' as const) : c.status,
        verdict: c.verdict,
        reason: c.reason,
      })),
    };
  });
}

export function toItemReviews(
  rows: readonly ReviewItemRow[],
  votes: readonly ReviewVoteRow[],
  opts: ReviewOptions & { judgments: (itemId: string) => EvalItemJudgment[] },
): EvalItemReview[] {
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
    skips: row.skips,
    gold: row.gold ? { verdict: goldChoice(row.gold) } : null,
    judgments: opts.judgments(row.itemId),
  }));
}
