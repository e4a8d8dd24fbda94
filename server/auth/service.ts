/**
 * Accounts and sessions: who a request is (cookie, trusted proxy, or neither), sign-in with
 * throttling, sign-up by invite, and the admin actions on users and invites (each audited).
 */
import { fastifyCookie } from '@fastify/cookie';
import type { InviteView, Me, RoleName, UserView } from '../../protocol/auth.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity, RequestInfo } from '../transport/identity.ts';
import { type AuditActor, type AuditLog, actorOf } from './audit.ts';
import type { AuthConfig } from './config.ts';
import { guestIdentity, publicIdentity } from './identity.ts';
import { type FailureLog, LoginLimiter } from './login-limiter.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { firstHeader, TrustedProxies } from './request-info.ts';
import type { AccountsStore, InviteRow, UserRow } from './store.ts';
import { newToken, tokenHash } from './tokens.ts';

export const SESSION_COOKIE = 'arena_session';
/** Marks a browser its user signed in from before (see `login`). */
export const DEVICE_COOKIE = 'arena_device';
const DEVICE_TTL_MS = 365 * 86_400_000;
/** One message for every failed sign-in: it never says whether the email or the password was wrong. */
export const LOGIN_FAILED = 'email or password is incorrect';

export interface AuthServiceDeps {
  store: AccountsStore;
  audit: AuditLog;
  config: AuthConfig;
  now?: () => number;
  /** A user's role, status or sessions changed: refresh the identity of their open sockets. */
  onUserChanged?: (userId: number) => void;
  /** Where failed sign-ins are counted: this process by default, Redis when instances share it. */
  loginFailures?: FailureLog | undefined;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
  user: UserRow;
  /** A new device cookie for this browser, when it was not yet known for this user. */
  device?: { token: string; expiresAt: Date };
}

export function identityOf(user: Pick<UserRow, 'id' | 'role' | 'email'>): Identity {
  return { voterId: `user:${user.id}`, userId: String(user.id), role: user.role, email: user.email };
}

function userView(u: UserRow): UserView {
  return { id: u.id, email: u.email, role: u.role, disabled: u.disabled, createdAt: u.createdAt.toISOString(), hasPassword: u.passwordHash !== null };
}

