/** SQL reading past arena battles for prompt sets (read-only: battles and turns belong to server/arena). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/** One arena battle's user turns. */
export interface BattleConversation {
  battleId: string;
  createdAt: Date;
  turns: string[];
}

/** Battles read at most per filter, newest first. */
const MAX_BATTLES = 200_000;
const DAY_MS = 86_400_000;

export class BattlePromptsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Arena battles (not evaluations) with their user turns, newest first; dates are UTC days, inclusive. */
  conversations(filter: { from?: string | undefined; to?: string | undefined; models?: readonly string[] | undefined }): BattleConversation[] {
    const from = filter.from ? Date.parse(`${filter.from}T00:00:00Z`) : null;
    const to = filter.to ? Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS : null;
    const models = filter.models && filter.models.length > 0 ? filter.models : null;
    const inModels = (column: string) =>
      sql`${sql.raw(column)} IN (${sql.join(
        (models ?? []).map((m) => sql`${m}`),
        sql`, `,
      )})`;
    const rows = this.#db.all<{ battleId: string; createdAt: number; turn: number; prompt: string }>(sql`
      SELECT b.id AS battleId, b.created_at AS createdAt, t.turn AS turn, t.prompt AS prompt
      FROM (SELECT id, created_at FROM battles
            WHERE mode = 'arena' AND status <> 'streaming'
              ${from !== null ? sql`AND created_at >= ${from}` : sql``}
              ${to !== null ? sql`AND created_at < ${to}` : sql``}
              ${models ? sql`AND (${inModels('model_a')} OR ${inModels('model_b')})` : sql``}
            ORDER BY created_at DESC, id LIMIT ${MAX_BATTLES}) b
      JOIN turns t ON t.battle_id = b.id
      ORDER BY b.created_at DESC, b.id, t.turn`);
    const out: BattleConversation[] = [];
    for (const r of rows) {
      const last = out.at(-1);
      if (last?.battleId === r.battleId) last.turns.push(r.prompt);
      else out.push({ battleId: r.battleId, createdAt: new Date(r.createdAt), turns: [r.prompt] });
    }
    return out;
  }
}
