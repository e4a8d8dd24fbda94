/** SQL for the admin's per-item review: a page of items with their vote counts, and those items' votes. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Winner } from '../../protocol/types.ts';

export type ItemFilter = 'voted' | 'reasons' | 'all';

export interface ReviewItemRow {
  itemId: string;
  modelX: string;
  modelY: string;
  questionId: string;
  category: string | null;
  turns: string[];
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
          : sql`AND EXISTS (SELECT 1 FROM eval_votes v WHERE v.item_id = i.id)`;
    const total =
      this.#db.get<{ n: number }>(sql`SELECT count(*) AS n FROM eval_items i WHERE i.evaluation_id = ${evaluationId} ${filter}`)?.n ?? 0;
    const rows = this.#db
      .all<{ itemId: string; modelX: string; modelY: string; questionId: string; category: string | null; turns: string }>(sql`
        SELECT i.id AS itemId, i.model_x AS modelX, i.model_y AS modelY, p.question_id AS questionId, p.category AS category, p.turns AS turns
        FROM eval_items i JOIN eval_prompts p ON p.id = i.prompt_id
        WHERE i.evaluation_id = ${evaluationId} ${filter}
        ORDER BY p.position, i.model_x, i.model_y
        LIMIT ${page.limit} OFFSET ${page.offset}`)
      .map((r) => ({ ...r, turns: JSON.parse(r.turns) as string[] }));
    return { total, rows };
  }

  /** The votes on these items, oldest first. */
  votesOn(itemIds: readonly string[]): ReviewVoteRow[] {
    if (itemIds.length === 0) return [];
    return this.#db
      .all<{ itemId: string; voterId: string; modelA: string; winner: Winner; reason: string | null; createdAt: number }>(sql`
        SELECT item_id AS itemId, voter_id AS voterId, model_a AS modelA, winner, reason, created_at AS createdAt
        FROM eval_votes WHERE item_id IN (${sql.join(itemIds.map((id) => sql`${id}`), sql`, `)})
        ORDER BY id`)
      .map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }
}
