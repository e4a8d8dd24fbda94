/** The public standings as the app composes them: live Elo, Bradley-Terry, and their socket events and routes. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { emptySchema } from '../../protocol/schemas.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { route } from '../transport/http.ts';
import { type ArenaServer, on } from '../transport/socket.ts';
import { parseInput } from '../transport/validation.ts';
import { AnswerSamples } from './answer-samples.ts';
import { BradleyTerryService } from './bt-service.ts';
import { LeaderboardService } from './live-elo.ts';
import type { RatingRow, RatingsRepo } from './ratings-repo.ts';

const ROOM = 'leaderboard';

/** Other query parameters are ignored, as they always were. */
const leaderboardQuerySchema = z.object({ method: z.enum(['elo', 'bt']).default('elo') });

export interface Standings {
  liveElo: LeaderboardService;
  bt: BradleyTerryService;
  /** After a counted vote was committed (server/voting). */
  votesCounted(rows: { a: RatingRow; b: RatingRow }): void;
  close(): Promise<void>;
}

export function createStandings(deps: {
  db: Db;
  ratings: RatingsRepo;
  registry: ModelRegistry;
  io: ArenaServer;
  databasePath: string;
  intervalMs: number;
  now: () => number;
  btIntervalMs?: number | undefined;
  onError: (err: Error) => void;
}): Standings {
  const { io, registry } = deps;
  const liveElo = new LeaderboardService({
    ratings: deps.ratings,
    samples: new AnswerSamples(deps.db.$client),
    registry,
    intervalMs: deps.intervalMs,
    now: deps.now,
    broadcast: (leaderboard) => io.to(ROOM).emit('leaderboard:update', { leaderboard }),
  });
  const bt = new BradleyTerryService({
    databasePath: deps.databasePath,
    db: deps.db,
    describe: (id) => {
      const m = registry.get(id);
      return m && { name: m.name, demo: m.provider === 'demo' };
    },
    speedOf: (id) => liveElo.speedOf(id),
    broadcast: (leaderboard) => io.to(ROOM).emit('leaderboard:bt', { leaderboard }),
    hasAudience: () => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) > 0,
    ...(deps.btIntervalMs !== undefined ? { minIntervalMs: deps.btIntervalMs } : {}),
    onError: deps.onError,
    now: deps.now,
  });
  return {
    liveElo,
    bt,
    votesCounted(rows) {
      liveElo.recordVote(rows);
      bt.votesChanged();
    },
    async close() {
      liveElo.close();
      await bt.close();
    },
  };
}

/** `leaderboard:subscribe` / `unsubscribe` and `GET /api/leaderboard` (Elo, or `?method=bt`). */
export function registerStandings(fastify: FastifyInstance, io: ArenaServer, standings: Standings): void {
  io.on('connection', (socket) => {
    on(socket, 'leaderboard:subscribe', { schema: emptySchema }, () => {
      void socket.join(ROOM);
      return { leaderboard: standings.liveElo.current() };
    });
    on(socket, 'leaderboard:unsubscribe', { schema: emptySchema }, () => {
      void socket.leave(ROOM);
      return {};
    });
  });
  route(fastify, 'GET /api/leaderboard', async (req) => {
    const { method } = parseInput(leaderboardQuerySchema, req.query);
    return method === 'bt' ? standings.bt.latest() : standings.liveElo.current();
  });
}
