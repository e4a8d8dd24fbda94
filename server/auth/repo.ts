/** Users, sessions, trusted devices and invites in SQLite (db/schema-accounts.ts): the AccountsStore of store.ts. */
import { and, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invites, sessions, trustedDevices, users } from '../../db/schema-accounts.ts';
import type { AccountsStore, InviteRow, NewInvite, NewToken, NewUser, UserRow } from './store.ts';

// better-sqlite3 answers at once; the methods are async only to share the interface with PostgreSQL.
export class AccountsRepo implements AccountsStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async userByEmail(email: string): Promise<UserRow | undefined> {
    return this.#db.select().from(users).where(eq(users.email, email)).get();
  }

  async userById(id: number): Promise<UserRow | undefined> {
    return this.#db.select().from(users).where(eq(users.id, id)).get();
  }

  async listUsers(): Promise<UserRow[]> {
    return this.#db.select().from(users).orderBy(users.id).all();
  }

  async createUser(u: NewUser): Promise<UserRow | null> {
    return this.#db.insert(users).values(u).onConflictDoNothing({ target: users.email }).returning().get() ?? null;
  }

  async updateUser(id: number, set: Partial<Pick<UserRow, 'role' | 'disabled' | 'passwordHash'>>): Promise<void> {
    this.#db.update(users).set(set).where(eq(users.id, id)).run();
  }

  async createSession(s: NewToken): Promise<void> {
    this.#db.insert(sessions).values(s).run();
  }

  async sessionUser(hash: string, now: Date): Promise<UserRow | undefined> {
    const row = this.#db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now), eq(users.disabled, false)))
      .get();
    return row?.user;
  }

  async deleteSession(hash: string): Promise<void> {
    this.#db.delete(sessions).where(eq(sessions.tokenHash, hash)).run();
  }

  async deleteSessionsOf(userId: number): Promise<void> {
    this.#db.delete(sessions).where(eq(sessions.userId, userId)).run();
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.#db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
  }

  async addTrustedDevice(d: NewToken): Promise<void> {
    this.#db.insert(trustedDevices).values(d).run();
  }

  async trustedDeviceUser(hash: string, now: Date): Promise<number | undefined> {
    return this.#db
      .select({ userId: trustedDevices.userId })
      .from(trustedDevices)
      .where(and(eq(trustedDevices.tokenHash, hash), gt(trustedDevices.expiresAt, now)))
      .get()?.userId;
  }

  async deleteExpiredTrustedDevices(now: Date): Promise<void> {
    this.#db.delete(trustedDevices).where(lte(trustedDevices.expiresAt, now)).run();
  }

  async createInvite(i: NewInvite): Promise<InviteRow> {
    return this.#db.insert(invites).values(i).returning().get();
  }

  async inviteByHash(hash: string): Promise<InviteRow | undefined> {
    return this.#db.select().from(invites).where(eq(invites.tokenHash, hash)).get();
  }

  async inviteById(id: number): Promise<InviteRow | undefined> {
    return this.#db.select().from(invites).where(eq(invites.id, id)).get();
  }

  async listInvites(): Promise<Array<InviteRow & { usedByEmail: string | null }>> {
    return this.#db
      .select({ invite: invites, usedByEmail: users.email })
      .from(invites)
      .leftJoin(users, eq(users.id, invites.usedBy))
      .orderBy(desc(invites.id))
      .all()
      .map((r) => ({ ...r.invite, usedByEmail: r.usedByEmail }));
  }

  async revokeInvite(id: number, now: Date): Promise<boolean> {
    return (
      this.#db
        .update(invites)
        .set({ revokedAt: now })
        .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt)))
        .run().changes > 0
    );
  }

  async signUpWithInvite(inviteId: number, u: NewUser & { passwordHash: string }, now: Date): Promise<UserRow | 'invite_gone' | 'email_taken'> {
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
