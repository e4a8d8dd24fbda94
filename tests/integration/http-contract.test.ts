/**
 * The HTTP contract in protocol/http.ts is the server's routes exactly: every route the app
 * registers has a key (with its types), and every key is a route the app answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteKey } from '../../protocol/http.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// `satisfies` makes the compiler hold this list to the contract's keys: none missing, none extra.
const CONTRACT = {
  'GET /api/health': true,
  'GET /api/models': true,
  'GET /api/leaderboard': true,
  'GET /api/standings': true,
  'GET /api/standings/categories': true,
  'GET /api/standings/history': true,
  'GET /api/me': true,
  'POST /api/auth/login': true,
  'POST /api/auth/signup': true,
  'POST /api/auth/logout': true,
  'GET /api/evaluations': true,
  'GET /api/admin/users': true,
  'PATCH /api/admin/users/:id': true,
  'GET /api/admin/invites': true,
  'POST /api/admin/invites': true,
  'DELETE /api/admin/invites/:id': true,
  'GET /api/admin/audit': true,
  'GET /api/admin/models': true,
  'POST /api/admin/models': true,
  'PATCH /api/admin/models/:id': true,
  'POST /api/admin/models/:id/test': true,
  'PATCH /api/admin/models/:id/deprecated': true,
  'POST /api/admin/discovery/refresh': true,
  'GET /api/admin/integrity': true,
  'GET /api/admin/integrity/leaderboard': true,
  'GET /api/admin/evaluations': true,
  'POST /api/admin/evaluations': true,
  'GET /api/admin/evaluations/:id': true,
  'PATCH /api/admin/evaluations/:id': true,
  'POST /api/admin/evaluations/:id/judges': true,
  'POST /api/admin/evaluations/:id/rerun': true,
  'GET /api/admin/battle-prompts': true,
  'POST /api/admin/evaluations/:id/start': true,
  'POST /api/admin/evaluations/:id/close': true,
  'POST /api/admin/evaluations/:id/reopen': true,
  'POST /api/admin/evaluations/:id/retry': true,
  'GET /api/admin/evaluations/:id/results': true,
  'GET /api/admin/evaluations/:id/items': true,
  'GET /api/admin/evaluations/:id/items/:itemId': true,
  'GET /api/admin/evaluations/:id/export.csv': true,
  'GET /api/admin/evaluations/:id/export.jsonl': true,
  'GET /api/models/:id/profile': true,
  'GET /api/battles': true,
  'GET /api/battles/:id': true,
  'GET /api/admin/snapshots': true,
  'POST /api/admin/snapshots': true,
  'GET /api/snapshots/:id': true,
} satisfies Record<RouteKey, true>;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('HTTP contract', () => {
  it('lists exactly the routes the server registers', async () => {
    server = await startTestServer();
    const registered = server.app.routes.filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/')).map((r) => `${r.method} ${r.url}`);
    const expected = Object.keys(CONTRACT) as RouteKey[];
    expect([...new Set(registered)].sort()).toEqual(expected.sort());
  });
});
