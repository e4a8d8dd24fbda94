/**
 * The audit log on either database: the same checks on SQLite and PostgreSQL through the AuditLog
 * interface. Entries read back newest first with their details as written (Hangul included),
 * `before` pages on by id, and an entry needs no details.
 */
import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../server/auth/audit.ts';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import { PgAuditRepo } from '../../server/auth/audit-pg-repo.ts';
import { AuditRepo } from '../../server/auth/audit-repo.ts';
import { DIALECTS, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`the audit log on ${dialect.name}`, () => {
    it('lists entries newest first with their details, and pages on with before', async () => {
      const audit = storeOn<AuditLog>(await dialect.open(cleanup), { sqlite: (db) => new AuditRepo(db), pg: (db) => new PgAuditRepo(db) });
      const startedAt = Date.now();
      await audit.record(CLI_ACTOR, 'user.create', 'user:1', { email: '지민@example.com', role: 'member' });
      await audit.record({ userId: null, email: 'admin@example.com' }, 'snapshot.publish', 'weekly', { votes: 12, nested: { ok: true, list: [1, 2.5] } });
      await audit.record({ userId: null, email: 'admin@example.com' }, 'discovery.refresh', null);

      const all = await audit.list({ limit: 10 });
      expect(all.map(({ actor, action, target, details }) => ({ actor, action, target, details }))).toEqual([
        { actor: 'admin@example.com', action: 'discovery.refresh', target: null, details: {} },
        { actor: 'admin@example.com', action: 'snapshot.publish', target: 'weekly', details: { votes: 12, nested: { ok: true, list: [1, 2.5] } } },
        { actor: 'command line', action: 'user.create', target: 'user:1', details: { email: '지민@example.com', role: 'member' } },
      ]);
      expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
      for (const entry of all) expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(startedAt - 1_000);

      expect((await audit.list({ limit: 1 })).map((e) => e.action)).toEqual(['discovery.refresh']);
      expect((await audit.list({ limit: 10, before: all[0]!.id })).map((e) => e.action)).toEqual(['snapshot.publish', 'user.create']);
      expect(await audit.list({ limit: 10, before: all[2]!.id })).toEqual([]);
    });
  });
}
