/**
 * SQL that writes an evaluation's content: prompts, the generations to make (or reuse) and the
 * items to judge, in one transaction with the campaign row. A draft's content can be replaced whole.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { evalGenerations, evalItems, evalPrompts, type GoldAnswers } from '../../db/schema-evaluations.ts';
import { styleColumnsOf } from '../standings/answer-style.ts';
import { GOLD_SIDES } from './gold.ts';

export interface NewPrompt {
  questionId: string;
  category: string | null;
  turns: string[];
  gold: GoldAnswers | null;
  /** Answers already generated elsewhere (a re-run), by model: stored as done, not generated again. */
  answers?: ReadonlyMap<string, string[]>;
}

export interface NewContent {
  evaluationId: string;
  /** Models answering every (non-gold) prompt. */
  models: readonly string[];
  prompts: readonly NewPrompt[];
  /** Pairs of model ids judged on every prompt, first < second. */
  pairs: ReadonlyArray<readonly [string, string]>;
  newItemId: () => string;
}

export function insertContent(tx: Tx, c: NewContent): void {
  c.prompts.forEach((p, i) => {
    const prompt = tx
      .insert(evalPrompts)
      .values({ evaluationId: c.evaluationId, position: i + 1, questionId: p.questionId, category: p.category, turns: p.turns, gold: p.gold })
      .returning({ id: evalPrompts.id })
      .get();
    if (p.gold) {
      // A gold item stands alone: its two fixed answers take the places of two models.
      tx.insert(evalItems).values({ id: c.newItemId(), evaluationId: c.evaluationId, promptId: prompt.id, modelX: GOLD_SIDES.x, modelY: GOLD_SIDES.y }).run();
      return;
    }
    for (const modelId of c.models) {
      const reused = p.answers?.get(modelId);
      tx.insert(evalGenerations)
        .values({
          evaluationId: c.evaluationId,
          promptId: prompt.id,
          modelId,
          ...(reused ? { status: 'done' as const, answers: reused, ...styleColumnsOf(reused) } : {}),
        })
        .run();
    }
    for (const [modelX, modelY] of c.pairs) {
      tx.insert(evalItems).values({ id: c.newItemId(), evaluationId: c.evaluationId, promptId: prompt.id, modelX, modelY }).run();
    }
  });
}

/** Removes a draft's prompts, generations and items (a draft has no votes, leases or judgments). */
export function deleteContent(tx: Tx, evaluationId: string): void {
  tx.delete(evalItems).where(eq(evalItems.evaluationId, evaluationId)).run();
  tx.delete(evalGenerations).where(eq(evalGenerations.evaluationId, evaluationId)).run();
  tx.delete(evalPrompts).where(eq(evalPrompts.evaluationId, evaluationId)).run();
}
