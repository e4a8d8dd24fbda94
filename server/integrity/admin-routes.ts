/** /api/admin/integrity: each exclusion rule with its counts, and the leaderboard without it. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { INTEGRITY_FLAGS, type IntegrityFlag } from '../../protocol/types.ts';
import { adminRoute } from '../transport/http.ts';
import { parseInput } from '../transport/validation.ts';
import type { IntegrityReview } from './review.ts';

const recomputeQuery = z.strictObject({
  /** Comma-separated rules whose flagged votes should count again, e.g. `too_fast`. */
  include: z
    .string()
    .max(200)
    .default('')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(INTEGRITY_FLAGS))),
  excludeOutliers: z.enum(['true', 'false', '1', '0']).default('false'),
});

export function registerIntegrityAdminRoutes(scope: FastifyInstance, deps: { review: IntegrityReview }): void {
  adminRoute(scope, 'GET /api/admin/integrity', async () => ({ ok: true, ...(await deps.review.report()) }));
  adminRoute(scope, 'GET /api/admin/integrity/leaderboard', async (request) => {
    const q = parseInput(recomputeQuery, request.query);
    const include = q.include as IntegrityFlag[];
    const excludeOutliers = q.excludeOutliers === 'true' || q.excludeOutliers === '1';
    return { ok: true, include, excludeOutliers, leaderboard: await deps.review.recompute({ include, excludeOutliers }) };
  });
}
