/** SQL for evaluations: campaigns, prompts, generations, items, leases and votes. No rules here. */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { evalAssignments, evalGenerations, evalItems, evalPrompts, evaluations, evalVotes } from '../../db/schema-evaluations.ts';
import type { ItemCandidate } from './assignment.ts';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type PromptRow = typeof evalPrompts.$inferSelect;
export type GenerationRow = typeof evalGenerations.$inferSelect;
export type ItemRow = typeof evalItems.$inferSelect;
export type AssignmentRow = typeof evalAssignments.$inferSelect;
export type EvalVoteRow = typeof evalVotes.$inferSelect;

export interface NewEvaluation {
  evaluation: typeof evaluations.$inferInsert;
  prompts: Array<{ questionId: string; category: string | null; turns: string[] }>;
  /** Pairs of model ids, first < second. */
  pairs: Array<[string, string]>;
  newItemId: () => string;
}

export class EvaluationRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** The campaign, its prompts, one pending generation per prompt×model and one item per prompt×pair: all or nothing. */
  create(n: NewEvaluation): void {
    this.#db.transaction((tx) => {
      const ev = tx.insert(evaluations).values(n.evaluation).returning().get();
      n.prompts.forEach((p, i) => {
        const prompt = tx
          .insert(evalPrompts)
          .values({ evaluationId: ev.id, position: i + 1, questionId: p.questionId, category: p.category, turns: p.turns })
          .returning({ id: evalPrompts.id })
          .get();
        for (const modelId of ev.models) tx.insert(evalGenerations).values({ evaluationId: ev.id, promptId: prompt.id, modelId }).run();
        for (const [modelX, modelY] of n.pairs) {
          tx.insert(evalItems).values({ id: n.newItemId(), evaluationId: ev.id, promptId: prompt.id, modelX, modelY }).run();
        }
      });
    });
  }

  get(id: string): EvaluationRow | undefined {
    return this.#db.select().from(evaluations).where(eq(evaluations.id, id)).get();
  }

  list(status?: EvaluationRow['status']): EvaluationRow[] {
    return this.#db
      .select()
      .from(evaluations)
      .where(status ? eq(evaluations.status, status) : undefined)
      .orderBy(desc(evaluations.createdAt))
      .all();
  }

  setStatus(id: string, status: EvaluationRow['status'], at: Date): void {
    const stamp = status === 'running' ? { startedAt: at } : status === 'closed' ? { closedAt: at } : {};
    this.#db
      .update(evaluations)
      .set({ status, ...stamp })
      .where(eq(evaluations.id, id))
      .run();
  }

  /** Back from closed to running (or to draft if it never started), keeping when it started. */
  reopen(id: string, status: 'draft' | 'running'): void {
    this.#db.update(evaluations).set({ status, closedAt: null }).where(eq(evaluations.id, id)).run();
  }

  promptCount(id: string): number {
    return this.#db.select({ n: sql<number>`count(*)` }).from(evalPrompts).where(eq(evalPrompts.evaluationId, id)).get()?.n ?? 0;
  }

  categories(id: string): string[] {
    return this.#db
      .selectDistinct({ category: evalPrompts.category })
      .from(evalPrompts)
      .where(eq(evalPrompts.evaluationId, id))
      .all()
      .map((r) => r.category)
      .filter((c): c is string => c !== null)
      .sort();
  }

  prompt(id: number): PromptRow | undefined {
    return this.#db.select().from(evalPrompts).where(eq(evalPrompts.id, id)).get();
  }

  generationCounts(id: string): Record<GenerationRow['status'], number> {
    const counts = { pending: 0, running: 0, done: 0, failed: 0 };
    const rows = this.#db
      .select({ status: evalGenerations.status, n: sql<number>`count(*)` })
      .from(evalGenerations)
      .where(eq(evalGenerations.evaluationId, id))
      .groupBy(evalGenerations.status)
      .all();
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  /** Items in total, items whose two answers are both ready, items with all the votes they want, and votes cast. */
  itemCounts(id: string, votesWanted: number): { total: number; ready: number; complete: number; votes: number } {
    const row = this.#db.get<{ total: number; ready: number; complete: number; votes: number }>(sql`
      SELECT count(*) AS total,
             coalesce(sum(gx.status = 'done' AND gy.status = 'done'), 0) AS ready,
             coalesce(sum((SELECT count(*) FROM eval_votes v WHERE v.item_id = i.id) >= ${votesWanted}), 0) AS complete,
             (SELECT count(*) FROM eval_votes v WHERE v.evaluation_id = ${id}) AS votes
      FROM eval_items i
      JOIN eval_generations gx ON gx.prompt_id = i.prompt_id AND gx.model_id = i.model_x
      JOIN eval_generations gy ON gy.prompt_id = i.prompt_id AND gy.model_id = i.model_y
      WHERE i.evaluation_id = ${id}`);
    return row ?? { total: 0, ready: 0, complete: 0, votes: 0 };
  }

  failures(id: string): Array<GenerationRow & { questionId: string }> {
    return this.#db
      .select({ g: evalGenerations, questionId: evalPrompts.questionId })
      .from(evalGenerations)
      .innerJoin(evalPrompts, eq(evalPrompts.id, evalGenerations.promptId))
      .where(and(eq(evalGenerations.evaluationId, id), eq(evalGenerations.status, 'failed')))
      .orderBy(asc(evalPrompts.position), asc(evalGenerations.modelId))
      .all()
      .map((r) => ({ ...r.g, questionId: r.questionId }));
  }

  /** The next generation due, from running evaluations, oldest evaluation and earliest prompt first. */
  nextDueGeneration(now: Date): GenerationRow | undefined {
    return this.#db
      .select({ g: evalGenerations })
      .from(evalGenerations)
      .innerJoin(evaluations, eq(evaluations.id, evalGenerations.evaluationId))
      .innerJoin(evalPrompts, eq(evalPrompts.id, evalGenerations.promptId))
      .where(
        and(eq(evaluations.status, 'running'), eq(evalGenerations.status, 'pending'), or(isNull(evalGenerations.retryAt), lte(evalGenerations.retryAt, now))),
      )
      .orderBy(asc(evaluations.startedAt), asc(evalPrompts.position), asc(evalGenerations.id))
      .limit(1)
      .get()?.g;
  }

  /** When the next pending generation waiting out a backoff becomes due, if any. */
  nextRetryAt(): Date | null {
    const row = this.#db
      .select({ at: sql<number | null>`min(${evalGenerations.retryAt})` })
      .from(evalGenerations)
      .innerJoin(evaluations, eq(evaluations.id, evalGenerations.evaluationId))
      .where(and(eq(evaluations.status, 'running'), eq(evalGenerations.status, 'pending')))
      .get();
    return row?.at != null ? new Date(row.at) : null;
  }

  claimGeneration(id: number, now: Date): void {
    this.#db
      .update(evalGenerations)
      .set({ status: 'running', attempts: sql`${evalGenerations.attempts} + 1`, updatedAt: now })
      .where(eq(evalGenerations.id, id))
      .run();
  }

  finishGeneration(id: number, set: Partial<GenerationRow>): void {
    this.#db.update(evalGenerations).set(set).where(eq(evalGenerations.id, id)).run();
  }

  /** After a crash or shutdown, answers that were being generated start over. */
  requeueRunning(): number {
    return this.#db
      .update(evalGenerations)
      .set({ status: 'pending', attempts: sql`max(${evalGenerations.attempts} - 1, 0)` })
      .where(eq(evalGenerations.status, 'running'))
      .run().changes;
  }

  requeueFailed(evaluationId: string): number {
    return this.#db
      .update(evalGenerations)
      .set({ status: 'pending', attempts: 0, retryAt: null })
      .where(and(eq(evalGenerations.evaluationId, evaluationId), eq(evalGenerations.status, 'failed')))
      .run().changes;
  }

  answersOf(promptId: number, modelIds: string[]): Map<string, string[]> {
    const rows = this.#db
      .select({ modelId: evalGenerations.modelId, answers: evalGenerations.answers })
      .from(evalGenerations)
      .where(and(eq(evalGenerations.promptId, promptId), inArray(evalGenerations.modelId, modelIds)))
      .all();
    return new Map(rows.map((r) => [r.modelId, r.answers ?? []]));
  }

  item(id: string): ItemRow | undefined {
    return this.#db.select().from(evalItems).where(eq(evalItems.id, id)).get();
  }

  /** Every item whose two answers are ready, with its votes, others' open leases, and whether this voter judged it. */
  candidates(evaluationId: string, voterId: string, now: Date): ItemCandidate[] {
    return this.#db
      .all<{ itemId: string; votes: number; leases: number; judged: number }>(sql`
        SELECT i.id AS itemId,
               (SELECT count(*) FROM eval_votes v WHERE v.item_id = i.id) AS votes,
               (SELECT count(*) FROM eval_assignments a
                 WHERE a.item_id = i.id AND a.voter_id <> ${voterId} AND a.expires_at > ${now.getTime()}) AS leases,
               EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id AND v.voter_id = ${voterId}) AS judged
        FROM eval_items i
        JOIN eval_generations gx ON gx.prompt_id = i.prompt_id AND gx.model_id = i.model_x AND gx.status = 'done'
        JOIN eval_generations gy ON gy.prompt_id = i.prompt_id AND gy.model_id = i.model_y AND gy.status = 'done'
        WHERE i.evaluation_id = ${evaluationId}`)
      .map((r) => ({ itemId: r.itemId, votes: r.votes, leases: r.leases, judgedByVoter: r.judged === 1 }));
  }

  /** An item this voter was handed and has not voted on yet (to give it back after a reload). */
  heldAssignment(evaluationId: string, voterId: string): AssignmentRow | undefined {
    return this.#db
      .select()
      .from(evalAssignments)
      .where(and(eq(evalAssignments.evaluationId, evaluationId), eq(evalAssignments.voterId, voterId)))
      .orderBy(asc(evalAssignments.createdAt))
      .limit(1)
      .get();
  }

  assignment(itemId: string, voterId: string): AssignmentRow | undefined {
    return this.#db
      .select()
      .from(evalAssignments)
      .where(and(eq(evalAssignments.itemId, itemId), eq(evalAssignments.voterId, voterId)))
      .get();
  }

  assign(a: typeof evalAssignments.$inferInsert): void {
    this.#db.insert(evalAssignments).values(a).run();
  }

  voteByVoteId(voteId: string): EvalVoteRow | undefined {
    return this.#db.select().from(evalVotes).where(eq(evalVotes.voteId, voteId)).get();
  }

  votesOnItem(itemId: string): number {
    return this.#db.select({ n: sql<number>`count(*)` }).from(evalVotes).where(eq(evalVotes.itemId, itemId)).get()?.n ?? 0;
  }

  /** Drops a voter's hold on an item (its lease ran out and others filled it). */
  release(itemId: string, voterId: string): void {
    this.#db
      .delete(evalAssignments)
      .where(and(eq(evalAssignments.itemId, itemId), eq(evalAssignments.voterId, voterId)))
      .run();
  }

  voteOf(itemId: string, voterId: string): EvalVoteRow | undefined {
    return this.#db
      .select()
      .from(evalVotes)
      .where(and(eq(evalVotes.itemId, itemId), eq(evalVotes.voterId, voterId)))
      .get();
  }

  votesBy(evaluationId: string, voterId: string): number {
    return (
      this.#db
        .select({ n: sql<number>`count(*)` })
        .from(evalVotes)
        .where(and(eq(evalVotes.evaluationId, evaluationId), eq(evalVotes.voterId, voterId)))
        .get()?.n ?? 0
    );
  }

  /** The vote and the end of its lease (inside the vote's transaction; server/voting adds the public ratings). */
  /** Returns the vote's row id. */
  insertVote(v: typeof evalVotes.$inferInsert): number {
    const { lastInsertRowid } = this.#db.insert(evalVotes).values(v).run();
    this.#db
      .delete(evalAssignments)
      .where(and(eq(evalAssignments.itemId, v.itemId), eq(evalAssignments.voterId, v.voterId)))
      .run();
    return Number(lastInsertRowid);
  }
}
