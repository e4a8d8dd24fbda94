/**
 * An arena vote written to PostgreSQL, where several instances write at once: in one transaction,
 * exactly once by the client's voteId and once per battle, the battle marked voted only if it was
 * ready, the vote and its categories, and, when it counts, both models' online Elo (the maintained
 * counts follow from the migration's triggers). The Elo update is serialized in the database: the
 * two rating rows are locked (SELECT … FOR UPDATE, in model-id order so two votes never wait on
 * each other crosswise) before the vote takes its id, so votes that share a model apply in the
 * order of their ids, and the ratings equal a recompute from the votes in id order whichever
 * instance wrote which (docs/DEPLOY.md, "Why the ratings stay right with many writers"). This is
 * the PostgreSQL side of the one vote path (recorder.ts); SQLite's writer needs none of it, as it
 * has one writer at a time by construction.
 */
import type { PgClient, PgDb } from '../../db/pg/client.ts';
import type { Winner } from '../../protocol/types.ts';
import { type EloRecord, newEloRecord, recordGame } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';
import type { VoteInput } from './recorder.ts';

export interface PgRatingRow extends EloRecord {
  modelId: string;
}

export type PgVoteOutcome =
  | { kind: 'recorded'; rowId: number; at: number; ratings: { a: PgRatingRow; b: PgRatingRow } | null }
  /** The voteId was used before: the stored vote, for the caller to answer a re-send or refuse a different vote. */
  | { kind: 'earlier'; vote: { battleId: string; voterId: string; winner: Winner; counted: boolean; flags: string[] } }
  /** The battle was not ready for a vote (already voted, maybe on another instance, or not finished). */
  | { kind: 'not_ready'; status: string | null };

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

export class PgVoteStore {
  readonly #db: PgDb;
  readonly #eloK: number;
  readonly #now: () => number;

  constructor(db: PgDb, opts: { eloK: number; now?: () => number }) {
    this.#db = db;
    this.#eloK = opts.eloK;
    this.#now = opts.now ?? Date.now;
  }

  async record(vote: VoteInput): Promise<PgVoteOutcome> {
    const client = await this.#db.$client.connect();
    try {
      await client.query('BEGIN');
      const outcome = await this.#write(client, vote);
      await client.query(outcome.kind === 'recorded' ? 'COMMIT' : 'ROLLBACK');
      return outcome;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // Two sends of one voteId at the same instant: the second finds the first once it committed.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION && vote.voteId) {
        const earlier = await earlierVote(client, vote.voteId);
        if (earlier) return earlier;
      }
      throw err;
    } finally {
      client.release();
    }
  }

  async #write(client: PgClient, vote: VoteInput): Promise<PgVoteOutcome> {
    if (vote.voteId) {
      const earlier = await earlierVote(client, vote.voteId);
      if (earlier) return earlier;
    }
    const now = this.#now();
    // The battle row is the guard between instances: only one transaction turns it from ready to voted.
    const marked = await client.query(`UPDATE battles SET status = 'voted', updated_at = $2 WHERE id = $1 AND status = 'ready'`, [vote.battleId, now]);
    if (marked.rowCount !== 1) {
      // The same vote sent twice at once: the update waited for the first send, now committed.
      const earlier = vote.voteId ? await earlierVote(client, vote.voteId) : null;
      if (earlier) return earlier;
      const { rows } = await client.query<{ status: string }>('SELECT status FROM battles WHERE id = $1', [vote.battleId]);
      return { kind: 'not_ready', status: rows[0]?.status ?? null };
    }
    const counted = vote.flags.length === 0;
    const before = counted ? await lockRatings(client, vote.modelA, vote.modelB) : null;
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO votes (battle_id, vote_id, voter_id, ip, winner, model_a, model_b, flags, counted, categories, prompt_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        vote.battleId,
        vote.voteId,
        vote.voterId,
        vote.ip,
        vote.winner,
        vote.modelA,
        vote.modelB,
        JSON.stringify(vote.flags),
        counted,
        JSON.stringify(vote.categories),
        vote.promptHash,
        now,
      ],
    );
    const rowId = Number(inserted.rows[0]!.id);
    if (vote.categories.length > 0) {
      await client.query(`INSERT INTO vote_categories (category, source, vote_id) SELECT unnest($1::text[]), 0, $2 ON CONFLICT DO NOTHING`, [
        vote.categories,
        rowId,
      ]);
    }
    let ratings: { a: PgRatingRow; b: PgRatingRow } | null = null;
    if (before) {
      const [a, b] = recordGame(before.get(vote.modelA)!, before.get(vote.modelB)!, scoreOfA(outcomeFromDbWinner(vote.winner)), this.#eloK);
      ratings = { a: { modelId: vote.modelA, ...a }, b: { modelId: vote.modelB, ...b } };
      for (const row of [ratings.a, ratings.b]) {
        await client.query('UPDATE ratings SET rating = $2, games = $3, wins = $4, losses = $5, ties = $6, updated_at = $7 WHERE model_id = $1', [
          row.modelId,
          row.rating,
          row.games,
          row.wins,
          row.losses,
          row.ties,
          now,
        ]);
      }
    }
    return { kind: 'recorded', rowId, at: now, ratings };
  }
}

async function earlierVote(client: PgClient, voteId: string): Promise<PgVoteOutcome | null> {
  const { rows } = await client.query<{ battle_id: string; voter_id: string; winner: Winner; counted: boolean; flags: string[] }>(
    'SELECT battle_id, voter_id, winner, counted, flags FROM votes WHERE vote_id = $1',
    [voteId],
  );
  const row = rows[0];
  return row ? { kind: 'earlier', vote: { battleId: row.battle_id, voterId: row.voter_id, winner: row.winner, counted: row.counted, flags: row.flags } } : null;
}

/**
 * Both models' rating rows, locked for the rest of the transaction (created at the start rating
 * first if missing), in model-id order: a vote on (B, C) and one on (C, B) lock C and B alike.
 */
async function lockRatings(client: PgClient, modelA: string, modelB: string): Promise<Map<string, EloRecord>> {
  const ids = [...new Set([modelA, modelB])].sort();
  const start = newEloRecord();
  await client.query(
    `INSERT INTO ratings (model_id, rating, games, wins, losses, ties) SELECT unnest($1::text[]), $2, 0, 0, 0, 0 ON CONFLICT (model_id) DO NOTHING`,
    [ids, start.rating],
  );
  const { rows } = await client.query<{ model_id: string; rating: number; games: number; wins: number; losses: number; ties: number }>(
    'SELECT model_id, rating, games, wins, losses, ties FROM ratings WHERE model_id = ANY($1::text[]) ORDER BY model_id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((r) => [r.model_id, { rating: r.rating, games: r.games, wins: r.wins, losses: r.losses, ties: r.ties }]));
}
