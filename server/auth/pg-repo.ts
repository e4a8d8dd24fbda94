/** Users, sessions, trusted devices and invites in PostgreSQL (db/pg/schema-accounts.ts): the AccountsStore of store.ts. */
import { and, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { invites, sessions, trustedDevices, users } from '../../db/pg/schema-accounts.ts';
import type { AccountsStore, InviteRow, NewInvite, NewToken, NewUser, UserRow } from './store.ts';

export class PgAccountsRepo implements AccountsStore {
  readonly #db: PgDb;
  constructor(db: PgDb) {
    this.#db = db;
  }

  async userByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.#db.select().from(users).where(eq(users.email, email));
    return row;
  }

  async userById(id: number): Promise<UserRow | undefined> {
    const [row] = await this.#db.select().from(users).where(eq(users.id, id));
    return row;
  }

  listUsers(): Promise<UserRow[]> {
    return this.#db.select().from(users).orderBy(users.id);
  }

  async createUser(u: NewUser): Promise<UserRow | null> {
    const [row] = await this.#db.insert(users).values(u).onConflictDoNothing({ target: users.email }).returning();
    return row ?? null;
  }

  async updateUser(id: number, set: Partial<Pick<UserRow, 'role' | 'disabled' | 'passwordHash'>>): Promise<void> {
    await this.#db.update(users).set(set).where(eq(users.id, id));
  }

  async createSession(s: NewToken): Promise<void> {
    await this.#db.insert(sessions).values(s);
  }

  async sessionUser(hash: string, now: Date): Promise<UserRow | undefined> {
    const [row] = await this.#db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now), eq(users.disabled, false)));
    return row?.user;
  }

  async deleteSession(hash: string): Promise<void> {
    await this.#db.delete(sessions).where(eq(sessions.tokenHash, hash));
  }

  async deleteSessionsOf(userId: number): Promise<void> {
    await this.#db.delete(sessions).where(eq(sessions.userId, userId));
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return (await this.#db.delete(sessions).where(lte(sessions.expiresAt, now))).rowCount ?? 0;
  }

  async addTrustedDevice(d: NewToken): Promise<void> {
    await this.#db.insert(trustedDevices).values(d);
  }

  async trustedDeviceUser(hash: string, now: Date): Promise<number | undefined> {
    const [row] = await this.#db
      .select({ userId: trustedDevices.userId })
      .from(trustedDevices)
      .where(and(eq(trustedDevices.tokenHash, hash), gt(trustedDevices.expiresAt, now)));
    return row?.userId;
  }

  async deleteExpiredTrustedDevices(now: Date): Promise<void> {
    await this.#db.delete(trustedDevices).where(lte(trustedDevices.expiresAt, now));
  }

  async createInvite(i: NewInvite): Promise<InviteRow> {
    const [row] = await this.#db.insert(invites).values(i).returning();
    return row!;
  }

  async inviteByHash(hash: string): Promise<InviteRow | undefined> {
    const [row] = await this.#db.select().from(invites).where(eq(invites.tokenHash, hash));
    return row;
  }

  async inviteById(id: number): Promise<InviteRow | undefined> {
    const [row] = await this.#db.select().from(invites).where(eq(invites.id, id));
    return row;
  }

  async listInvites(): Promise<Array<InviteRow & { usedByEmail: string | null }>> {
    const rows = await this.#db
      .select({ invite: invites, usedByEmail: users.email })
      .from(invites)
      .leftJoin(users, eq(users.id, invites.usedBy))
      .orderBy(desc(invites.id));
    return rows.map((r) => ({ ...r.invite, usedByEmail: r.usedByEmail }));
  }

  async revokeInvite(id: number, now: Date): Promise<boolean> {
    const result = await this.#db
      .update(invites)
      .set({ revokedAt: now })
      .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt)));
    return (result.rowCount ?? 0) > 0;
  }

  async signUpWithInvite(inviteId: number, u: NewUser & { passwordHash: string }, now: Date): Promise<UserRow | 'invite_gone' | 'email_taken'> {
    return this.#db.transaction(async (tx) => {
      // The row lock makes two sign-ups with one invite (on any instance) take turns: the second
      // finds it used. SQLite's single writer gives the same for free.
      const [open] = await tx
        .select({ id: invites.id })
        .from(invites)
        .where(and(eq(invites.id, inviteId), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
        .for('update');
      if (!open) return 'invite_gone' as const;
      const [user] = await tx.insert(users).values(u).onConflictDoNothing({ target: users.email }).returning();
      if (!user) return 'email_taken' as const;
      await tx.update(invites).set({ usedAt: now, usedBy: user.id }).where(eq(invites.id, inviteId));
      return user;
    });
  }
}
