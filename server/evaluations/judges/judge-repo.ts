/** SQL for judge models: their runs and every call (item × order), the queue being the table itself. No rules here. */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { evalJudgeRuns, evalJudgments } from '../../../db/schema-evaluations.ts';

export type JudgeRunRow = typeof evalJudgeRuns.$inferSelect;
export type JudgmentRow = typeof evalJudgments.$inferSelect;
export type JudgmentCounts = Record<JudgmentRow['status'], number>;

export class JudgeRepo {
  readonly #db: Db;
  /** This instance (null alone and unnamed): the one a claimed call is made from. */
  readonly #instanceId: string | null;
  constructor(db: Db, instanceId: string | null = null) {
    this.#db = db;
    this.#instanceId = instanceId;
  }

  createRun(row: typeof evalJudgeRuns.$inferInsert): JudgeRunRow {
    return this.#db.insert(evalJudgeRuns).values(row).returning().get();
  }

  run(id: number): JudgeRunRow | undefined {
    return this.#db.select().from(evalJudgeRuns).where(eq(evalJudgeRuns.id, id)).get();
  }

  /** The latest run of each judge model of the evaluation (the one results use), oldest model first. */
  latestRuns(evaluationId: string): JudgeRunRow[] {
    const rows = this.#db.select().from(evalJudgeRuns).where(eq(evalJudgeRuns.evaluationId, evaluationId)).orderBy(desc(evalJudgeRuns.id)).all();
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.modelId) && seen.add(r.modelId)).reverse();
  }

  updateRun(id: number, set: Partial<JudgeRunRow>): void {
    this.#db.update(evalJudgeRuns).set(set).where(eq(evalJudgeRuns.id, id)).run();
  }

  addSpend(runId: number, usd: number): void {
    this.#db
      .update(evalJudgeRuns)
      .set({ spentUsd: sql`${evalJudgeRuns.spentUsd} + ${usd}` })
      .where(eq(evalJudgeRuns.id, runId))
      .run();
  }

  /** Both orders of every item not yet queued in the run; failed calls are asked again. */
  queue(runId: number, evaluationId: string, itemIds: readonly string[]): void {
    this.#db.transaction((tx) => {
      for (const itemId of itemIds) {
        for (const order of ['xy', 'yx'] as const) tx.insert(evalJudgments).values({ runId, evaluationId, itemId, order }).onConflictDoNothing().run();
      }
      tx.update(evalJudgments)
        .set({ status: 'pending', attempts: 0, retryAt: null })
        .where(and(eq(evalJudgments.runId, runId), eq(evalJudgments.status, 'failed')))
        .run();
    });
  }

  /** Items of the run already answered for good (done or unparsed), both orders. */
  settledItems(runId: number): Set<string> {
    const rows = this.#db
      .all<{ itemId: string }>(sql`SELECT item_id AS itemId FROM eval_judgments WHERE run_id = ${runId} AND status IN ('done', 'unparsed')
        GROUP BY item_id HAVING count(*) = 2`)
      .map((r) => r.itemId);
    return new Set(rows);
  }

  /** The next call due, from running runs, oldest run first. */
  nextDue(now: Date, skipRuns: readonly number[]): JudgmentRow | undefined {
    return this.#db
      .select({ j: evalJudgments })
      .from(evalJudgments)
      .innerJoin(evalJudgeRuns, eq(evalJudgeRuns.id, evalJudgments.runId))
      .where(
        and(
          eq(evalJudgeRuns.status, 'running'),
          eq(evalJudgments.status, 'pending'),
          or(isNull(evalJudgments.retryAt), lte(evalJudgments.retryAt, now)),
          skipRuns.length > 0
            ? sql`${evalJudgments.runId} NOT IN (${sql.join(
                skipRuns.map((r) => sql`${r}`),
                sql`, `,
              )})`
            : undefined,
        ),
      )
      .orderBy(asc(evalJudgments.runId), asc(evalJudgments.id))
      .limit(1)
      .get()?.j;
  }

  /** When the next call waiting out a backoff becomes due, if any. */
  nextRetryAt(): Date | null {
    const row = this.#db
      .select({ at: sql<number | null>`min(${evalJudgments.retryAt})` })
      .from(evalJudgments)
      .innerJoin(evalJudgeRuns, eq(evalJudgeRuns.id, evalJudgments.runId))
      .where(and(eq(evalJudgeRuns.status, 'running'), eq(evalJudgments.status, 'pending')))
      .get();
    return row?.at != null ? new Date(row.at) : null;
  }

  /** Takes a pending call for this instance; false when another instance took it first. */
  claim(id: number, now: Date): boolean {
    return (
      this.#db
        .update(evalJudgments)
        .set({ status: 'running', instanceId: this.#instanceId, updatedAt: now })
        .where(and(eq(evalJudgments.id, id), eq(evalJudgments.status, 'pending')))
        .run().changes === 1
    );
  }

  finish(id: number, set: Partial<JudgmentRow>): void {
    this.#db.update(evalJudgments).set(set).where(eq(evalJudgments.id, id)).run();
  }

  counts(runId: number): JudgmentCounts {
    const counts: JudgmentCounts = { pending: 0, running: 0, done: 0, unparsed: 0, failed: 0 };
    const rows = this.#db
      .select({ status: evalJudgments.status, n: sql<number>`count(*)` })
      .from(evalJudgments)
      .where(eq(evalJudgments.runId, runId))
      .groupBy(evalJudgments.status)
      .all();
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  /** Every call of these runs: what calibration is computed from. */
  facts(runIds: readonly number[]): Array<Pick<JudgmentRow, 'runId' | 'itemId' | 'order' | 'status' | 'verdict'>> {
    if (runIds.length === 0) return [];
    return this.#db
      .select({
        runId: evalJudgments.runId,
        itemId: evalJudgments.itemId,
        order: evalJudgments.order,
        status: evalJudgments.status,
        verdict: evalJudgments.verdict,
      })
      .from(evalJudgments)
      .where(inArray(evalJudgments.runId, [...runIds]))
      .orderBy(asc(evalJudgments.id))
      .all();
  }

  /** The calls of these runs on these items, with the judges' texts (the per-item view). */
  onItems(runIds: readonly number[], itemIds: readonly string[]): JudgmentRow[] {
    if (runIds.length === 0 || itemIds.length === 0) return [];
    return this.#db
      .select()
      .from(evalJudgments)
      .where(and(inArray(evalJudgments.runId, [...runIds]), inArray(evalJudgments.itemId, [...itemIds])))
      .orderBy(asc(evalJudgments.runId), asc(evalJudgments.order))
      .all();
  }

  /** After a crash or shutdown, calls that were being made start over (this instance's own unless it is alone). */
  requeueRunning(opts: { alone: boolean } = { alone: true }): number {
    const own =
      this.#instanceId === null ? isNull(evalJudgments.instanceId) : or(isNull(evalJudgments.instanceId), eq(evalJudgments.instanceId, this.#instanceId));
    return this.#requeueWhere(opts.alone ? undefined : own);
  }

  /** The other instances making judge calls now. */
  judgingInstances(): string[] {
    return this.#db
      .selectDistinct({ instanceId: evalJudgments.instanceId })
      .from(evalJudgments)
      .where(
        and(
          eq(evalJudgments.status, 'running'),
          isNotNull(evalJudgments.instanceId),
          this.#instanceId === null ? undefined : ne(evalJudgments.instanceId, this.#instanceId),
        ),
      )
      .all()
      .map((r) => r.instanceId!);
  }

  /** The calls instances found dead were making go back to the queue. */
  requeueRunningOf(instanceIds: readonly string[]): number {
    return instanceIds.length === 0 ? 0 : this.#requeueWhere(inArray(evalJudgments.instanceId, [...instanceIds]));
  }

  #requeueWhere(which: SQL | undefined): number {
    return this.#db
      .update(evalJudgments)
      .set({ status: 'pending', instanceId: null })
      .where(and(eq(evalJudgments.status, 'running'), which))
      .run().changes;
  }
}
