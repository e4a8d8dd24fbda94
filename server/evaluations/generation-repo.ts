/** SQL for pre-generation: the queue of answers to generate is the eval_generations table itself. No rules here. */
import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { evalGenerations, evalPrompts, evaluations } from '../../db/schema-evaluations.ts';

export type GenerationRow = typeof evalGenerations.$inferSelect;

export class GenerationRepo {
  protected readonly db: Db;
  /** This instance (null alone and unnamed): the one a claimed generation is running on. */
  readonly #instanceId: string | null;
  constructor(db: Db, instanceId: string | null = null) {
    this.db = db;
    this.#instanceId = instanceId;
  }

  generationCounts(id: string): Record<GenerationRow['status'], number> {
    const counts = { pending: 0, running: 0, done: 0, failed: 0 };
    const rows = this.db
      .select({ status: evalGenerations.status, n: sql<number>`count(*)` })
      .from(evalGenerations)
      .where(eq(evalGenerations.evaluationId, id))
      .groupBy(evalGenerations.status)
      .all();
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  failures(id: string): Array<GenerationRow & { questionId: string }> {
    return this.db
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
    return this.db
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
    const row = this.db
      .select({ at: sql<number | null>`min(${evalGenerations.retryAt})` })
      .from(evalGenerations)
      .innerJoin(evaluations, eq(evaluations.id, evalGenerations.evaluationId))
      .where(and(eq(evaluations.status, 'running'), eq(evalGenerations.status, 'pending')))
      .get();
    return row?.at != null ? new Date(row.at) : null;
  }

  /** Takes a pending generation for this instance; false when another instance took it first. */
  claimGeneration(id: number, now: Date): boolean {
    return (
      this.db
        .update(evalGenerations)
        .set({ status: 'running', attempts: sql`${evalGenerations.attempts} + 1`, instanceId: this.#instanceId, updatedAt: now })
        .where(and(eq(evalGenerations.id, id), eq(evalGenerations.status, 'pending')))
        .run().changes === 1
    );
  }

  finishGeneration(id: number, set: Partial<GenerationRow>): void {
    this.db.update(evalGenerations).set(set).where(eq(evalGenerations.id, id)).run();
  }

  /**
   * After a crash or shutdown, answers that were being generated start over: every one when this
   * instance is alone, else its own (and those claimed before instances were named).
   */
  requeueRunning(opts: { alone: boolean } = { alone: true }): number {
    const own =
      this.#instanceId === null ? isNull(evalGenerations.instanceId) : or(isNull(evalGenerations.instanceId), eq(evalGenerations.instanceId, this.#instanceId));
    return this.#requeueWhere(opts.alone ? undefined : own);
  }

  /** The other instances generating answers now. */
  generatingInstances(): string[] {
    return this.db
      .selectDistinct({ instanceId: evalGenerations.instanceId })
      .from(evalGenerations)
      .where(
        and(
          eq(evalGenerations.status, 'running'),
          isNotNull(evalGenerations.instanceId),
          this.#instanceId === null ? undefined : ne(evalGenerations.instanceId, this.#instanceId),
        ),
      )
      .all()
      .map((r) => r.instanceId!);
  }

  /** The answers instances found dead were generating go back to the queue. */
  requeueRunningOf(instanceIds: readonly string[]): number {
    return instanceIds.length === 0 ? 0 : this.#requeueWhere(inArray(evalGenerations.instanceId, [...instanceIds]));
  }

  #requeueWhere(which: SQL | undefined): number {
    return this.db
      .update(evalGenerations)
      .set({ status: 'pending', attempts: sql`max(${evalGenerations.attempts} - 1, 0)`, instanceId: null })
      .where(and(eq(evalGenerations.status, 'running'), which))
      .run().changes;
  }

  requeueFailed(evaluationId: string): number {
    return this.db
      .update(evalGenerations)
      .set({ status: 'pending', attempts: 0, retryAt: null })
      .where(and(eq(evalGenerations.evaluationId, evaluationId), eq(evalGenerations.status, 'failed')))
      .run().changes;
  }
}
