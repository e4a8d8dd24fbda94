/** SQL for battles, turns, answers and battle votes. No rules here: the service decides, this writes. */
import { and, eq, gte, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readRows, rowReader } from '../../db/row-reader.ts';
import { answers, battles, turns, votes } from '../../db/schema.ts';
import type { BattleMode } from '../../protocol/types.ts';
import type { VoteInput } from '../voting/recorder.ts';

export type BattleRow = typeof battles.$inferSelect;
export type TurnRow = typeof turns.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;
export type NewAnswer = Omit<typeof answers.$inferInsert, 'createdAt'>;
export type VoteRow = typeof votes.$inferSelect;

/** A battle whose running turn a survivor failed: the page watching it is told which sides ended. */
export interface FailedTurn {
  battleId: string;
  turn: number;
  /** The sides of that turn with no stored answer. */
  unanswered: Array<'a' | 'b'>;
}

// The reads on the vote path skip the query builder's result mapping (db/row-reader.ts).
const battleRow = rowReader(battles);
const turnRow = rowReader(turns);
const answerRow = rowReader(answers);
const voteRow = rowReader(votes);

export class BattleRepo {
  readonly #db: Db;
  readonly #now: () => number;
  /** This instance: battles it streams carry its id (battles.instance_id). */
  readonly instanceId: string;
  // The vote path runs thousands of times a second: its statements are built and prepared once.
  readonly #q;

