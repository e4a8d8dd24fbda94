/**
 * The one repository of the public standings: it owns the `ratings` table (the online Elo
 * projection), the query that says which votes are public (counted arena votes, and the votes of
 * evaluations that count in public), and the recompute of the projection from those votes, used
 * by the server's integrity checks and by `arena import`. Plain SQL on the raw connection, so the
 * Bradley-Terry worker and the CLI read the same votes without drizzle.
 */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { ratings } from '../../db/schema.ts';
import type { Winner } from '../../protocol/types.ts';
import { type EloRecord, newEloRecord, recordGame } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';
import type { FitInput } from './fit-input.ts';
import type { IntervalChoice } from './fit-methods.ts';
import { type FitVotes, FitVotesBuilder, PROMPT_ASKED_ONCE } from './fit-votes.ts';
import type { LiveCounts } from './live-counts.ts';
import { maintainedFitInput, PairCountsRepo } from './pair-counts-repo.ts';

export type RatingRow = typeof ratings.$inferSelect;

/** Imported votes without a judge: unknown voters, one cluster each (never one cluster for all). */
export const UNKNOWN_VOTER = 'import:unknown';

/**
 * A vote's prompt for deduplication (`v` is the votes table): its hash when another arena vote has
 * the same prompt, PROMPT_ASKED_ONCE when none has (the fit need not intern a hash per vote), NULL
 * without a stored prompt. The votes_prompt_cells_idx index serves the subquery.
 */
export const PROMPT_OF_VOTE = `CASE WHEN v.prompt_hash IS NULL OR v.prompt_hash = '' THEN NULL
  WHEN v.prompt_hash IN (SELECT prompt_hash FROM votes WHERE prompt_hash != '' GROUP BY prompt_hash HAVING count(*) > 1) THEN v.prompt_hash
  ELSE '${PROMPT_ASKED_ONCE}' END`;

/**
 * The public votes; with `prompt`, each one's prompt for deduplication. Evaluation votes have none:
 * their prompt sets are judged many times on purpose, so deduplication leaves them alone.
 */
const publicVotes = (opts: { prompt?: boolean } = {}) => `
  SELECT v.model_a, v.model_b, v.winner, v.created_at, 0 AS source, v.id, NULLIF(v.voter_id, '${UNKNOWN_VOTER}') AS voter_id,
    ${opts.prompt ? PROMPT_OF_VOTE : 'NULL'} AS prompt
  FROM votes v WHERE v.counted = 1
  UNION ALL
  SELECT v.model_a, v.model_b, v.winner, v.created_at, 1 AS source, v.id, v.voter_id, NULL AS prompt
  FROM eval_votes v JOIN evaluations e ON e.id = v.evaluation_id WHERE e.count_in_public = 1`;
const PUBLIC_VOTES = publicVotes();

export type PublicVote = [modelA: string, modelB: string, winner: Winner];

export interface WinnerCount {
  modelA: string;
  modelB: string;
  winner: Winner;
  count: number;
}

/**
 * What a Bradley-Terry fit needs, with the stored Elo: the maintained counts (pair-counts-repo.ts),
 * or the public votes one by one (what clustered or weighted model-based intervals need, and the
 * audit path).
 */
export type BtSnapshot = ({ source: 'counts'; input: FitInput } | { source: 'votes'; votes: FitVotes }) & {
  elo: Array<[modelId: string, rating: number]>;
};

type Counted = EloRecord & { modelId: string };

export interface StoredRatings {
  rows: RatingRow[];
  /** Public votes, counted from the votes. */
  totalVotes: number;
  /** Public votes as the maintained counts say (equal when the triggers kept them; compared only with itself). */
  maintained: number;
}

export interface StoredMarks {
  rows: RatingRow[];
  maintained: number;
  newest: { arena: number; evaluation: number };
}

/** Every public vote is in the `all` cells of pair_counts, self-battles included. */
const maintainedPublicVotes = (sqlite: Sqlite) => sqlite.prepare(`SELECT coalesce(sum(n), 0) FROM pair_counts WHERE category = 'all'`).pluck().get() as number;

export class RatingsRepo {
  readonly #sqlite: Sqlite;
  readonly #now: () => number;
  readonly #select: Statement<[string], Counted>;
  readonly #upsert: Statement;

  constructor(sqlite: Sqlite, now: () => number = Date.now) {
    this.#sqlite = sqlite;
    this.#now = now;
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
    const now = this.#now();
    const current = (id: string): Counted => this.#select.get(id) ?? { modelId: id, ...newEloRecord() };
    const a = current(v.modelA);
    const b = current(v.modelB);
    const [na, nb] = recordGame(a, b, scoreOfA(outcomeFromDbWinner(v.winner)), v.k);
    const rowA = { modelId: a.modelId, ...na, updatedAt: new Date(now) };
    const rowB = { modelId: b.modelId, ...nb, updatedAt: new Date(now) };
    for (const row of [rowA, rowB]) this.#upsert.run({ ...row, updatedAt: now });
    return { a: rowA, b: rowB };
  }

