/**
 * Live standings: holds the online ratings in memory (loaded once, updated after each committed
 * vote, this instance's or a peer's) and broadcasts `leaderboard:update` coalesced to at most one
 * per interval, always followed by a final one carrying the latest state.
 */
import type { Leaderboard, ModelSpeed } from '../../protocol/types.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { toPublicModel } from '../models/registry.ts';
import { INITIAL_RATING } from '../ratings/elo.ts';
import type { AnswerSamples } from './answer-samples.ts';
import { projectLeaderboard, type RatingState } from './projection.ts';
import type { RatingRow, RatingsRepo, StoredMarks, StoredRatings } from './ratings-repo.ts';
import { speedStats } from './speed.ts';

/** Speed and cost come from the last answers of each model, recomputed at most this often. */
const SPEED_SAMPLE = 1000;
const SPEED_TTL_MS = 10_000;
/** Disabled models' figures come from the arena's latest answers only (see #speedByModel). */
const DISABLED_WINDOW = 50_000;

export class LeaderboardService {
  #ratings = new Map<string, RatingState>();
  readonly #repo: RatingsRepo;
  readonly #registry: ModelRegistry;
  readonly #samples: AnswerSamples;
  #speed: { at: number; byModel: Map<string, ModelSpeed> } | null = null;
  readonly #broadcast: (leaderboard: Leaderboard) => void;
  readonly #intervalMs: number;
  #totalVotes: number;
  /** What the latest (re)load read: each model's games then, so a vote already in it is not counted again. */
  #base!: { games: Map<string, number>; totalVotes: number; maintained: number };
  #cached: Leaderboard | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastSentAt = 0;
  readonly #now: () => number;

  constructor(opts: {
    ratings: RatingsRepo;
    samples: AnswerSamples;
    registry: ModelRegistry;
    broadcast: (leaderboard: Leaderboard) => void;
    intervalMs: number;
    now?: () => number;
  }) {
    this.#now = opts.now ?? Date.now;
    this.#registry = opts.registry;
    this.#samples = opts.samples;
    this.#broadcast = opts.broadcast;
    this.#intervalMs = opts.intervalMs;
    this.#repo = opts.ratings;
    this.#totalVotes = 0;
    this.#take(opts.ratings.state());
  }

  #take(stored: StoredRatings): void {
    this.#ratings = new Map(stored.rows.map((r) => [r.modelId, r]));
    this.#totalVotes = stored.totalVotes;
    this.#base = { games: new Map(stored.rows.map((r) => [r.modelId, r.games])), totalVotes: stored.totalVotes, maintained: stored.maintained };
  }

  current(): Leaderboard {
    if (this.#cached && this.#speed && this.#now() - this.#speed.at <= SPEED_TTL_MS) return this.#cached;
    const board = projectLeaderboard(
      this.#ratings.values(),
      (id) => {
        const m = this.#registry.get(id);
        return m ? toPublicModel(m) : undefined;
      },
      this.#registry.publicList(),
      this.#totalVotes,
      INITIAL_RATING,
      new Date(this.#now()),
    );
    const speed = this.#speedByModel();
    for (const entry of board.models) {
      const s = speed.get(entry.id);
      if (s) entry.speed = s;
    }
    this.#cached = board;
    return board;
  }

  /** Counted public votes of a model (its games in the online Elo). */
  votesOf(modelId: string): number {
    return this.#ratings.get(modelId)?.games ?? 0;
  }

  speedOf(modelId: string): ModelSpeed | undefined {
    return this.#speedByModel().get(modelId);
  }

  #speedByModel(): Map<string, ModelSpeed> {
    const now = this.#now();
    if (!this.#speed || now - this.#speed.at > SPEED_TTL_MS) {
      // Disabled models (imported history, sample models, models switched off) are read within the
      // latest answers only: a bounded walk of the index however much imported history they have,
      // and still the figures of a model that answered in the arena until lately.
      const enabled = new Set(this.#registry.enabled().map((m) => m.id));
      const floor = Math.max(0, this.#samples.lastId() - DISABLED_WINDOW);
      const samples = this.#registry.all().flatMap((m) => this.#samples.recent(m.id, SPEED_SAMPLE, enabled.has(m.id) ? 0 : floor));
      this.#speed = { at: now, byModel: speedStats(samples) };
    }
    return this.#speed.byModel;
  }

  /**
   * Called after a vote is committed, here or on a peer. This instance's own vote carries the
   * newest rows (nothing else runs between its COMMIT and this call). A peer's may not: votes on a
   * model are serialized by the database, so a model's games number its votes, a row with more
   * games than the one held is newer (messages from several instances come in any order), and a
   * vote is already in the latest load when that load had at least its games. Returns whether the
   * vote was new here.
   */
  recordVote(rows: { a: RatingRow; b: RatingRow }, from: 'here' | 'peer' = 'here'): boolean {
    const peer = from === 'peer';
    if (peer && (this.#base.games.get(rows.a.modelId) ?? 0) >= rows.a.games) return false;
    // A vote of a model against itself wrote its row twice: the second one stands.
    for (const row of rows.a.modelId === rows.b.modelId ? [rows.b] : [rows.a, rows.b]) {
      if (!peer || (this.#ratings.get(row.modelId)?.games ?? -1) < row.games) this.#ratings.set(row.modelId, row);
    }
    this.#totalVotes++;
    this.invalidate();
    return true;
  }

  /**
   * Whether the stored state differs from what this instance holds: other ratings, or more (or
   * fewer) public votes since the latest load than it heard of. A vote committed elsewhere whose
   * message is still on its way looks the same; reloading then costs a count, not a wrong figure.
   */
  behind(marks: Pick<StoredMarks, 'rows' | 'maintained'>): boolean {
    if (marks.rows.length !== this.#ratings.size || !marks.rows.every((r) => sameRating(this.#ratings.get(r.modelId), r))) return true;
    return marks.maintained - this.#base.maintained !== this.#totalVotes - this.#base.totalVotes;
  }

  /** Takes the stored ratings and count again (see `behind`), and tells viewers. */
  reload(): void {
    this.#take(this.#repo.state());
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
      try {
        this.#broadcast(this.current());
      } catch (err) {
        // A failed read (e.g. the database briefly locked) must not end the process; the next vote retries.
        console.error('leaderboard broadcast failed:', err);
      }
    }, wait);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

function sameRating(held: RatingState | undefined, stored: RatingState): boolean {
  return held !== undefined && (['rating', 'games', 'wins', 'losses', 'ties'] as const).every((k) => held[k] === stored[k]);
}
