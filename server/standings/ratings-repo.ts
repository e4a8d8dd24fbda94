/**
 * The online Elo projection in SQLite: one place that reads both models' rows and writes their
 * updates. Callers run it inside the transaction that records the vote, so the vote and the
 * ratings commit together or not at all.
 */
import type Database from 'better-sqlite3';
import type { ratings } from '../../db/schema.ts';
import type { Winner } from '../../protocol/types.ts';
import { eloUpdate } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';

export type RatingRow = typeof ratings.$inferSelect;
export const INITIAL_RATING = 1000;

type Counts = Omit<RatingRow, 'updatedAt'>;

export class RatingsStore {
  readonly #select: Database.Statement<[string], Counts>;
  readonly #upsert: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.#select = sqlite.prepare(`SELECT model_id AS modelId, rating, games, wins, losses, ties FROM ratings WHERE model_id = ?`);
    this.#upsert = sqlite.prepare(
      `INSERT INTO ratings (model_id, rating, games, wins, losses, ties, updated_at)
       VALUES (@modelId, @rating, @games, @wins, @losses, @ties, @updatedAt)
       ON CONFLICT (model_id) DO UPDATE SET rating = excluded.rating, games = excluded.games, wins = excluded.wins,
         losses = excluded.losses, ties = excluded.ties, updated_at = excluded.updated_at`,
    );
  }

  /** Applies one vote to both models' online Elo (must run inside the vote's transaction). */
  applyVote(v: { modelA: string; modelB: string; winner: Winner; k: number }): { a: RatingRow; b: RatingRow } {
    const now = Date.now();
    const current = (id: string): Counts =>
      this.#select.get(id) ?? { modelId: id, rating: INITIAL_RATING, games: 0, wins: 0, losses: 0, ties: 0 };
    const a = current(v.modelA);
    const b = current(v.modelB);
    const scoreA = scoreOfA(outcomeFromDbWinner(v.winner));
    const [ra, rb] = eloUpdate(a.rating, b.rating, scoreA, v.k);
    const next = (row: Counts, rating: number, score: number): RatingRow => ({
      modelId: row.modelId,
      rating,
      games: row.games + 1,
      wins: row.wins + (score === 1 ? 1 : 0),
      losses: row.losses + (score === 0 ? 1 : 0),
      ties: row.ties + (score === 0.5 ? 1 : 0),
      updatedAt: new Date(now),
    });
    const na = next(a, ra, scoreA);
    const nb = next(b, rb, 1 - scoreA);
    for (const row of [na, nb]) this.#upsert.run({ ...row, updatedAt: now });
    return { a: na, b: nb };
  }
}