export class AuthService {
  readonly proxies: TrustedProxies;
  readonly #deps: AuthServiceDeps;
  readonly #limiter: LoginLimiter;
  readonly #now: () => number;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.proxies = new TrustedProxies(deps.config.trustedProxy?.addresses ?? []);
    this.#limiter = new LoginLimiter(deps.config.loginRateLimit.windowMinutes * 60_000, this.#now, deps.loginFailures);
  }

  get mode(): AuthConfig['mode'] {
    return this.#deps.config.mode;
  }

  /** The IdentityResolver for sockets and HTTP: trusted-proxy header, then session cookie, then the mode's default. */
  readonly resolve = async (req: RequestInfo): Promise<Identity> => {
    const user = (await this.#proxyUser(req)) ?? (await this.#sessionUser(req));
    if (user) return identityOf(user);
    return this.mode === 'public' ? publicIdentity(req) : guestIdentity();
  };

  me(identity: Identity): Omit<Me, 'limits'> {
    const signedIn = identity.userId !== null && identity.role !== 'anonymous' && identity.role !== 'guest';
    const user = signedIn ? { id: identity.userId!, email: identity.email ?? '', role: identity.role as RoleName } : null;
    return { mode: this.mode, user, role: identity.role };
  }

  /**
   * Signs in, throttled so that guessing slows and stops without locking out the account's owner
   * (OWASP authentication guidance): failures count per email from one client (growing delays,
   * then a block), per address across emails, and per email across addresses. Only the first is
   * what an ordinary guesser hits, and it blocks the guesser's own address. A client is its address,
   * or, from a browser this user signed in from before (device cookie), that browser: it is exempt
   * from the per-address and per-account limits, so a distributed attack cannot lock the owner out.
   */
  async login(email: string, password: string, clientIp: string, deviceToken?: string): Promise<NewSession> {
    const limits = this.#deps.config.loginRateLimit;
    const user = await this.#deps.store.userByEmail(email);
    const deviceHash = deviceToken ? tokenHash(deviceToken) : undefined;
    const trusted = user !== undefined && deviceHash !== undefined && (await this.#deps.store.trustedDeviceUser(deviceHash, new Date(this.#now()))) === user.id;
    const pairKey = `pair:${email}|${trusted ? `device:${deviceHash}` : `ip:${clientIp}`}`;
    const rules = [
      { key: pairKey, max: limits.maxFailures, progressive: true },
      ...(trusted
        ? []
        : [
            { key: `ip:${clientIp}`, max: limits.maxFailuresPerAddress },
            { key: `email:${email}`, max: limits.maxFailuresPerAccount },
          ]),
    ];
    const wait = await this.#limiter.retryAfterMs(rules);
    if (wait > 0) throw new AppError('rate_limited', 'too many failed sign-ins; try again later', { retryAfterMs: Math.ceil(wait) });
    // Verify against a dummy hash for unknown users too, so timing does not reveal which emails exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user?.passwordHash || user.disabled || !ok) {
      await this.#limiter.fail([pairKey, `ip:${clientIp}`, `email:${email}`]);
      throw new AppError('unauthorized', LOGIN_FAILED);
    }
    await this.#limiter.clear(pairKey);
    const session = await this.#startSession(user);
    if (trusted) return session;
    const device = { token: newToken(), expiresAt: new Date(this.#now() + DEVICE_TTL_MS) };
    await this.#deps.store.addTrustedDevice({ tokenHash: tokenHash(device.token), userId: user.id, expiresAt: device.expiresAt });
    return { ...session, device };
  }

  async logout(token: string | undefined): Promise<void> {
    if (!token) return;
    const hash = tokenHash(token);
    const user = await this.#deps.store.sessionUser(hash, new Date(this.#now()));
    await this.#deps.store.deleteSession(hash);
    if (user) this.#deps.onUserChanged?.(user.id);
  }

  async signup(invite: string, email: string, password: string): Promise<NewSession> {
    const row = await this.#deps.store.inviteByHash(tokenHash(invite));
    // One answer for unknown, used, revoked and expired invites.
    if (!row || inviteStatus(row, this.#now()) !== 'open') throw new AppError('not_found', 'this invite link is not valid (used, revoked or expired)');
    if (row.email !== null && row.email !== email) {
      throw new AppError('forbidden', 'this invite is for a different email address', { field: 'email' });
    }
    const emailTaken = () => new AppError('conflict', 'an account with this email exists; sign in instead', { field: 'email' });
    if (await this.#deps.store.userByEmail(email)) throw emailTaken();
    // Checked again when writing: another sign-up may take the email (or the invite) while this one hashes.
    const user = await this.#deps.store.signUpWithInvite(row.id, { email, role: row.role, passwordHash: await hashPassword(password) }, new Date(this.#now()));
    if (user === 'email_taken') throw emailTaken();
    if (user === 'invite_gone') throw new AppError('not_found', 'this invite link is not valid (used, revoked or expired)');
    await this.#deps.audit.record({ userId: user.id, email }, 'user.signup', `user:${user.id}`, { role: user.role, invite: row.id });
    return await this.#startSession(user);
  }

  /** Creates an account directly (the `arena user add` command). */
  async addUser(email: string, role: RoleName, password: string | null, actor: AuditActor): Promise<UserView> {
    const taken = () => new AppError('conflict', `a user with email ${email} exists`, { field: 'email' });
    if (await this.#deps.store.userByEmail(email)) throw taken();
    const user = await this.#deps.store.createUser({ email, role, passwordHash: password === null ? null : await hashPassword(password) });
    if (!user) throw taken();
    await this.#deps.audit.record(actor, 'user.create', `user:${user.id}`, { email, role });
    return userView(user);
  }

  async setPassword(email: string, password: string, actor: AuditActor): Promise<void> {
    const user = await this.#deps.store.userByEmail(email);
    if (!user) throw new AppError('not_found', `no user with email ${email}`);
    await this.#deps.store.updateUser(user.id, { passwordHash: await hashPassword(password) });
    await this.#deps.store.deleteSessionsOf(user.id);
    await this.#deps.audit.record(actor, 'user.password', `user:${user.id}`, {});
    this.#deps.onUserChanged?.(user.id);
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.#deps.store.listUsers()).map(userView);
  }

  async updateUser(admin: Identity, id: number, patch: { role?: RoleName | undefined; disabled?: boolean | undefined }): Promise<UserView> {
    const user = await this.#deps.store.userById(id);
    if (!user) throw new AppError('not_found', 'no such user');
    const demotes = (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
    if (String(id) === admin.userId && demotes) {
      // Guards against locking the last door: another admin must do it.
      throw new AppError('conflict', 'you cannot remove your own admin role or disable yourself');
    }
    const set = { ...(patch.role !== undefined && { role: patch.role }), ...(patch.disabled !== undefined && { disabled: patch.disabled }) };
    await this.#deps.store.updateUser(id, set);
    if (patch.disabled) await this.#deps.store.deleteSessionsOf(id);
    await this.#deps.audit.record(actorOf(admin), 'user.update', `user:${id}`, {
      email: user.email,
      before: { role: user.role, disabled: user.disabled },
      after: set,
    });
    this.#deps.onUserChanged?.(id);
    return userView((await this.#deps.store.userById(id))!);
  }

  async createInvite(
    admin: Identity,
    input: { role: RoleName; expiresInHours: number; email?: string | undefined },
  ): Promise<{ invite: InviteView; token: string }> {
    const token = newToken();
    const row = await this.#deps.store.createInvite({
      tokenHash: tokenHash(token),
      role: input.role,
      email: input.email ?? null,
      createdBy: admin.userId === null ? null : Number(admin.userId),
      expiresAt: new Date(this.#now() + input.expiresInHours * 3_600_000),
    });
    await this.#deps.audit.record(actorOf(admin), 'invite.create', `invite:${row.id}`, {
      role: row.role,
      email: row.email,
      expiresAt: row.expiresAt.toISOString(),
    });
    return { invite: this.#inviteView({ ...row, usedByEmail: null }), token };
  }

  async listInvites(): Promise<InviteView[]> {
    return (await this.#deps.store.listInvites()).map((row) => this.#inviteView(row));
  }

  async revokeInvite(admin: Identity, id: number): Promise<void> {
    if (!(await this.#deps.store.inviteById(id))) throw new AppError('not_found', 'no such invite');
    if (!(await this.#deps.store.revokeInvite(id, new Date(this.#now())))) throw new AppError('conflict', 'the invite was already used or revoked');
    await this.#deps.audit.record(actorOf(admin), 'invite.revoke', `invite:${id}`, {});
  }

  async sweepSessions(): Promise<void> {
    await this.#deps.store.deleteExpiredSessions(new Date(this.#now()));
    await this.#deps.store.deleteExpiredTrustedDevices(new Date(this.#now()));
  }

  async #startSession(user: UserRow): Promise<NewSession> {
    const token = newToken();
    const expiresAt = new Date(this.#now() + this.#deps.config.sessionTtlHours * 3_600_000);
    await this.#deps.store.createSession({ tokenHash: tokenHash(token), userId: user.id, expiresAt });
    return { token, expiresAt, user };
  }

  async #sessionUser(req: RequestInfo): Promise<UserRow | undefined> {
    const header = firstHeader(req.headers, 'cookie');
    if (!header) return undefined;
    const token = fastifyCookie.parse(header)[SESSION_COOKIE];
    return token ? await this.#deps.store.sessionUser(tokenHash(token), new Date(this.#now())) : undefined;
  }

  /** The SSO proxy's user header, believed only from the configured proxy addresses. */
  async #proxyUser(req: RequestInfo): Promise<UserRow | undefined> {
    const proxy = this.#deps.config.trustedProxy;
    if (!proxy?.header || !this.proxies.trusts(req.remoteAddress)) return undefined;
    const email = firstHeader(req.headers, proxy.header)?.trim().toLowerCase();
    if (!email || email.length > 254 || !email.includes('@')) return undefined;
    const user = await this.#deps.store.userByEmail(email);
    if (user) return user.disabled ? undefined : user;
    if (!proxy.defaultRole) return undefined;
    // Two first requests of one new user at once: the second finds the account the first made.
    const created = await this.#deps.store.createUser({ email, role: proxy.defaultRole, passwordHash: null });
    if (!created) return await this.#deps.store.userByEmail(email);
    await this.#deps.audit.record({ userId: null, email: 'trusted proxy' }, 'user.create', `user:${created.id}`, { email, role: created.role });
    return created;
  }

  #inviteView(row: InviteRow & { usedByEmail: string | null }): InviteView {
    return {
      id: row.id,
      role: row.role,
      email: row.email,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      status: inviteStatus(row, this.#now()),
      usedBy: row.usedByEmail,
    };
  }
}

export function inviteStatus(row: InviteRow, now: number): InviteView['status'] {
  if (row.usedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now ? 'expired' : 'open';
}
