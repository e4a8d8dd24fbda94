/** The standings' transport: thin socket handlers and routes over the services of module.ts. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { emptySchema } from '../../protocol/schemas.ts';
import { type StandingsQuery, standingsQuerySchema, standingsViewSchema } from '../../protocol/standings.ts';
import { AppError } from '../transport/errors.ts';
import { route } from '../transport/http.ts';
import { type ArenaServer, type ArenaSocket, on } from '../transport/socket.ts';
import { parseInput } from '../transport/validation.ts';
import { LEADERBOARD_ROOM, type Standings } from './module.ts';
import { timeBounds } from './views-repo.ts';

/** Other query parameters are ignored, as they always were. */
const leaderboardQuerySchema = z.object({ method: z.enum(['elo', 'bt']).default('elo') });
const subscribeSchema = z.strictObject({ view: standingsQuerySchema.prefault({}) });
const categoriesQuerySchema = standingsViewSchema.pick({ votes: true });
const historyQuerySchema = standingsViewSchema.pick({ category: true, votes: true });

/** `leaderboard:*` and `standings:*` socket events, `GET /api/leaderboard` and `GET /api/standings…`. */
export function registerStandings(fastify: FastifyInstance, io: ArenaServer, standings: Standings): void {
  registerLeaderboardEvents(fastify, io, standings, LEADERBOARD_ROOM);
  registerStandingsEvents(fastify, io, standings);
}

/** `leaderboard:subscribe` / `unsubscribe` and `GET /api/leaderboard` (Elo, or `?method=bt`), unchanged. */
function registerLeaderboardEvents(fastify: FastifyInstance, io: ArenaServer, standings: Standings, room: string): void {
  io.on('connection', (socket) => {
    on(socket, 'leaderboard:subscribe', { schema: emptySchema }, () => {
      void socket.join(room);
      return { leaderboard: standings.liveElo.current() };
    });
    on(socket, 'leaderboard:unsubscribe', { schema: emptySchema }, () => {
      void socket.leave(room);
      return {};
    });
  });
  route(fastify, 'GET /api/leaderboard', async (req) => {
    const { method } = parseInput(leaderboardQuerySchema, req.query);
    return method === 'bt' ? standings.bt.latest() : standings.liveElo.current();
  });
}

/** A view as asked for: the schema's defaults, and dates in order. */
function viewOf(input: unknown): StandingsQuery {
  const view = parseInput(standingsQuerySchema, input);
  const { from, to } = timeBounds(view.from, view.to);
  if (from !== null && to !== null && to <= from) throw new AppError('invalid_input', 'to must not be before from', { field: 'to' });
  if (view.styleControl === '1' && view.method !== 'bt') {
    throw new AppError('invalid_input', 'style control is a Bradley-Terry fit: ask for method=bt', { field: 'styleControl' });
  }
  return view;
}

function leaveViews(socket: ArenaSocket): void {
  for (const room of socket.rooms) if (room.startsWith('standings:')) void socket.leave(room);
}

/** `standings:subscribe` / `unsubscribe`, `GET /api/standings`, its categories and its history. */
function registerStandingsEvents(fastify: FastifyInstance, io: ArenaServer, standings: Standings): void {
  const { views, worker, derived } = standings;
  io.on('connection', (socket) => {
    on(socket, 'standings:subscribe', { schema: subscribeSchema }, async (input) => {
      const view = viewOf(input.view);
      // One view per socket: a page shows one at a time.
      leaveViews(socket);
      void socket.join(views.roomOf(view));
      views.watch(view);
      return { standings: await views.standings(view) };
    });
    on(socket, 'standings:unsubscribe', { schema: emptySchema }, () => {
      leaveViews(socket);
      return {};
    });
  });
  route(fastify, 'GET /api/standings', async (req) => ({ ok: true, standings: await views.standings(viewOf(req.query)) }));
  route(fastify, 'GET /api/standings/categories', async (req) => {
    const { votes } = parseInput(categoriesQuerySchema, req.query);
    return { ok: true, categories: await standings.categorySummary(votes) };
  });
  route(fastify, 'GET /api/standings/history', async (req) => {
    const { category, votes } = parseInput(historyQuerySchema, req.query);
    const filter = { category, votes, from: null, to: null };
    const eloK = standings.eloK;
    return { ok: true, points: await derived.history.get(`${votes} ${category}`, () => worker.run({ kind: 'history', filter, eloK })) };
  });
}
