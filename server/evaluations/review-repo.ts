/** SQL for what admins read of an evaluation: the per-item review, the votes results and exports are made of. */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema-accounts.ts';
import type { GoldAnswers } from '../../db/schema-evaluations.ts';
import { evalItems, evalPrompts, evalVotes } from '../../db/schema-evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import { GOLD_SIDES } from './gold.ts';

export type ItemFilter = 'voted' | 'reasons' | 'judged' | 'all';

export interface ReviewItemRow {
  itemId: string;
  modelX: string;
  modelY: string;
  questionId: string;
  category: string | null;
  turns: string[];
  gold: GoldAnswers | null;
  skips: number;
}

export interface ReviewVoteRow {
  itemId: string;
  voterId: string;
  modelA: string;
  winner: Winner;
  reason: string | null;
  createdAt: Date;
}

export class ReviewRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Items in prompt order (then model pair), filtered, one page of them, and how many match in all. */
  items(evaluationId: string, page: { only: ItemFilter; offset: number; limit: number }): { total: number; rows: ReviewItemRow[] } {
    const filter =
      page.only === 'all'
        ? sql``
        : page.only === 'reasons'
          ? sql`AND EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id AND v.reason IS NOT NULL)`
          : page.only === 'judged'
            ? sql`AND EXISTS (SELECT 1 FROM eval_judgments j WHERE j.item_id = i.id)`
            : sql`AND EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id)`;
    const total = this.#db.get<{ n: number }>(sql`SELECT count(*) AS n FROM eval_items i WHERE i.evaluation_id = ${evaluationId} ${filter}`)?.n ?? 0;
    const rows = this.#db
      .all<{
        itemId: string;
        modelX: string;
        modelY: string;
        questionId: string;
        category: string | null;
        turns: string;
        gold: string | null;
        skips: number;
      }>(sql`
        SELECT i.id AS itemId, i.model_x AS modelX, i.model_y AS modelY, p.question_id AS questionId, p.category AS category, p.turns AS turns,
               p.gold AS gold, (SELECT count(*) FROM eval_skips s WHERE s.item_id = i.id) AS skips
        FROM eval_items i JOIN eval_prompts p ON p.id = i.prompt_id
        WHERE i.evaluation_id = ${evaluationId} ${filter}
        ORDER BY p.position, i.model_x, i.model_y
        LIMIT ${page.limit} OFFSET ${page.offset}`)
      .map((r) => ({ ...r, turns: JSON.parse(r.turns) as string[], gold: r.gold ? (JSON.parse(r.gold) as GoldAnswers) : null }));
    return { total, rows };
  }

  /** The votes on these items, oldest first. */
  votesOn(itemIds: readonly string[]): ReviewVoteRow[] {
    if (itemIds.length === 0) return [];
    return this.#db
      .all<{ itemId: string; voterId: string; modelA: string; winner: Winner; reason: string | null; createdAt: number }>(sql`
        SELECT item_id AS itemId, voter_id AS voterId, model_a AS modelA, winner, reason, created_at AS createdAt
        FROM eval_votes WHERE item_id IN (${sql.join(
          itemIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        ORDER BY id`)
      .map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  /** Votes in the order cast, with what results need (gold items apart: see goldVotes). */
  resultVotes(evaluationId: string) {
    return this.#db
      .select({
        itemId: evalVotes.itemId,
        voter: evalVotes.voterId,
        modelA: evalVotes.modelA,
        modelB: evalVotes.modelB,
        winner: evalVotes.winner,
        itemModelX: evalItems.modelX,
        category: evalPrompts.category,
        createdAt: evalVotes.createdAt,
      })
      .from(evalVotes)
      .innerJoin(evalItems, eq(evalItems.id, evalVotes.itemId))
      .innerJoin(evalPrompts, eq(evalPrompts.id, evalItems.promptId))
      .where(and(eq(evalVotes.evaluationId, evaluationId), isNull(evalPrompts.gold)))
      .orderBy(asc(evalVotes.id))
      .all();
  }

  /** Votes on gold items, with the verdict each item requires. */
  goldVotes(evaluationId: string) {
    return this.#db
      .select({ voter: evalVotes.voterId, modelA: evalVotes.modelA, winner: evalVotes.winner, itemModelX: evalItems.modelX, gold: evalPrompts.gold })
      .from(evalVotes)
      .innerJoin(evalItems, eq(evalItems.id, evalVotes.itemId))
      .innerJoin(evalPrompts, eq(evalPrompts.id, evalItems.promptId))
      .where(and(eq(evalVotes.evaluationId, evaluationId), isNotNull(evalPrompts.gold)))
      .orderBy(asc(evalVotes.id))
      .all()
      .map((v) => ({ ...v, gold: v.gold! }));
  }

  /** The items models are compared on (not gold), with their prompt's category. */
  itemInfo(evaluationId: string): Array<{ itemId: string; modelX: string; modelY: string; category: string | null; questionId: string; turns: string[] }> {
    return this.#db
      .select({
        itemId: evalItems.id,
        modelX: evalItems.modelX,
        modelY: evalItems.modelY,
        category: evalPrompts.category,
        questionId: evalPrompts.questionId,
        turns: evalPrompts.turns,
      })
      .from(evalItems)
      .innerJoin(evalPrompts, eq(evalPrompts.id, evalItems.promptId))
      .where(and(eq(evalItems.evaluationId, evaluationId), isNull(evalPrompts.gold)))
      .orderBy(asc(evalPrompts.position), asc(evalItems.modelX), asc(evalItems.modelY))
      .all();
  }

  /** Votes in the order cast with prompts and both answers, for export (gold items left out). */
  exportVotes(evaluationId: string) {
    return this.#db
      .all<{
        questionId: string;
        category: string | null;
        turns: string;
        modelA: string;
        modelB: string;
        answersA: string | null;
        answersB: string | null;
        winner: Winner;
        voterId: string;
        reason: string | null;
        createdAt: number;
      }>(sql`
        SELECT p.question_id AS questionId, p.category AS category, p.turns AS turns,
               v.model_a AS modelA, v.model_b AS modelB, ga.answers AS answersA, gb.answers AS answersB,
               v.winner AS winner, v.voter_id AS voterId, v.reason AS reason, v.created_at AS createdAt
        FROM eval_votes v
        JOIN eval_items i ON i.id = v.item_id
        JOIN eval_prompts p ON p.id = i.prompt_id
        LEFT JOIN eval_generations ga ON ga.prompt_id = p.id AND ga.model_id = v.model_a
        LEFT JOIN eval_generations gb ON gb.prompt_id = p.id AND gb.model_id = v.model_b
        WHERE v.evaluation_id = ${evaluationId} AND i.model_x <> ${GOLD_SIDES.x}
        ORDER BY v.id`)
      .map((r) => ({
        ...r,
        turns: JSON.parse(r.turns) as string[],
        answersA: r.answersA ? (JSON.parse(r.answersA) as string[]) : [],
        answersB: r.answersB ? (JSON.parse(r.answersB) as string[]) : [],
        createdAt: new Date(r.createdAt),
      }));
  }

  /** Emails of signed-in voters (`user:<id>`), for admin views. */
  voterEmails(): Map<string, string> {
    return new Map(
      this.#db
        .select({ id: users.id, email: users.email })
        .from(users)
        .all()
        .map((u) => [`user:${u.id}`, u.email]),
    );
  }
}
