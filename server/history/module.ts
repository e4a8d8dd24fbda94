/** Battle history and model pages as the app composes them: `GET /api/battles`, `/api/battles/:id`, `/api/models/:id/profile`. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { modelConfigSchema } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { AnswerSamples } from '../standings/answer-samples.ts';
import type { Standings } from '../standings/module.ts';
import { route } from '../transport/http.ts';
import { parseInput } from '../transport/validation.ts';
import { BattleHistory } from './battles.ts';
import { categoryRatings } from './category-ratings.ts';
import { ModelProfiles } from './profiles.ts';
import { PublicRecordCache } from './record-cache.ts';
import { HistoryRepo } from './repo.ts';

const battleParams = z.strictObject({ id: z.string().min(1).max(100) });
const modelParams = z.strictObject({ id: modelConfigSchema.shape.id });

export function registerHistory(
  fastify: FastifyInstance,
  deps: { db: Db; registry: ModelRegistry; standings: Pick<Standings, 'bt' | 'views' | 'eloK' | 'categorySummary'> },
): { battles: BattleHistory; profiles: ModelProfiles } {
  const { db, registry, standings } = deps;
  const repo = new HistoryRepo(db.$client);
  const battles = new BattleHistory({ db, repo, registry });
  const records = new PublicRecordCache(repo, standings.eloK);
  const profiles = new ModelProfiles({
    registry,
    records,
    battles,
    samples: new AnswerSamples(db.$client),
    btStandings: () => standings.bt.latest(),
    isDeprecated: (id) => registry.isDeprecated(id),
    categoryRatings: (id) => categoryRatings({ views: standings.views, categorySummary: () => standings.categorySummary('blind') }, id),
  });
  route(fastify, 'GET /api/battles', async (request) => ({ ok: true, ...battles.list(request.identity, request.query) }));
  route(fastify, 'GET /api/battles/:id', async (request) => ({
    ok: true,
    battle: battles.detail(request.identity, parseInput(battleParams, request.params).id),
  }));
  route(fastify, 'GET /api/models/:id/profile', async (request) => ({
    ok: true,
    profile: await profiles.profile(request.identity, parseInput(modelParams, request.params).id),
  }));
  return { battles, profiles };
}
