/** Public HTTP API: health, the model list and the leaderboard. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BradleyTerryService } from './bt-service.ts';
import type { LeaderboardService } from './live-elo.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { parseInput } from '../transport/validation.ts';

/** Other query parameters are ignored, as they always were. */
const leaderboardQuerySchema = z.object({ method: z.enum(['elo', 'bt']).default('elo') });

export function registerApiRoutes(
  app: FastifyInstance,
  deps: { registry: ModelRegistry; leaderboard: LeaderboardService; btLeaderboard: BradleyTerryService; demo: boolean; loadTest: boolean },
): void {
  app.get('/api/health', async () => ({
    ok: true,
    demoModels: deps.demo,
    ...(deps.loadTest ? { loadTest: true, warning: 'ARENA_LOAD_TEST is on: rate limits, vote caps and the reading-time rule are OFF' } : {}),
  }));
  app.get('/api/models', async () => ({ models: deps.registry.publicList() }));
  app.get('/api/leaderboard', async (req) => {
    const { method } = parseInput(leaderboardQuerySchema, req.query);
    return method === 'bt' ? deps.btLeaderboard.latest() : deps.leaderboard.current();
  });
}
