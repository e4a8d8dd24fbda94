/**
 * SQL for battle history and model pages: battles listed newest first with search and filters,
 * and the public votes in time order. Model ids leave this file only for voted battles.
 */
import type { Sqlite } from '../../db/client.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import type { BattleMode, BattleStatus, Winner } from '../../protocol/types.ts';
import { categoryCondition } from './categories.ts';
import type { HistoryScope } from './scope.ts';

export interface HistoryFilters {
  /** Text any of the battle's prompts, or (voted battles only) either model's name, contains (case-insensitive for ASCII letters). */
  q?: string | undefined;
  /** Only voted battles this model fought in. */
  model?: string | undefined;
  category?: CategoryId | undefined;
}

export interface HistoryRow {
  id: string;
  createdAt: number;
  status: BattleStatus;
  mode: BattleMode;
  turns: number;
  /** The first prompt, cut to 300 characters. */
  prompt: string | null;
  /** Null unless the battle is voted. */
  modelA: string | null;
  modelB: string | null;
  winner: Winner | null;
}

/**
 * The same set as the public standings (server/standings/ratings-repo.ts), with each vote's time,
 * source (0 arena, 1 evaluation) and id; only votes after the given ids of each table.
 */
const PUBLIC_VOTES_AFTER = `
  SELECT model_a, model_b, winner, created_at, 0 AS source, id FROM votes WHERE counted = 1 AND id > @vote
  UNION ALL
  SELECT v.model_a, v.model_b, v.winner, v.created_at, 1 AS source, v.id
  FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id WHERE e.count_in_public = 1 AND v.id > @evalVote`;

export type TimedVote = [modelA: string, modelB: string, winner: Winner, createdAt: number, source: 0 | 1, id: number];

/** `%`, `_` and `\` match themselves. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class HistoryRepo {
  readonly #sqlite: Sqlite;

  constructor(sqlite: Sqlite) {
    this.#sqlite = sqlite;
  }

  /** `total` counts every match (null when `count` is false: a scan the caller does not need). */
  list(
    scope: Exclude<HistoryScope, { kind: 'none' }>,
    filters: HistoryFilters,
    page: { offset: number; limit: number; count?: boolean },
  ): { rows: HistoryRow[]; total: number | null } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope.kind === 'voter') {
      where.push('b.voter_id = ?');
      params.push(scope.voterId);
    }
    const q = filters.q?.trim();
    if (q) {
      // Hangul typed on some systems arrives decomposed (NFD): match either form of the text. A
      // model's name matches only a voted battle: finding an unvoted one would say who answered it.
      const patterns = [likePattern(q.normalize('NFC')), likePattern(q.normalize('NFD'))];
      where.push(`(EXISTS (SELECT 1 FROM turns s WHERE s.battle_id = b.id AND (s.prompt LIKE ? ESCAPE '\\' OR s.prompt LIKE ? ESCAPE '\\'))
        OR (b.status = 'voted' AND EXISTS (SELECT 1 FROM votes w WHERE w.battle_id = b.id)
          AND EXISTS (SELECT 1 FROM models m WHERE m.id IN (b.model_a, b.model_b) AND (m.name LIKE ? ESCAPE '\\' OR m.name LIKE ? ESCAPE '\\'))))`);
      params.push(...patterns, ...patterns);
    }
    if (filters.model !== undefined) {
      // A model filter must never find an unvoted battle: that would name who answered it.
      // (`+b.status`: the status index would make SQLite sort every voted battle instead of
      // walking the time index newest first and stopping at the page.)
      where.push(`+b.status = 'voted' AND v.id IS NOT NULL AND (b.model_a = ? OR b.model_b = ?)`);
      params.push(filters.model, filters.model);
    }
    const category = filters.category === undefined ? null : categoryCondition(filters.category);
    if (category) {
      where.push(category.sql);
      params.push(...category.params);
    }
    const filtered = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM battles b LEFT JOIN votes v ON v.battle_id = b.id ${filtered}`;
    // The count needs the vote only when a condition reads it (one vote per battle at most).
    const counted = filters.model !== undefined || category ? from : `FROM battles b ${filtered}`;
    const rows = this.#sqlite
      .prepare(
        `SELECT b.id, b.created_at AS createdAt, b.status, b.mode, b.turns,
                (SELECT substr(t.prompt, 1, 300) FROM turns t WHERE t.battle_id = b.id ORDER BY t.turn LIMIT 1) AS prompt,
                CASE WHEN b.status = 'voted' AND v.id IS NOT NULL THEN b.model_a END AS modelA,
                CASE WHEN b.status = 'voted' AND v.id IS NOT NULL THEN b.model_b END AS modelB,
                CASE WHEN b.status = 'voted' THEN v.winner END AS winner
         ${from} ORDER BY b.created_at DESC, b.rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, page.limit, page.offset) as HistoryRow[];
    if (page.count === false) return { rows, total: null };
    const { total } = this.#sqlite.prepare(`SELECT count(*) AS total ${counted}`).get(...params) as { total: number };
    return { rows, total };
  }

  /**
   * Public votes in the order the online Elo applies them (time, source, id), after the given
   * ids: votes are only ever appended, so this reads what is new since an earlier read.
   */
  publicVotesAfter(after: { vote: number; evalVote: number }): TimedVote[] {
    return this.#sqlite.prepare(`SELECT * FROM (${PUBLIC_VOTES_AFTER}) ORDER BY created_at, source, id`).raw().all(after) as TimedVote[];
  }
}
