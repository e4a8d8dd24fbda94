/**
 * Where users, sessions, trusted devices and invites are kept: one interface with a SQLite
 * (repo.ts) and a PostgreSQL (pg-repo.ts) implementation, so the auth service never knows which
 * database is underneath. No rules here: the service decides, a store writes.
 */
import type { RoleName } from '../../protocol/auth.ts';

/** A stored user, as both dialects read it. */
export interface UserRow {
  id: number;
  email: string;
  role: RoleName;
  passwordHash: string | null;
  disabled: boolean;
  createdAt: Date;
}

export interface InviteRow {
  id: number;
  tokenHash: string;
  role: RoleName;
  email: string | null;
  createdBy: number | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: number | null;
  revokedAt: Date | null;
}

export type NewUser = { email: string; role: RoleName; passwordHash: string | null };
export type NewInvite = { tokenHash: string; role: RoleName; email: string | null; createdBy: number | null; expiresAt: Date };
export type NewToken = { tokenHash: string; userId: number; expiresAt: Date };

export interface AccountsStore {
  userByEmail(email: string): Promise<UserRow | undefined>;
  userById(id: number): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  /** The new user, or null when the email is taken (also when another request took it a moment ago). */
  createUser(u: NewUser): Promise<UserRow | null>;
  updateUser(id: number, set: Partial<Pick<UserRow, 'role' | 'disabled' | 'passwordHash'>>): Promise<void>;

  createSession(s: NewToken): Promise<void>;
  /** The live session's user, or nothing (expired, unknown, or the user disabled). */
  sessionUser(hash: string, now: Date): Promise<UserRow | undefined>;
  deleteSession(hash: string): Promise<void>;
  deleteSessionsOf(userId: number): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;

  addTrustedDevice(d: NewToken): Promise<void>;
  /** The user a device cookie belongs to, while it is valid. */
  trustedDeviceUser(hash: string, now: Date): Promise<number | undefined>;
  deleteExpiredTrustedDevices(now: Date): Promise<void>;

  createInvite(i: NewInvite): Promise<InviteRow>;
  inviteByHash(hash: string): Promise<InviteRow | undefined>;
  inviteById(id: number): Promise<InviteRow | undefined>;
  /** Newest first, with the email of the account each one made. */
  listInvites(): Promise<Array<InviteRow & { usedByEmail: string | null }>>;
  /** False when the invite was already used or revoked. */
  revokeInvite(id: number, now: Date): Promise<boolean>;
  /**
   * Creates the user and uses up the invite, in one transaction: an invite is consumed only by the
   * account it created. `invite_gone` when it was used, revoked or expired meanwhile; `email_taken`
   * when the email got an account meanwhile (a concurrent sign-up), the invite left open.
   */
  signUpWithInvite(inviteId: number, u: NewUser & { passwordHash: string }, now: Date): Promise<UserRow | 'invite_gone' | 'email_taken'>;
}
