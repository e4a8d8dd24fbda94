/** SQL for evaluations: campaigns, prompts, items, leases, skips and votes (generations in generation-repo.ts). No rules here. */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { evalAssignments, evalGenerations, evalItems, evalPrompts, evalSkips, evaluations, evalVotes } from '../../db/schema-evaluations.ts';
import type { ItemCandidate } from './assignment.ts';
import { deleteContent, insertContent, type NewContent } from './content-repo.ts';
import { GenerationRepo } from './generation-repo.ts';
import { GOLD_SIDES } from './gold.ts';

export type { GenerationRow } from './generation-repo.ts';
export type EvaluationRow = typeof evaluations.$inferSelect;
export type PromptRow = typeof evalPrompts.$inferSelect;
export type ItemRow = typeof evalItems.$inferSelect;
export type AssignmentRow = typeof evalAssignments.$inferSelect;
export type EvalVoteRow = typeof evalVotes.$inferSelect;

export class EvaluationRepo extends GenerationRepo {
  /** The campaign, its prompts, one pending generation per prompt×model and one item per prompt×pair: all or nothing. */
  create(evaluation: typeof evaluations.$inferInsert, content: Omit<NewContent, 'evaluationId' | 'models'>): void {
    this.db.transaction((tx) => {
      const ev = tx.insert(evaluations).values(evaluation).returning().get();
      insertContent(tx, { ...content, evaluationId: ev.id, models: ev.models });
    });
  }

  /** Edits a campaign's settings; with `content`, its prompts, generations and items are replaced (drafts only). */
  update(id: string, set: Partial<typeof evaluations.$inferInsert>, content?: Omit<NewContent, 'evaluationId' | 'models'>): void {
    this.db.transaction((tx) => {
      if (Object.keys(set).length > 0) tx.update(evaluations).set(set).where(eq(evaluations.id, id)).run();
      if (!content) return;
      const ev = tx.select().from(evaluations).where(eq(evaluations.id, id)).get()!;
      deleteContent(tx, id);
      insertContent(tx, { ...content, evaluationId: id, models: ev.models });
    });
  }

  /** Every prompt of the campaign in file order (gold ones included). */
  prompts(id: string): PromptRow[] {
    return this.db.select().from(evalPrompts).where(eq(evalPrompts.evaluationId, id)).orderBy(asc(evalPrompts.position)).all();
  }

