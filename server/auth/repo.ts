/** SQL for users, sessions and invites. No rules here: the service decides, this writes. */
import { and, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invites, sessions, trustedDevices, users } from '../../db/schema-accounts.ts';
import type { RoleName } from '../../protocol/auth.ts';

export type UserRow = typeof users.$inferSelect;
export type InviteRow = typeof invites.$inferSelect;

export class AccountsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  userByEmail(email: string): UserRow | undefined {
    return this.#db.select().from(users).where(eq(users.email, email)).get();
  }

  userById(id: number): UserRow | undefined {
    return this.#db.select().from(users).where(eq(users.id, id)).get();
  }

  listUsers(): UserRow[] {
    return this.#db.select().from(users).orderBy(users.id).all();
  }

  /** The new user, or null when the email is taken (also when another request took it a moment ago). */
  createUser(u: { email: string; role: RoleName; passwordHash: string | null }): UserRow | null {
    return this.#db.insert(users).values(u).onConflictDoNothing({ target: users.email }).returning().get() ?? null;
  }

  updateUser(id: number, set: Partial<Pick<UserRow, 'role' | 'disabled' | 'passwordHash'>>): void {
    this.#db.update(users).set(set).where(eq(users.id, id)).run();
  }

  createSession(s: { tokenHash: string; userId: number; expiresAt: Date }): void {
    this.#db.insert(sessions).values(s).run();
  }

  /** The live session's user, or nothing (expired, unknown, or the user disabled). */
  sessionUser(hash: string, now: Date): UserRow | undefined {
    const row = this.#db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now), eq(users.disabled, false)))
      .get();
    return row?.user;
  }

  deleteSession(hash: string): void {
    this.#db.delete(sessions).where(eq(sessions.tokenHash, hash)).run();
  }

  deleteSessionsOf(userId: number): void {
    this.#db.delete(sessions).where(eq(sessions.userId, userId)).run();
  }

  deleteExpiredSessions(now: Date): number {
    return this.#db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
  }

  createInvite(i: { tokenHash: string; role: RoleName; email: string | null; createdBy: number | null; expiresAt: Date }): InviteRow {
    return this.#db.insert(invites).values(i).returning().get();
  }

  inviteByHash(hash: string): InviteRow | undefined {
    return this.#db.select().from(invites).where(eq(invites.tokenHash, hash)).get();
  }

  inviteById(id: number): InviteRow | undefined {
    return this.#db.select().from(invites).where(eq(invites.id, id)).get();
  }

  listInvites(): Array<InviteRow & { usedByEmail: string | null }> {
    return this.#db
      .select({ invite: invites, usedByEmail: users.email })
      .from(invites)
      .leftJoin(users, eq(users.id, invites.usedBy))
      .orderBy(desc(invites.id))
      .all()
      .map((r) => ({ ...r.invite, usedByEmail: r.usedByEmail }));
  }

  revokeInvite(id: number, now: Date): boolean {
    return (
      this.#db
        .update(invites)
        .set({ revokedAt: now })
        .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt)))
        .run().changes > 0
    );
  }

  /** Creates the user and spends the invite in one transaction; null if the invite is no longer open. */
  addTrustedDevice(d: { tokenHash: string; userId: number; expiresAt: Date }): void {
    this.#db.insert(trustedDevices).values(d).run();
  }

  /** The user a device cookie belongs to, while it is valid. */
  trustedDeviceUser(hash: string, now: Date): number | undefined {
    return this.#db
      .select({ userId: trustedDevices.userId })
      .from(trustedDevices)
      .where(and(eq(trustedDevices.tokenHash, hash), gt(trustedDevices.expiresAt, now)))
      .get()?.userId;
  }

  deleteExpiredTrustedDevices(now: Date): void {
    this.#db.delete(trustedDevices).where(lte(trustedDevices.expiresAt, now)).run();
  }

  /**
   * Creates the user and uses up the invite, in one transaction: an invite is consumed only by the
   * account it created. `invite_gone` when it was used, revoked or expired meanwhile; `email_taken`
   * when the email got an account meanwhile (a concurrent sign-up), the invite left open.
   */
  signUpWithInvite(inviteId: number, u: { email: string; role: RoleName; passwordHash: string }, now: Date): UserRow | 'invite_gone' | 'email_taken' {
    return this.#db.transaction((tx) => {
      const open = tx
        .select({ id: invites.id })
        .from(invites)
        .where(and(eq(invites.id, inviteId), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
        .get();
      if (!open) return 'invite_gone' as const;
      const user = tx.insert(users).values(u).onConflictDoNothing({ target: users.email }).returning().get();
      if (!user) return 'email_taken' as const;
      tx.update(invites).set({ usedAt: now, usedBy: user.id }).where(eq(invites.id, inviteId)).run();
      return user;
    });
  }
}
