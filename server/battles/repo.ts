/** SQL for battles, turns, answers and votes. No rules here: the service decides, this writes. */
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { answers, battles, ratings, turns, votes } from '../../db/schema.ts';
import type { Winner } from '../../protocol/types.ts';
import { eloUpdate } from '../ratings/elo.ts';

export type BattleRow = typeof battles.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;
export type NewAnswer = typeof answers.$inferInsert;
export type VoteRow = typeof votes.$inferSelect;
export type RatingRow = typeof ratings.$inferSelect;

export const INITIAL_RATING = 1000;

/** Score of model A for an outcome: both kinds of tie count half. */
export function scoreOfA(winner: Winner): number {
  return winner === 'a' ? 1 : winner === 'b' ? 0 : 0.5;
}

export class BattleRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  createBattle(b: { id: string; modelA: string; modelB: string; voterId: string; prompt: string }): void {
    this.#db.transaction((tx) => {
      tx.insert(battles)
        .values({ id: b.id, modelA: b.modelA, modelB: b.modelB, voterId: b.voterId, status: 'streaming', turns: 1 })
        .run();
      tx.insert(turns).values({ battleId: b.id, turn: 1, prompt: b.prompt }).run();
    });
  }

  addTurn(battleId: string, turn: number, prompt: string): void {
    this.#db.transaction((tx) => {
      tx.insert(turns).values({ battleId, turn, prompt }).run();
      tx.update(battles)
        .set({ turns: turn, status: 'streaming', updatedAt: new Date() })
        .where(eq(battles.id, battleId))
        .run();
    });
  }

  saveAnswer(answer: NewAnswer): void {
    this.#db.insert(answers).values(answer).run();
  }

  setStatus(battleId: string, status: BattleRow['status']): void {
    this.#db.update(battles).set({ status, updatedAt: new Date() }).where(eq(battles.id, battleId)).run();
  }

  getBattle(battleId: string): BattleRow | undefined {
    return this.#db.select().from(battles).where(eq(battles.id, battleId)).get();
  }

  getTurns(battleId: string) {
    return this.#db.select().from(turns).where(eq(turns.battleId, battleId)).orderBy(asc(turns.turn)).all();
  }

  getAnswers(battleId: string): AnswerRow[] {
    return this.#db.select().from(answers).where(eq(answers.battleId, battleId)).orderBy(asc(answers.turn)).all();
  }

  getVote(battleId: string): VoteRow | undefined {
    return this.#db.select().from(votes).where(eq(votes.battleId, battleId)).get();
  }

  getVoteByVoteId(voteId: string): VoteRow | undefined {
    return this.#db.select().from(votes).where(eq(votes.voteId, voteId)).get();
  }

  /**
   * The vote, the battle's new status and (for a counted vote) both models' online Elo, in one
   * transaction: either all of it is committed or none. Returns the two updated rating rows, or
   * null when an integrity flag keeps the vote out of the ratings.
   */
  recordVote(v: {
    battleId: string;
    voteId: string | null;
    voterId: string;
    ip: string | null;
    winner: Winner;
    modelA: string;
    modelB: string;
    flags: string[];
    k: number;
  }): { a: RatingRow; b: RatingRow } | null {
    return this.#db.transaction((tx) => {
      const counted = v.flags.length === 0;
      tx.insert(votes)
        .values({
          battleId: v.battleId,
          voteId: v.voteId,
          voterId: v.voterId,
          ip: v.ip,
          winner: v.winner,
          modelA: v.modelA,
          modelB: v.modelB,
          flags: v.flags,
          counted,
        })
        .run();
      tx.update(battles).set({ status: 'voted', updatedAt: new Date() }).where(eq(battles.id, v.battleId)).run();
      if (!counted) return null;
      const current = (id: string) =>
        tx.select().from(ratings).where(eq(ratings.modelId, id)).get() ?? {
          modelId: id,
          rating: INITIAL_RATING,
          games: 0,
          wins: 0,
          losses: 0,
          ties: 0,
          updatedAt: new Date(),
        };
      const a = current(v.modelA);
      const b = current(v.modelB);
      const scoreA = scoreOfA(v.winner);
      const [ra, rb] = eloUpdate(a.rating, b.rating, scoreA, v.k);
      const now = new Date();
      const next = (row: RatingRow, rating: number, score: number): RatingRow => ({
        modelId: row.modelId,
        rating,
        games: row.games + 1,
        wins: row.wins + (score === 1 ? 1 : 0),
        losses: row.losses + (score === 0 ? 1 : 0),
        ties: row.ties + (score === 0.5 ? 1 : 0),
        updatedAt: now,
      });
      const na = next(a, ra, scoreA);
      const nb = next(b, rb, 1 - scoreA);
      for (const row of [na, nb]) {
        tx.insert(ratings)
          .values(row)
          .onConflictDoUpdate({
            target: ratings.modelId,
            set: { rating: row.rating, games: row.games, wins: row.wins, losses: row.losses, ties: row.ties, updatedAt: now },
          })
          .run();
      }
      return { a: na, b: nb };
    });
  }

  allRatings(): RatingRow[] {
    return this.#db.select().from(ratings).all();
  }

  /** A model's most recent answers (newest first, up to `limit`), for speed and cost figures. */
  recentAnswerSamples(modelId: string, limit: number) {
    // Served by answers_model_idx: entries are ordered by (model_id, rowid), so no sort is needed.
    return this.#db.$client
      .prepare(
        `SELECT model_id AS modelId, ttft_ms AS ttftMs, total_ms AS totalMs, output_tokens AS outputTokens,
                cost_usd AS costUsd, finish_reason = 'error' AS failed
         FROM answers WHERE model_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(modelId, limit) as Array<{ modelId: string; ttftMs: number | null; totalMs: number; outputTokens: number; costUsd: number | null; failed: number }>;
  }

  /** Votes that count in the blind leaderboard. */
  countVotes(): number {
    return this.#db.select({ n: sql<number>`count(*)` }).from(votes).where(eq(votes.counted, true)).get()?.n ?? 0;
  }

  votesSince(by: { voterId: string } | { ip: string }, since: Date): number {
    const who = 'voterId' in by ? eq(votes.voterId, by.voterId) : eq(votes.ip, by.ip);
    return this.#db.select({ n: sql<number>`count(*)` }).from(votes).where(and(who, gte(votes.createdAt, since))).get()?.n ?? 0;
  }

  /** Battles left streaming by a crash or restart can never finish: mark them failed. */
  failInterrupted(): number {
    return this.#db
      .update(battles)
      .set({ status: 'failed', updatedAt: new Date() })
      .where(and(eq(battles.status, 'streaming')))
      .run().changes;
  }
}
