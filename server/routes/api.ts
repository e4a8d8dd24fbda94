/** Public HTTP API: health, the model list and the leaderboard. */
import type { FastifyInstance } from 'fastify';
import type { LeaderboardService } from '../leaderboard/service.ts';
import type { ModelRegistry } from '../models/registry.ts';

export function registerApiRoutes(
  app: FastifyInstance,
  deps: { registry: ModelRegistry; leaderboard: LeaderboardService; demo: boolean; loadTest: boolean },
): void {
  app.get('/api/health', async () => ({
    ok: true,
    demoModels: deps.demo,
    ...(deps.loadTest ? { loadTest: true, warning: 'ARENA_LOAD_TEST is on: rate limits, vote caps and the reading-time rule are OFF' } : {}),
  }));
  app.get('/api/models', async () => ({ models: deps.registry.publicList() }));
  app.get('/api/leaderboard', async () => deps.leaderboard.current());
}