  goldCount(id: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(evalPrompts)
        .where(and(eq(evalPrompts.evaluationId, id), isNotNull(evalPrompts.gold)))
        .get()?.n ?? 0
    );
  }

  get(id: string): EvaluationRow | undefined {
    return this.db.select().from(evaluations).where(eq(evaluations.id, id)).get();
  }

  list(status?: EvaluationRow['status']): EvaluationRow[] {
    return this.db
      .select()
      .from(evaluations)
      .where(status ? eq(evaluations.status, status) : undefined)
      .orderBy(desc(evaluations.createdAt))
      .all();
  }

  setStatus(id: string, status: EvaluationRow['status'], at: Date): void {
    const stamp = status === 'running' ? { startedAt: at } : status === 'closed' ? { closedAt: at } : {};
    this.db
      .update(evaluations)
      .set({ status, ...stamp })
      .where(eq(evaluations.id, id))
      .run();
  }

  /** Back from closed to running (or to draft if it never started), keeping when it started. */
  reopen(id: string, status: 'draft' | 'running'): void {
    this.db.update(evaluations).set({ status, closedAt: null }).where(eq(evaluations.id, id)).run();
  }

  promptCount(id: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(evalPrompts)
        .where(and(eq(evalPrompts.evaluationId, id), isNull(evalPrompts.gold)))
        .get()?.n ?? 0
    );
  }

  categories(id: string): string[] {
    return this.db
      .selectDistinct({ category: evalPrompts.category })
      .from(evalPrompts)
      .where(and(eq(evalPrompts.evaluationId, id), isNull(evalPrompts.gold)))
      .all()
      .map((r) => r.category)
      .filter((c): c is string => c !== null)
      .sort();
  }

  prompt(id: number): PromptRow | undefined {
    return this.db.select().from(evalPrompts).where(eq(evalPrompts.id, id)).get();
  }

  /** Items in total, items whose two answers are both ready, items with all the votes they want, and votes cast. */
  itemCounts(id: string, votesWanted: number): { total: number; ready: number; complete: number; votes: number } {
    const row = this.db.get<{ total: number; ready: number; complete: number; votes: number }>(sql`
      SELECT count(*) AS total,
             coalesce(sum(gx.status = 'done' AND gy.status = 'done'), 0) AS ready,
             coalesce(sum((SELECT count(*) FROM eval_votes v WHERE v.item_id = i.id) >= ${votesWanted}), 0) AS complete,
             (SELECT count(*) FROM eval_votes v JOIN eval_items vi ON vi.id = v.item_id
               WHERE v.evaluation_id = ${id} AND vi.model_x <> ${GOLD_SIDES.x}) AS votes
      FROM eval_items i
      JOIN eval_generations gx ON gx.prompt_id = i.prompt_id AND gx.model_id = i.model_x
      JOIN eval_generations gy ON gy.prompt_id = i.prompt_id AND gy.model_id = i.model_y
      WHERE i.evaluation_id = ${id}`);
    return row ?? { total: 0, ready: 0, complete: 0, votes: 0 };
  }

  answersOf(promptId: number, modelIds: string[]): Map<string, string[]> {
    const rows = this.db
      .select({ modelId: evalGenerations.modelId, answers: evalGenerations.answers })
      .from(evalGenerations)
      .where(and(eq(evalGenerations.promptId, promptId), inArray(evalGenerations.modelId, modelIds)))
      .all();
    return new Map(rows.map((r) => [r.modelId, r.answers ?? []]));
  }

  item(id: string): ItemRow | undefined {
    return this.db.select().from(evalItems).where(eq(evalItems.id, id)).get();
  }

  /** Every item whose two answers are ready, with its votes, others' open leases, and whether this voter judged (or skipped) it. Never gold items. */
  candidates(evaluationId: string, voterId: string, now: Date): ItemCandidate[] {
    return this.db
      .all<{ itemId: string; votes: number; leases: number; judged: number }>(sql`
        SELECT i.id AS itemId,
               (SELECT count(*) FROM eval_votes v WHERE v.item_id = i.id) AS votes,
               (SELECT count(*) FROM eval_assignments a
                 WHERE a.item_id = i.id AND a.voter_id <> ${voterId} AND a.expires_at > ${now.getTime()}) AS leases,
               (EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id AND v.voter_id = ${voterId})
                OR EXISTS (SELECT 1 FROM eval_skips s WHERE s.item_id = i.id AND s.voter_id = ${voterId})) AS judged
        FROM eval_items i
        JOIN eval_generations gx ON gx.prompt_id = i.prompt_id AND gx.model_id = i.model_x AND gx.status = 'done'
        JOIN eval_generations gy ON gy.prompt_id = i.prompt_id AND gy.model_id = i.model_y AND gy.status = 'done'
        WHERE i.evaluation_id = ${evaluationId}`)
      .map((r) => ({ itemId: r.itemId, votes: r.votes, leases: r.leases, judgedByVoter: r.judged === 1 }));
  }

  /** An item this voter was handed and has not voted on yet (to give it back after a reload). */
  heldAssignment(evaluationId: string, voterId: string): AssignmentRow | undefined {
    return this.db
      .select()
      .from(evalAssignments)
      .where(and(eq(evalAssignments.evaluationId, evaluationId), eq(evalAssignments.voterId, voterId)))
      .orderBy(asc(evalAssignments.createdAt))
      .limit(1)
      .get();
  }

  assignment(itemId: string, voterId: string): AssignmentRow | undefined {
    return this.db
      .select()
      .from(evalAssignments)
      .where(and(eq(evalAssignments.itemId, itemId), eq(evalAssignments.voterId, voterId)))
      .get();
  }

  assign(a: typeof evalAssignments.$inferInsert): void {
    this.db.insert(evalAssignments).values(a).run();
  }

  voteByVoteId(voteId: string): EvalVoteRow | undefined {
    return this.db.select().from(evalVotes).where(eq(evalVotes.voteId, voteId)).get();
  }

  /** Votes counted towards the item's target (a gold item has none: every voter judges it, so 0). */
  votesOnItem(itemId: string): number {
    return (
      this.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM eval_votes v JOIN eval_items i ON i.id = v.item_id WHERE v.item_id = ${itemId} AND i.model_x <> ${GOLD_SIDES.x}`,
      )?.n ?? 0
    );
  }

  /** Drops a voter's hold on an item (its lease ran out and others filled it). */
  release(itemId: string, voterId: string): void {
    this.db
      .delete(evalAssignments)
      .where(and(eq(evalAssignments.itemId, itemId), eq(evalAssignments.voterId, voterId)))
      .run();
  }

  voteOf(itemId: string, voterId: string): EvalVoteRow | undefined {
    return this.db
      .select()
      .from(evalVotes)
      .where(and(eq(evalVotes.itemId, itemId), eq(evalVotes.voterId, voterId)))
      .get();
  }

  votesBy(evaluationId: string, voterId: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(evalVotes)
        .where(and(eq(evalVotes.evaluationId, evaluationId), eq(evalVotes.voterId, voterId)))
        .get()?.n ?? 0
    );
  }

  /** The vote and the end of its lease (inside the vote's transaction; server/voting adds the public ratings). */
  /** Returns the vote's row id. */
  insertVote(v: typeof evalVotes.$inferInsert): number {
    const { lastInsertRowid } = this.db.insert(evalVotes).values(v).run();
    this.db
      .delete(evalAssignments)
      .where(and(eq(evalAssignments.itemId, v.itemId), eq(evalAssignments.voterId, v.voterId)))
      .run();
    return Number(lastInsertRowid);
  }

  /** Gold items this voter has neither judged nor skipped. */
  openGold(evaluationId: string, voterId: string): string[] {
    return this.db
      .all<{ id: string }>(sql`
        SELECT i.id AS id FROM eval_items i
        WHERE i.evaluation_id = ${evaluationId} AND i.model_x = ${GOLD_SIDES.x}
          AND NOT EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id AND v.voter_id = ${voterId})
          AND NOT EXISTS (SELECT 1 FROM eval_skips s WHERE s.item_id = i.id AND s.voter_id = ${voterId})
        ORDER BY i.id`)
      .map((r) => r.id);
  }

  /** The voter passes on an item: the lease ends and it is never handed to them again. */
  skip(evaluationId: string, itemId: string, voterId: string, at: Date): void {
    this.db.transaction((tx) => {
      tx.insert(evalSkips).values({ evaluationId, itemId, voterId, createdAt: at }).onConflictDoNothing().run();
      tx.delete(evalAssignments)
        .where(and(eq(evalAssignments.itemId, itemId), eq(evalAssignments.voterId, voterId)))
        .run();
    });
  }

  /** Answers stored per prompt and model (done generations only), for a re-run. */
  doneAnswers(evaluationId: string, modelIds: readonly string[]): Map<number, Map<string, string[]>> {
    const out = new Map<number, Map<string, string[]>>();
    const rows = this.db
      .select({ promptId: evalGenerations.promptId, modelId: evalGenerations.modelId, answers: evalGenerations.answers })
      .from(evalGenerations)
      .where(and(eq(evalGenerations.evaluationId, evaluationId), eq(evalGenerations.status, 'done'), inArray(evalGenerations.modelId, [...modelIds])))
      .all();
    for (const r of rows) {
      if (!r.answers) continue;
      const byModel = out.get(r.promptId) ?? new Map<string, string[]>();
      byModel.set(r.modelId, r.answers);
      out.set(r.promptId, byModel);
    }
    return out;
  }

  /** Non-gold items whose two answers are ready, with the prompt and both answers (x first). */
  readyItems(evaluationId: string): Array<{ itemId: string; turns: string[]; first: string[]; second: string[] }> {
    return this.db
      .all<{ itemId: string; turns: string; x: string; y: string }>(sql`
        SELECT i.id AS itemId, p.turns AS turns, gx.answers AS x, gy.answers AS y
        FROM eval_items i
        JOIN eval_prompts p ON p.id = i.prompt_id
        JOIN eval_generations gx ON gx.prompt_id = i.prompt_id AND gx.model_id = i.model_x AND gx.status = 'done'
        JOIN eval_generations gy ON gy.prompt_id = i.prompt_id AND gy.model_id = i.model_y AND gy.status = 'done'
        WHERE i.evaluation_id = ${evaluationId}
        ORDER BY p.position, i.model_x, i.model_y`)
      .map((r) => ({ itemId: r.itemId, turns: JSON.parse(r.turns) as string[], first: JSON.parse(r.x) as string[], second: JSON.parse(r.y) as string[] }));
  }
}
