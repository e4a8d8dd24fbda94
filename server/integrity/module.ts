/** The integrity review for admins: what each rule keeps out, and the leaderboard without it. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import { adminRoutes } from '../transport/http.ts';
import { registerIntegrityAdminRoutes } from './admin-routes.ts';
import { IntegrityReview } from './review.ts';
import { VoteReviewRepo } from './review-repo.ts';

/** `dedupTopShare`: prompt deduplication's top share (config `standings.promptDedup.topShare`), for the report. */
export async function registerIntegrity(fastify: FastifyInstance, deps: { db: Db; dedupTopShare?: number }): Promise<void> {
  const review = new IntegrityReview(new VoteReviewRepo(deps.db.$client), { topShare: deps.dedupTopShare ?? 0 });
  await adminRoutes(fastify, (scope) => registerIntegrityAdminRoutes(scope, { review }));
}
