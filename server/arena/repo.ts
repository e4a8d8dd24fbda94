/** SQL for battles, turns, answers and votes. No rules here: the service decides, this writes. */
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { answers, battles, ratings, turns, votes } from '../../db/schema.ts';
import type { Winner } from '../../protocol/types.ts';
import { RatingsStore, type RatingRow } from '../standings/ratings-repo.ts';
import { ARENA_CUT_KINDS } from '../providers/types.ts';

export type BattleRow = typeof battles.$inferSelect;
export type TurnRow = typeof turns.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;
export type NewAnswer = typeof answers.$inferInsert;
export type VoteRow = typeof votes.$inferSelect;

export interface VoteInput {
  battleId: string;
  voteId: string | null;
  voterId: string;
  ip: string | null;
  winner: Winner;
  modelA: string;
  modelB: string;
  flags: string[];
  k: number;
}

export class BattleRepo {
  readonly #db: Db;
  // The vote path runs thousands of times a second: its statements are built and prepared once.
  readonly #q;
  readonly #ratings: RatingsStore;
  readonly #recordVoteTx: (v: VoteInput) => { a: RatingRow; b: RatingRow } | null;

  constructor(db: Db) {
    this.#db = db;
    this.#ratings = new RatingsStore(db.$client);
    // Built once (not per vote); nested inside a vote batch it runs as a savepoint.
    this.#recordVoteTx = db.$client.transaction((v: VoteInput): { a: RatingRow; b: RatingRow } | null => {
      const counted = v.flags.length === 0;
      const now = Date.now();
      this.#q.insertVote.run({ ...v, flags: JSON.stringify(v.flags), counted: counted ? 1 : 0 });
      this.#q.markVoted.run({ now, battleId: v.battleId });
      if (!counted) return null;
      return this.#ratings.applyVote({ modelA: v.modelA, modelB: v.modelB, winner: v.winner, k: v.k });
    });
    const p = sql.placeholder;
    const raw = db.$client;
    this.#q = {
      battle: db.select().from(battles).where(eq(battles.id, p('id'))).prepare(),
      turns: db.select().from(turns).where(eq(turns.battleId, p('id'))).orderBy(asc(turns.turn)).prepare(),
      answers: db.select().from(answers).where(eq(answers.battleId, p('id'))).orderBy(asc(answers.turn)).prepare(),
      vote: db.select().from(votes).where(eq(votes.battleId, p('id'))).prepare(),
      voteByVoteId: db.select().from(votes).where(eq(votes.voteId, p('voteId'))).prepare(),
      votesByVoterSince: db
        .select({ n: sql<number>`count(*)` })
        .from(votes)
        .where(and(eq(votes.voterId, p('who')), gte(votes.createdAt, p('since'))))
        .prepare(),
      votesByIpSince: db
        .select({ n: sql<number>`count(*)` })
        .from(votes)
        .where(and(eq(votes.ip, p('who')), gte(votes.createdAt, p('since'))))
        .prepare(),
      insertVote: raw.prepare(
        `INSERT INTO votes (battle_id, vote_id, voter_id, ip, winner, model_a, model_b, flags, counted)
         VALUES (@battleId, @voteId, @voterId, @ip, @winner, @modelA, @modelB, @flags, @counted)`,
      ),
      markVoted: raw.prepare(`UPDATE battles SET status = 'voted', updated_at = @now WHERE id = @battleId`),
      // Served by answers_model_idx, ordered by (model_id, rowid): no sort needed. Only answers of
      // battles that are over (voted, failed or abandoned) count: a figure that moved while a battle
      // waits for its vote would tell the voter which models answered it. Answers the arena cut short
      // (voter stopped, page closed, server restarted) say nothing about the model and are left out.
      recentAnswers: raw.prepare(
        `SELECT a.model_id AS modelId, a.ttft_ms AS ttftMs, a.total_ms AS totalMs, a.output_tokens AS outputTokens,
                a.cost_usd AS costUsd, a.finish_reason = 'error' AS failed
         FROM answers a JOIN battles b ON b.id = a.battle_id
         WHERE a.model_id = ? AND a.battle_id NOT LIKE 'imp-%'
           AND b.status IN ('voted', 'failed', 'abandoned')
           AND coalesce(a.error_kind, '') NOT IN (${ARENA_CUT_KINDS.map((k) => `'${k}'`).join(', ')})
         ORDER BY a.id DESC LIMIT ?`,
      ),
      expireReady: raw.prepare(`UPDATE battles SET status = 'abandoned', updated_at = @now WHERE status = 'ready' AND updated_at < @before`),
    };
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
    return this.#q.battle.get({ id: battleId });
  }

  getTurns(battleId: string): TurnRow[] {
    return this.#q.turns.all({ id: battleId });
  }

  getAnswers(battleId: string): AnswerRow[] {
    return this.#q.answers.all({ id: battleId });
  }

  getVote(battleId: string): VoteRow | undefined {
    return this.#q.vote.get({ id: battleId });
  }

  getVoteByVoteId(voteId: string): VoteRow | undefined {
    return this.#q.voteByVoteId.get({ voteId });
  }

  /**
   * The vote, the battle's new status and (for a counted vote) both models' online Elo, in one
   * transaction: either all of it is committed or none. Returns the two updated rating rows, or
   * null when an integrity flag keeps the vote out of the ratings.
   */
  recordVote(v: VoteInput): { a: RatingRow; b: RatingRow } | null {
    return this.#recordVoteTx(v);
  }


  allRatings(): RatingRow[] {
    return this.#db.select().from(ratings).all();
  }

  /** A model's most recent answers (newest first, up to `limit`), for speed and cost figures; imported battles carry no timings. */
  recentAnswerSamples(modelId: string, limit: number) {
    return this.#q.recentAnswers.all(modelId, limit) as Array<{
      modelId: string;
      ttftMs: number | null;
      totalMs: number;
      outputTokens: number;
      costUsd: number | null;
      failed: number;
    }>;
  }

  votesSince(by: { voterId: string } | { ip: string }, since: Date): number {
    // Placeholders are bound raw (no column mapping): timestamps go in as epoch milliseconds.
    const params = { since: since.getTime() };
    const row = 'voterId' in by ? this.#q.votesByVoterSince.get({ ...params, who: by.voterId }) : this.#q.votesByIpSince.get({ ...params, who: by.ip });
    return row?.n ?? 0;
  }

  /** Ready battles whose last change is older than `before` can no longer be voted on. */
  expireReady(before: Date): number {
    return this.#q.expireReady.run({ now: Date.now(), before: before.getTime() }).changes;
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
