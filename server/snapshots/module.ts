/** Published standings snapshots: the admin's publish and list, and the public permanent link. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { AuditLog } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import type { Standings } from '../standings/module.ts';
import { adminRoute, adminRoutes, route } from '../transport/http.ts';
import { parseInput } from '../transport/validation.ts';
import { SnapshotRepo } from './repo.ts';
import { SnapshotService } from './service.ts';

const idParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a snapshot id') });

export async function registerSnapshots(
  fastify: FastifyInstance,
  deps: {
    db: Db;
    registry: ModelRegistry;
    audit: AuditLog;
    standings: Pick<Standings, 'eloK' | 'minVotes' | 'backfilled'>;
    now: () => number;
    fit: { intervals: IntervalChoice; promptDedup: { topShare: number } };
  },
): Promise<SnapshotService> {
  const { standings, ...rest } = deps;
  const snapshots = new SnapshotService({
    ...rest,
    store: new SnapshotRepo(deps.db),
    eloK: standings.eloK,
    defaultMinVotes: standings.minVotes,
    categorized: standings.backfilled,
  });
  route(fastify, 'GET /api/snapshots/:id', async (request) => ({ ok: true, snapshot: await snapshots.get(parseInput(idParams, request.params).id) }));
  await adminRoutes(fastify, (scope) => {
    adminRoute(scope, 'GET /api/admin/snapshots', async () => ({ ok: true, snapshots: await snapshots.list() }));
    adminRoute(scope, 'POST /api/admin/snapshots', async (request) => ({ ok: true, snapshot: await snapshots.publish(request.identity, request.body) }));
  });
  return snapshots;
}
