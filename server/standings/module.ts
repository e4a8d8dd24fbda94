/**
 * The public standings as the app composes them: live Elo, Bradley-Terry, the category views (and
 * the categories every vote is filed under, with their start-up backfill), the shared worker
 * thread, and their socket events and routes.
 */
import type { Db } from '../../db/client.ts';
import type { CategorySummary } from '../../protocol/standings.ts';
import type { ModelSpeed } from '../../protocol/types.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { Cluster, ResyncReason } from '../transport/cluster.ts';
import type { ArenaServer } from '../transport/socket.ts';
import { AnswerSamples } from './answer-samples.ts';
import { CategoryBackfill } from './backfill.ts';
import { BradleyTerryService, BT_MIN_INTERVAL_MS } from './bt-service.ts';
import { type Categorizer, categorizer } from './categories.ts';
import type { StandingsConfig } from './config.ts';
import { DerivedCache } from './derived-cache.ts';
import { LeaderboardService } from './live-elo.ts';
import { type FiledVoteRow, HeardVotes, joinStandingsPeers, type StandingsApply } from './peer-sync.ts';
import type { RatingRow, RatingsRepo } from './ratings-repo.ts';
import type { StandingsLookups } from './standings-build.ts';
import { StyleBackfill } from './style-backfill.ts';
import { StyleBackfillRepo } from './style-repo.ts';
import type { TaskResults } from './tasks.ts';
import { StandingsViews } from './view-service.ts';
import { VoteCategoriesRepo } from './vote-categories-repo.ts';
import { StandingsWorker } from './worker-client.ts';

export const LEADERBOARD_ROOM = 'leaderboard';

export interface Standings {
  liveElo: LeaderboardService;
  bt: BradleyTerryService;
  views: StandingsViews;
  worker: StandingsWorker;
  derived: { categories: DerivedCache<TaskResults['categories']>; history: DerivedCache<TaskResults['history']> };
  /** The online Elo step, for views and histories computed from the votes. */
  eloK: number;
  /** The vote threshold of a view that names none (config `standings.minVotes`). */
  minVotes: number;
  /** Votes per category (GET /api/standings/categories), computed in the worker and cached. */
  categorySummary(votes: 'blind' | 'all'): Promise<CategorySummary[]>;
  /** Decides a vote's categories (server/voting hands it to each vote's write). */
  categorize: Categorizer;
  categories: VoteCategoriesRepo;
  /** Settles once the votes recorded before categories existed are filed (with how many). */
  backfilled: Promise<number>;
  /** Settles once older answers have their style features and older votes their prompt hash (with how many rows). */
  styled: Promise<number>;
  /** After a counted vote was committed (server/voting); the peers are told too. */
  votesCounted(rows: { a: RatingRow; b: RatingRow }): void;
  /** After any vote was committed (server/voting): the views it belongs to are refitted; the peers are told too. */
  votesFiled(vote: FiledVoteRow): void;
  /** The model pool, a name or a deprecated switch changed (server/models, which tells the peers itself). */
  invalidate(): void;
  /** Re-reads the stored ratings and newest votes, and catches up when a peer's votes went unheard (peer-sync.ts). */
  resync(reason?: ResyncReason): void;
  speedOf(modelId: string): ModelSpeed | undefined;
  close(): Promise<void>;
}

export interface StandingsDeps {
  db: Db;
  ratings: RatingsRepo;
  registry: ModelRegistry;
  io: ArenaServer;
  /** The deployment's instances: votes committed here are told to the others, theirs applied here. */
  cluster?: Pick<Cluster, 'shared' | 'onResync'>;
  config: {
    databasePath: string;
    leaderboardIntervalMs: number;
    elo: { k: number };
    standings: StandingsConfig;
    /** The active matchmaking policy draws from the latest Bradley-Terry fit, which then stays fresh. */
    matchmaking?: { policy: string } | undefined;
  };
  now: () => number;
  btIntervalMs?: number | undefined;
  onError: (err: Error) => void;
}

