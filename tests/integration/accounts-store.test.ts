/**
 * Users, sessions, trusted devices and invites on either database: the same checks on SQLite and
 * PostgreSQL through the AccountsStore interface. An email is taken once, a session lives until
 * it expires or its user is disabled, an invite makes exactly one account (also when sign-ups
 * race for it on separate connections), and a taken email leaves the invite open.
 */
import { describe, expect, it } from 'vitest';
import { PgAccountsRepo } from '../../server/auth/pg-repo.ts';
import { AccountsRepo } from '../../server/auth/repo.ts';
import type { AccountsStore } from '../../server/auth/store.ts';
import { DIALECTS, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();
const NOW = new Date('2026-12-02T09:00:00.000Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`accounts on ${dialect.name}`, () => {
    const open = async () => storeOn<AccountsStore>(await dialect.open(cleanup), { sqlite: (db) => new AccountsRepo(db), pg: (db) => new PgAccountsRepo(db) });

    it('takes an email once, and keeps a session until it expires or its user is disabled', async () => {
      const store = await open();
      const ada = (await store.createUser({ email: 'ada@example.com', role: 'admin', passwordHash: 'scrypt$x' }))!;
      expect(ada).toMatchObject({ email: 'ada@example.com', role: 'admin', passwordHash: 'scrypt$x', disabled: false });
      expect(ada.createdAt).toBeInstanceOf(Date);
      expect(await store.createUser({ email: 'ada@example.com', role: 'viewer', passwordHash: null })).toBeNull();
      const jimin = (await store.createUser({ email: '지민@example.com', role: 'member', passwordHash: null }))!;
      expect((await store.listUsers()).map((u) => u.email)).toEqual(['ada@example.com', '지민@example.com']);
      expect(await store.userByEmail('지민@example.com')).toEqual(jimin);
      expect(await store.userById(ada.id)).toEqual(ada);

      await store.createSession({ tokenHash: 'live', userId: jimin.id, expiresAt: later(2) });
      await store.createSession({ tokenHash: 'old', userId: jimin.id, expiresAt: later(-1) });
      expect((await store.sessionUser('live', NOW))?.id).toBe(jimin.id);
      expect(await store.sessionUser('old', NOW)).toBeUndefined();
      expect(await store.sessionUser('live', later(3))).toBeUndefined();
      expect(await store.deleteExpiredSessions(NOW)).toBe(1);

      await store.updateUser(jimin.id, { disabled: true, role: 'viewer' });
      expect(await store.sessionUser('live', NOW)).toBeUndefined();
      expect(await store.userById(jimin.id)).toMatchObject({ disabled: true, role: 'viewer' });
      await store.updateUser(jimin.id, { disabled: false });
      expect((await store.sessionUser('live', NOW))?.id).toBe(jimin.id);
      await store.deleteSessionsOf(jimin.id);
      expect(await store.sessionUser('live', NOW)).toBeUndefined();

      await store.addTrustedDevice({ tokenHash: 'laptop', userId: ada.id, expiresAt: later(24) });
      expect(await store.trustedDeviceUser('laptop', NOW)).toBe(ada.id);
      expect(await store.trustedDeviceUser('laptop', later(25))).toBeUndefined();
      await store.deleteExpiredTrustedDevices(later(25));
      expect(await store.trustedDeviceUser('laptop', NOW)).toBeUndefined();
    });

    it('spends an invite on exactly one account, revokes an open one once, and leaves it open when the email is taken', async () => {
      const store = await open();
      const admin = (await store.createUser({ email: 'admin@example.com', role: 'admin', passwordHash: null }))!;
      const invite = await store.createInvite({ tokenHash: 'inv-1', role: 'member', email: null, createdBy: admin.id, expiresAt: later(48) });
      expect(invite).toMatchObject({ role: 'member', createdBy: admin.id, usedAt: null, usedBy: null, revokedAt: null });
      expect(await store.inviteByHash('inv-1')).toEqual(invite);

      const taken = await store.signUpWithInvite(invite.id, { email: 'admin@example.com', role: 'member', passwordHash: 'h' }, NOW);
      expect(taken).toBe('email_taken');
      expect((await store.inviteById(invite.id))!.usedAt).toBeNull();

      // Five sign-ups race for the one invite (on PostgreSQL, on separate connections).
      const raced = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => store.signUpWithInvite(invite.id, { email: `racer${n}@example.com`, role: 'member', passwordHash: 'h' }, NOW)),
      );
      const made = raced.filter((r) => typeof r === 'object');
      expect(made).toHaveLength(1);
      expect(raced.filter((r) => r === 'invite_gone')).toHaveLength(4);
      expect((await store.listUsers()).filter((u) => u.email.startsWith('racer'))).toHaveLength(1);
      const spent = (await store.inviteById(invite.id))!;
      expect(spent.usedBy).toBe((made[0] as { id: number }).id);
      expect(spent.usedAt?.getTime()).toBe(NOW.getTime());
      expect(await store.revokeInvite(invite.id, NOW)).toBe(false);

      const second = await store.createInvite({ tokenHash: 'inv-2', role: 'viewer', email: '민수@example.com', createdBy: null, expiresAt: later(1) });
      expect(await store.signUpWithInvite(second.id, { email: 'late@example.com', role: 'viewer', passwordHash: 'h' }, later(2))).toBe('invite_gone');
      expect(await store.revokeInvite(second.id, NOW)).toBe(true);
      expect(await store.revokeInvite(second.id, NOW)).toBe(false);
      const listed = await store.listInvites();
      expect(listed.map((i) => [i.tokenHash, i.usedByEmail])).toEqual([
        ['inv-2', null],
        ['inv-1', (made[0] as { email: string }).email],
      ]);
      expect(listed[0]!.revokedAt?.getTime()).toBe(NOW.getTime());
    });
  });
}
