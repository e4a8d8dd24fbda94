/** Accounts as the app composes them: the services, then their HTTP routes, admin routes and socket rooms. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { PromptLimits } from '../../protocol/auth.ts';
import type { Cluster } from '../transport/cluster.ts';
import { adminRoutes } from '../transport/http.ts';
import type { IdentityResolver } from '../transport/identity.ts';
import type { ArenaServer } from '../transport/socket.ts';
import { registerAccountAdminRoutes } from './admin-routes.ts';
import type { AuditLog } from './audit.ts';
import { AuditRepo } from './audit-repo.ts';
import type { AuthConfig } from './config.ts';
import { registerAuthHttp } from './http.ts';
import { type FailureRedis, SharedFailureLog } from './login-limiter.ts';
import { OriginPolicy } from './origin-policy.ts';
import { AccountsRepo } from './repo.ts';
import { AuthService } from './service.ts';
import { followPeerUserChanges, joinUserRoom } from './socket.ts';

export interface Accounts {
  auth: AuthService;
  audit: AuditLog;
  origins: OriginPolicy;
}

export function createAccounts(deps: {
  db: Db;
  config: { auth: AuthConfig; publicOrigins: readonly string[] };
  now: () => number;
  onUserChanged: (userId: number) => void;
  /** Failed sign-ins are counted in this Redis when instances share one (login-limiter.ts); in this process without. */
  redis: FailureRedis | null;
}): Accounts {
  const audit = new AuditRepo(deps.db);
  const { now, onUserChanged } = deps;
  const loginFailures = deps.redis ? new SharedFailureLog(deps.redis) : undefined;
  const auth = new AuthService({ store: new AccountsRepo(deps.db), audit, config: deps.config.auth, now, onUserChanged, loginFailures });
  const origins = new OriginPolicy({ publicOrigins: deps.config.publicOrigins, allowedOrigins: deps.config.auth.allowedOrigins, proxies: auth.proxies });
  return { auth, audit, origins };
}

/**
 * Identity and CSRF for every request, the sign-in routes, user and invite admin, per-user socket
 * rooms, and the refresh of this instance's sockets when a peer changed their user.
 */
export async function registerAuth(
  fastify: FastifyInstance,
  io: ArenaServer,
  accounts: Accounts,
  deps: { limits: PromptLimits; cluster: Pick<Cluster, 'shared' | 'onResync'>; resolveIdentity: IdentityResolver },
): Promise<{ close(): void }> {
  const { auth, audit, origins } = accounts;
  await registerAuthHttp(fastify, { auth, origins, limits: deps.limits });
  await adminRoutes(fastify, (scope) => registerAccountAdminRoutes(scope, { auth, audit }));
  io.on('connection', joinUserRoom);
  if (deps.cluster.shared) followPeerUserChanges(io, deps.cluster, deps.resolveIdentity);
  const sweep = setInterval(() => {
    auth.sweepSessions().catch((err: unknown) => console.error('session sweep failed:', err));
  }, 3_600_000).unref();
  return { close: () => clearInterval(sweep) };
}
