/** Public HTTP API: health, the model list and the leaderboard. */
import type { FastifyInstance } from 'fastify';
import type { LeaderboardService } from '../leaderboard/service.ts';
import type { ModelRegistry } from '../models/registry.ts';

export function registerApiRoutes(
  app: FastifyInstance,
  deps: { registry: ModelRegistry; leaderboard: LeaderboardService; demo: boolean },
): void {
  app.get('/api/health', async () => ({ ok: true, demoModels: deps.demo }));
  app.get('/api/models', async () => ({ models: deps.registry.publicList() }));
  app.get('/api/leaderboard', async () => deps.leaderboard.current());
}
