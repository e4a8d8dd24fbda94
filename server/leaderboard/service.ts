/**
 * Live standings: holds the online ratings in memory (loaded once, updated after each committed
 * vote) and broadcasts `leaderboard:update` coalesced to at most one per interval, always
 * followed by a final one carrying the latest state.
 */
import type { Leaderboard } from '../../protocol/types.ts';
import type { BattleRepo, RatingRow } from '../battles/repo.ts';
import { INITIAL_RATING } from '../battles/repo.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { toPublicModel } from '../models/registry.ts';
import { projectLeaderboard, type RatingState } from './projection.ts';

export class LeaderboardService {
  readonly #ratings = new Map<string, RatingState>();
  readonly #registry: ModelRegistry;
  readonly #broadcast: (leaderboard: Leaderboard) => void;
  readonly #intervalMs: number;
  #totalVotes: number;
  #cached: Leaderboard | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastSentAt = 0;

  constructor(opts: {
    repo: BattleRepo;
    registry: ModelRegistry;
    broadcast: (leaderboard: Leaderboard) => void;
    intervalMs: number;
  }) {
    this.#registry = opts.registry;
    this.#broadcast = opts.broadcast;
    this.#intervalMs = opts.intervalMs;
    for (const row of opts.repo.allRatings()) this.#ratings.set(row.modelId, row);
    this.#totalVotes = opts.repo.countVotes();
  }

  current(): Leaderboard {
    this.#cached ??= projectLeaderboard(
      this.#ratings.values(),
      (id) => {
        const m = this.#registry.get(id);
        return m ? toPublicModel(m) : undefined;
      },
      this.#registry.publicList(),
      this.#totalVotes,
      INITIAL_RATING,
      new Date(),
    );
    return this.#cached;
  }

  /** Called after a vote is committed. */
  recordVote(rows: { a: RatingRow; b: RatingRow }): void {
    this.#ratings.set(rows.a.modelId, rows.a);
    this.#ratings.set(rows.b.modelId, rows.b);
    this.#totalVotes++;
    this.invalidate();
  }

  /** The model pool changed (names, enabled set): rebuild and tell viewers. */
  invalidate(): void {
    this.#cached = null;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastSentAt + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#lastSentAt = Date.now();
      this.#broadcast(this.current());
    }, wait);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