export function createStandings(deps: StandingsDeps): Standings {
  const { io, registry, config } = deps;
  const audience = (room: string) => io.sockets.adapter.rooms.get(room)?.size ?? 0;
  const minIntervalMs = deps.btIntervalMs ?? BT_MIN_INTERVAL_MS;
  const worker = new StandingsWorker({ databasePath: config.databasePath, sqlite: deps.db.$client });
  const liveElo = new LeaderboardService({
    ratings: deps.ratings,
    samples: new AnswerSamples(deps.db.$client),
    registry,
    intervalMs: config.leaderboardIntervalMs,
    now: deps.now,
    // io.local: every instance pushes its own standings to its own sockets, so none gets a frame twice.
    broadcast: (leaderboard) => io.local.to(LEADERBOARD_ROOM).emit('leaderboard:update', { leaderboard }),
  });
  const bt = new BradleyTerryService({
    databasePath: config.databasePath,
    db: deps.db,
    worker,
    describe: (id) => {
      const m = registry.get(id);
      return m && { name: m.name, demo: m.provider === 'demo' };
    },
    speedOf: (id) => liveElo.speedOf(id),
    broadcast: (leaderboard) => io.local.to(LEADERBOARD_ROOM).emit('leaderboard:bt', { leaderboard }),
    hasAudience: () => audience(LEADERBOARD_ROOM) > 0,
    minIntervalMs,
    intervals: config.standings.intervals,
    dedupTopShare: config.standings.promptDedup.topShare,
    keepFresh: config.matchmaking?.policy === 'active',
    onError: deps.onError,
    now: deps.now,
  });
  const lookups: StandingsLookups = {
    describe: (id) => {
      const m = registry.get(id);
      if (!m) return undefined;
      return {
        name: m.name,
        demo: m.provider === 'demo',
        organization: m.organization ?? null,
        license: m.license ?? null,
        deprecated: registry.isDeprecated(id),
      };
    },
    speedOf: (id) => liveElo.speedOf(id),
  };
  const views = new StandingsViews({
    run: (task) => worker.run(task),
    lookups,
    minVotes: config.standings.minVotes,
    eloK: config.elo.k,
    intervals: config.standings.intervals,
    dedupTopShare: config.standings.promptDedup.topShare,
    emit: (room, standings) => io.local.to(room).emit('standings:update', { standings }),
    audience,
    minIntervalMs,
    now: deps.now,
    onError: deps.onError,
  });
  const derived = {
    categories: new DerivedCache<TaskResults['categories']>({ minIntervalMs }),
    history: new DerivedCache<TaskResults['history']>({ minIntervalMs }),
  };
  const categorize = categorizer({ longPromptTokens: config.standings.longPromptTokens });
  const categories = new VoteCategoriesRepo(deps.db.$client);
  const backfill = new CategoryBackfill(categories, categorize);
  const styleBackfill = new StyleBackfill(new StyleBackfillRepo(deps.db.$client));
  // A vote committed here or on a peer: each instance updates its own copy (peer-sync.ts).
  const heard = new HeardVotes(deps.ratings.marks().newest);
  // A peer's message or a resync may still come while the app closes: nothing is scheduled then.
  let closed = false;
  const apply: StandingsApply = {
    counted(rows, from) {
      if (!closed && liveElo.recordVote(rows, from)) bt.votesChanged();
    },
    filed(vote) {
      heard.add(vote);
      if (closed || vote.visibility === 'private') return;
      views.votesFiled(vote);
      derived.categories.changed();
      derived.history.changed();
    },
    allChanged() {
      if (closed) return;
      views.allChanged();
      derived.categories.changed();
      derived.history.changed();
      bt.votesChanged();
    },
  };
  // After a lost subscription every message meanwhile is gone: reload. Otherwise compare, cheaply.
  const resync = (reason: ResyncReason = 'periodic') => {
    if (closed) return;
    const marks = deps.ratings.marks();
    const behind = reason !== 'periodic' || liveElo.behind(marks);
    if (behind) liveElo.reload();
    if (heard.catchUp(marks.newest) || behind) apply.allChanged();
  };
  const peers = joinStandingsPeers({ io, cluster: deps.cluster ?? { shared: false, onResync: () => undefined }, apply, resync });
  const backfilled = backfill.run().then((filed) => {
    if (filed > 0) {
      views.allChanged();
      derived.categories.changed();
      derived.history.changed();
      peers.allChanged();
    }
    return filed;
  });
  backfilled.catch(deps.onError);
  // Style features and prompt hashes of older answers and votes: the fits change with them.
  const styled = backfilled
    .catch(() => 0)
    .then(() => styleBackfill.run())
    .then((filled) => {
      if (filled > 0) {
        views.allChanged();
        bt.votesChanged();
        peers.allChanged();
      }
      return filled;
    });
  styled.catch(deps.onError);
  return {
    liveElo,
    bt,
    views,
    worker,
    derived,
    eloK: config.elo.k,
    minVotes: config.standings.minVotes,
    categorySummary: (votes) => derived.categories.get(votes, () => worker.run({ kind: 'categories', votes })),
    categorize,
    categories,
    backfilled,
    styled,
    votesCounted(rows) {
      apply.counted(rows, 'here');
      peers.counted(rows);
    },
    votesFiled(vote) {
      apply.filed(vote);
      peers.filed(vote);
    },
    invalidate() {
      liveElo.invalidate();
      views.modelsChanged();
    },
    resync,
    speedOf: (id) => liveElo.speedOf(id),
    async close() {
      closed = true;
      backfill.stop();
      styleBackfill.stop();
      await backfilled.catch(() => 0);
      await styled.catch(() => 0);
      liveElo.close();
      views.close();
      await bt.close();
      await worker.close();
    },
  };
}
