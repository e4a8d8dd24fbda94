/** Users, invites and the audit log for admins (inside the /api/admin scope, which checks the role). */
import type { FastifyInstance } from 'fastify';
import { auditQuerySchema, idParamSchema, inviteCreateSchema, userUpdateSchema } from '../../protocol/auth.ts';
import { adminRoute } from '../transport/http.ts';
import { parseInput } from '../transport/validation.ts';
import type { AuditLog } from './audit.ts';
import type { AuthService } from './service.ts';

export function registerAccountAdminRoutes(scope: FastifyInstance, deps: { auth: AuthService; audit: AuditLog }): void {
  const { auth, audit } = deps;
  adminRoute(scope, 'GET /api/admin/users', async () => ({ ok: true, users: await auth.listUsers() }));
  adminRoute(scope, 'PATCH /api/admin/users/:id', async (request) => {
    const { id } = parseInput(idParamSchema, request.params);
    return { ok: true, user: await auth.updateUser(request.identity, id, parseInput(userUpdateSchema, request.body)) };
  });
  adminRoute(scope, 'GET /api/admin/invites', async () => ({ ok: true, invites: await auth.listInvites() }));
  adminRoute(scope, 'POST /api/admin/invites', async (request) => {
    const created = await auth.createInvite(request.identity, parseInput(inviteCreateSchema, request.body));
    // A hash route: the token stays in the browser, never in a server log's request line.
    return { ok: true, ...created, path: `/#/signup?invite=${created.token}` };
  });
  adminRoute(scope, 'DELETE /api/admin/invites/:id', async (request) => {
    const { id } = parseInput(idParamSchema, request.params);
    await auth.revokeInvite(request.identity, id);
    return { ok: true };
  });
  adminRoute(scope, 'GET /api/admin/audit', async (request) => {
    const { limit, before } = parseInput(auditQuerySchema, request.query);
    return { ok: true, entries: await audit.list({ limit, before }) };
  });
}
