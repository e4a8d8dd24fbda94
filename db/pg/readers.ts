/**
 * What `arena migrate-db` compares, read the same way from either side: rows per table, the
 * maintained counts, the online Elo table, and the votes of given prompts per cell (what prompt
 * deduplication reads). The SQLite reads run inside the source's snapshot.
 */
import type { Sqlite } from '../client.ts';
import type { PgDb } from './client.ts';

export interface CountCell {
  category: string;
  modelA: string;
  modelB: string;
  winner: string;
  n: number;
}

export interface PromptCell {
  prompt: string;
  modelA: string;
  modelB: string;
  winner: string;
  n: number;
}

export interface RatingRow {
  modelId: string;
  rating: number;
  games: number;
  wins: number;
  losses: number;
  ties: number;
  updatedAt: number;
}

export interface ArenaReader {
  rowCounts(tables: readonly string[]): Promise<Map<string, number>>;
  /** Every cell of pair_counts that is not zero. */
  pairCounts(): Promise<CountCell[]>;
  promptCounts(): Promise<Map<string, number>>;
  ratings(): Promise<RatingRow[]>;
  /** Counted votes between two different models of these prompts, per (prompt, model_a, model_b, winner). */
  promptCells(prompts: readonly string[]): Promise<PromptCell[]>;
}

const CELLS = 'SELECT category, model_a AS "modelA", model_b AS "modelB", winner, n FROM pair_counts WHERE n != 0';
const RATINGS = 'SELECT model_id AS "modelId", rating, games, wins, losses, ties, updated_at AS "updatedAt" FROM ratings';
const PROMPT_CELLS = (prompts: string, counted: string) => `SELECT prompt_hash AS prompt, model_a AS "modelA", model_b AS "modelB", winner, count(*) AS n
  FROM votes WHERE prompt_hash IN (${prompts}) AND prompt_hash != '' AND ${counted} AND model_a != model_b GROUP BY 1, 2, 3, 4`;
const countOf = (tables: readonly string[]) => tables.map((t) => `SELECT '${t}' AS name, count(*) AS n FROM "${t}"`).join(' UNION ALL ');

export function sqliteReader(sqlite: Sqlite): ArenaReader {
  return {
    async rowCounts(tables) {
      const rows = sqlite.prepare(countOf(tables)).raw().all() as Array<[string, number]>;
      return new Map(rows);
    },
    async pairCounts() {
      return sqlite.prepare(CELLS).all() as CountCell[];
    },
    async promptCounts() {
      return new Map(sqlite.prepare('SELECT prompt_hash, n FROM prompt_counts').raw().all() as Array<[string, number]>);
    },
    async ratings() {
      return sqlite.prepare(RATINGS).all() as RatingRow[];
    },
    async promptCells(prompts) {
      if (prompts.length === 0) return [];
      return sqlite.prepare(PROMPT_CELLS('SELECT value FROM json_each(?)', 'counted = 1')).all(JSON.stringify(prompts)) as PromptCell[];
    },
  };
}

/** node-postgres reads a bigint (count(*), a time) as text: these come back as numbers. */
const numbers = <T>(row: T, keys: ReadonlyArray<keyof T>): T => {
  for (const key of keys) (row as Record<keyof T, unknown>)[key] = Number(row[key]);
  return row;
};

export function pgReader(db: PgDb): ArenaReader {
  const query = async <T>(text: string, values: unknown[] = []) => (await db.$client.query(text, values)).rows as T[];
  return {
    async rowCounts(tables) {
      const rows = await query<{ name: string; n: string }>(countOf(tables));
      return new Map(rows.map((r) => [r.name, Number(r.n)]));
    },
    async pairCounts() {
      return query<CountCell>(CELLS);
    },
    async promptCounts() {
      return new Map((await query<{ prompt_hash: string; n: number }>('SELECT prompt_hash, n FROM prompt_counts')).map((r) => [r.prompt_hash, r.n]));
    },
    async ratings() {
      return (await query<RatingRow>(RATINGS)).map((r) => numbers(r, ['updatedAt']));
    },
    async promptCells(prompts) {
      if (prompts.length === 0) return [];
      return (await query<PromptCell>(PROMPT_CELLS('SELECT unnest($1::text[])', 'counted'), [prompts])).map((r) => numbers(r, ['n']));
    },
  };
}