  constructor(db: Db, now: () => number = Date.now, instanceId = 'local') {
    this.#db = db;
    this.#now = now;
    this.instanceId = instanceId;
    const p = sql.placeholder;
    const raw = db.$client;
    const insertBattle = raw.prepare(
      `INSERT INTO battles (id, mode, model_a, model_b, voter_id, status, turns, instance_id, created_at, updated_at)
       VALUES (@id, @mode, @modelA, @modelB, @voterId, 'streaming', 1, @instanceId, @now, @now)`,
    );
    const insertTurn = raw.prepare(`INSERT INTO turns (battle_id, turn, prompt, created_at) VALUES (@id, 1, @prompt, @now)`);
    this.#q = {
      battle: readRows(battleRow, raw.prepare(`SELECT ${battleRow.columns} FROM battles WHERE id = ?`)),
      turns: readRows(turnRow, raw.prepare(`SELECT ${turnRow.columns} FROM turns WHERE battle_id = ? ORDER BY turn`)),
      answers: readRows(answerRow, raw.prepare(`SELECT ${answerRow.columns} FROM answers WHERE battle_id = ? ORDER BY turn`)),
      vote: readRows(voteRow, raw.prepare(`SELECT ${voteRow.columns} FROM votes WHERE battle_id = ?`)),
      voteByVoteId: readRows(voteRow, raw.prepare(`SELECT ${voteRow.columns} FROM votes WHERE vote_id = ?`)),
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
        `INSERT INTO votes (battle_id, vote_id, voter_id, ip, winner, model_a, model_b, flags, counted, categories, prompt_hash, created_at)
         VALUES (@battleId, @voteId, @voterId, @ip, @winner, @modelA, @modelB, @flags, @counted, @categories, @promptHash, @now)`,
      ),
      markVoted: raw.prepare(`UPDATE battles SET status = 'voted', updated_at = @now WHERE id = @battleId`),
      // Starts come in bursts (a class, a launch): a battle's rows are written by statements built once.
      createBattle: raw.transaction(
        (b: { id: string; mode: BattleMode; modelA: string; modelB: string; voterId: string; prompt: string; instanceId: string; now: number }) => {
          insertBattle.run(b);
          insertTurn.run(b);
        },
      ),
      setStatus: raw.prepare(`UPDATE battles SET status = @status, updated_at = @now WHERE id = @battleId`),
      endTurn: raw.prepare(`UPDATE battles SET status = @status, updated_at = @now WHERE id = @battleId AND status = 'streaming'`),
      expireReady: raw.prepare(`UPDATE battles SET status = 'abandoned', updated_at = @now WHERE status = 'ready' AND updated_at < @before`),
    };
  }

  createBattle(b: { id: string; mode?: BattleMode; modelA: string; modelB: string; voterId: string; prompt: string }): void {
    const { id, modelA, modelB, voterId, prompt } = b;
    this.#q.createBattle({ id, mode: b.mode ?? 'arena', modelA, modelB, voterId, prompt, instanceId: this.instanceId, now: this.#now() });
  }

  addTurn(battleId: string, turn: number, prompt: string): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(turns).values({ battleId, turn, prompt, createdAt: at }).run();
      tx.update(battles).set({ turns: turn, status: 'streaming', instanceId: this.instanceId, updatedAt: at }).where(eq(battles.id, battleId)).run();
    });
  }

  saveAnswer(answer: NewAnswer): void {
    this.#db
      .insert(answers)
      .values({ ...answer, createdAt: new Date(this.#now()) })
      .run();
  }

  setStatus(battleId: string, status: BattleRow['status']): void {
    this.#q.setStatus.run({ status, now: this.#now(), battleId });
  }

  /** The status a turn's end gives the battle, unless it stopped streaming meanwhile (a survivor failed it). */
  endTurn(battleId: string, status: BattleRow['status']): void {
    this.#q.endTurn.run({ status, now: this.#now(), battleId });
  }

  getBattle(battleId: string): BattleRow | undefined {
    return this.#q.battle.one(battleId);
  }

  getTurns(battleId: string): TurnRow[] {
    return this.#q.turns.all(battleId);
  }

  getAnswers(battleId: string): AnswerRow[] {
    return this.#q.answers.all(battleId);
  }

  getVote(battleId: string): VoteRow | undefined {
    return this.#q.vote.one(battleId);
  }

  getVoteByVoteId(voteId: string): VoteRow | undefined {
    return this.#q.voteByVoteId.one(voteId);
  }

  /** The vote and the battle's new status (inside the vote's transaction; server/voting adds the ratings and the category index). */
  insertVote(v: VoteInput): { rowId: number; at: number } {
    const now = this.#now();
    const { lastInsertRowid } = this.#q.insertVote.run({
      ...v,
      flags: JSON.stringify(v.flags),
      categories: JSON.stringify(v.categories),
      counted: v.flags.length === 0 ? 1 : 0,
      now,
    });
    this.#q.markVoted.run({ now, battleId: v.battleId });
    return { rowId: Number(lastInsertRowid), at: now };
  }

  votesSince(by: { voterId: string } | { ip: string }, since: Date): number {
    // Placeholders are bound raw (no column mapping): timestamps go in as epoch milliseconds.
    const params = { since: since.getTime() };
    const row = 'voterId' in by ? this.#q.votesByVoterSince.get({ ...params, who: by.voterId }) : this.#q.votesByIpSince.get({ ...params, who: by.ip });
    return row?.n ?? 0;
  }

  /** Ready battles whose last change is older than `before` can no longer be voted on. */
  expireReady(before: Date): number {
    return this.#q.expireReady.run({ now: this.#now(), before: before.getTime() }).changes;
  }

  /**
   * Battles left streaming by a crash or restart can never finish: mark them failed. Alone, that is
   * every streaming battle; among instances, only this instance's own (and those stored before
   * instances were named): a live peer's battles are its own, and a dead peer's are reaped by
   * `failStreamingOf` once its heartbeat is gone.
   */
  failInterrupted(opts: { alone: boolean } = { alone: true }): number {
    const mine = or(isNull(battles.instanceId), eq(battles.instanceId, this.instanceId));
    return this.#db
      .update(battles)
      .set({ status: 'failed', updatedAt: new Date(this.#now()) })
      .where(opts.alone ? eq(battles.status, 'streaming') : and(eq(battles.status, 'streaming'), mine))
      .run().changes;
  }

  /** The other instances that stream a battle now (as the database has it). */
  streamingInstances(): string[] {
    return this.#db
      .selectDistinct({ instanceId: battles.instanceId })
      .from(battles)
      .where(and(eq(battles.status, 'streaming'), isNotNull(battles.instanceId), ne(battles.instanceId, this.instanceId)))
      .all()
      .map((r) => r.instanceId!);
  }

  /** Battles of this voter streaming on other instances (the concurrency limit counts them too). */
  streamingElsewhere(voterId: string): number {
    const row = this.#db
      .select({ n: sql<number>`count(*)` })
      .from(battles)
      .where(and(eq(battles.status, 'streaming'), eq(battles.voterId, voterId), ne(battles.instanceId, this.instanceId)))
      .get();
    return row?.n ?? 0;
  }

  /** Fails the streaming battles of instances found dead; says which turns' sides never got an answer. */
  failStreamingOf(instanceIds: readonly string[]): FailedTurn[] {
    if (instanceIds.length === 0) return [];
    return this.#db.transaction((tx) => {
      const failed = tx
        .update(battles)
        .set({ status: 'failed', updatedAt: new Date(this.#now()) })
        .where(and(eq(battles.status, 'streaming'), inArray(battles.instanceId, [...instanceIds])))
        .returning({ battleId: battles.id, turn: battles.turns })
        .all();
      return failed.map(({ battleId, turn }) => {
        const answered = new Set(
          tx
            .select({ side: answers.side })
            .from(answers)
            .where(and(eq(answers.battleId, battleId), eq(answers.turn, turn)))
            .all()
            .map((a) => a.side),
        );
        return { battleId, turn, unanswered: (['a', 'b'] as const).filter((side) => !answered.has(side)) };
      });
    });
  }
}