  all(): RatingRow[] {
    const rows = this.#sqlite.prepare(`SELECT model_id AS modelId, rating, games, wins, losses, ties, updated_at AS updatedAt FROM ratings`).all() as Array<
      Omit<RatingRow, 'updatedAt'> & { updatedAt: number }
    >;
    return rows.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) }));
  }

  /** How many votes the public leaderboard is made of. */
  countPublicVotes(): number {
    return (this.#sqlite.prepare(`SELECT count(*) AS n FROM (${PUBLIC_VOTES})`).get() as { n: number }).n;
  }

  /**
   * The ratings and the public votes they were made of, read in one transaction: the count (a scan
   * of the votes), and the maintained count (pair_counts, kept by triggers) to compare later marks with.
   */
  state(): StoredRatings {
    return this.#sqlite.transaction(() => ({ rows: this.all(), totalVotes: this.countPublicVotes(), maintained: maintainedPublicVotes(this.#sqlite) }))();
  }

  /**
   * What an instance compares with what it holds, cheaply (one row per model, a sum over the
   * maintained counts of `all`, two index look-ups): the ratings, the public votes, and the newest
   * vote of each table (whatever id it has not heard of was written by another process, unheard).
   */
  marks(): StoredMarks {
    return this.#sqlite.transaction(() => {
      const newest = this.#sqlite.prepare('SELECT (SELECT max(id) FROM votes) AS arena, (SELECT max(id) FROM eval_votes) AS evaluation').get() as {
        arena: number | null;
        evaluation: number | null;
      };
      return { rows: this.all(), maintained: maintainedPublicVotes(this.#sqlite), newest: { arena: newest.arena ?? 0, evaluation: newest.evaluation ?? 0 } };
    })();
  }

  /**
   * Rebuilds the `ratings` projection from the votes: online Elo over every public vote in time
   * order (ties broken by insertion order), the same per-vote update the server applies live.
   * Returns how many votes it counted. Run it inside a transaction when the votes may change.
   */
  recompute(k: number): number {
    const state = new Map<string, EloRecord>();
    let counted = 0;
    for (const [modelA, modelB, winner] of publicVotesInOrder(this.#sqlite)) {
      if (modelA === modelB) continue;
      counted++;
      const [a, b] = recordGame(state.get(modelA) ?? newEloRecord(), state.get(modelB) ?? newEloRecord(), scoreOfA(outcomeFromDbWinner(winner)), k);
      state.set(modelA, a);
      state.set(modelB, b);
    }
    this.replaceAll(state);
    return counted;
  }

  /** Replaces the projection with these ratings (rows in the map's order), as `recompute` stores what it computed. */
  replaceAll(state: ReadonlyMap<string, EloRecord>): void {
    this.#sqlite.prepare('DELETE FROM ratings').run();
    const insert = this.#sqlite.prepare('INSERT INTO ratings (model_id, rating, games, wins, losses, ties, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const now = this.#now();
    for (const [id, s] of state) insert.run(id, s.rating, s.games, s.wins, s.losses, s.ties, now);
  }

  /** True when some vote is public (what `recompute` would read). */
  hasPublicVotes(): boolean {
    return this.#sqlite.prepare(`SELECT EXISTS (SELECT 1 FROM (${PUBLIC_VOTES}))`).pluck().get() === 1;
  }
}

/** Every public vote in the order the online Elo applies them: vote time, then insertion. */
export function publicVotesInOrder(sqlite: Sqlite): IterableIterator<PublicVote> {
  return sqlite
    .prepare(`SELECT model_a, model_b, winner FROM (${PUBLIC_VOTES}) ORDER BY created_at, source, id`)
    .raw()
    .iterate() as IterableIterator<PublicVote>;
}

/** What the leaderboard's fit reads besides pairs and outcomes: voters only to cluster, prompts only to deduplicate. */
export function snapshotColumns(options: { intervals?: { method: string; clustered: boolean } | undefined; dedupTopShare?: number | undefined }) {
  return { voters: options.intervals?.clustered === true && options.intervals.method !== 'fisher', prompts: (options.dedupTopShare ?? 0) > 0 };
}

/** The stored online Elo (the `ratings` projection). */
const storedElo = (sqlite: Sqlite) => sqlite.prepare('SELECT model_id, rating FROM ratings').raw().all() as Array<[string, number]>;

/**
 * Votes and Elo in one read transaction, so the Elo column belongs to the same votes. Voters are
 * read only for clustered intervals, prompts only for deduplication.
 */
export function readBtSnapshot(sqlite: Sqlite, opts: { voters?: boolean | undefined; prompts?: boolean | undefined } = {}): BtSnapshot & { source: 'votes' } {
  const columns = `model_a, model_b, winner, ${opts.voters ? 'voter_id' : 'NULL'}, prompt`;
  const votes = sqlite.prepare(`SELECT ${columns} FROM (${publicVotes({ prompt: opts.prompts !== false })}) ORDER BY created_at, source, id`).raw();
  return sqlite.transaction(() => {
    const builder = new FitVotesBuilder();
    for (const [modelA, modelB, winner, voter, prompt] of votes.iterate() as IterableIterator<[string, string, Winner, string, string | null]>) {
      builder.add({ modelA, modelB, winner, voter, prompt });
    }
    return { source: 'votes' as const, votes: builder.build(), elo: storedElo(sqlite) };
  })();
}

/**
 * What the live fit reads: the maintained counts and Elo in one read transaction, or the votes
 * when the intervals asked for need one row per vote (clustered sandwich; model-based intervals
 * with down-weighted prompts). With `live` (counts kept since the last read, of this connection),
 * only the votes added since are read.
 */
export function readBtInput(
  sqlite: Sqlite,
  options: { intervals?: IntervalChoice | undefined; dedupTopShare?: number | undefined },
  live?: LiveCounts,
): BtSnapshot {
  const columns = snapshotColumns(options);
  if (columns.voters) return readBtSnapshot(sqlite, columns);
  const counts = sqlite.transaction(() => {
    live?.sync();
    return { input: maintainedFitInput(live ?? new PairCountsRepo(sqlite), 'all', options.dedupTopShare ?? 0), elo: storedElo(sqlite) };
  })();
  const method = options.intervals?.method ?? 'bootstrap';
  if (method !== 'bootstrap' && counts.input.dedup?.weighted) return readBtSnapshot(sqlite, columns);
  return { source: 'counts', ...counts };
}
