/** The audit log in SQLite (db/schema-accounts.ts `audit_log`): the AuditLog of audit.ts. */
import { desc, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog } from '../../db/schema-accounts.ts';
import type { AuditEntry } from '../../protocol/auth.ts';
import { type AuditActor, type AuditLog, auditEntryOf, auditRowOf } from './audit.ts';

export class AuditRepo implements AuditLog {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async record(actor: AuditActor, action: string, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
    this.#db
      .insert(auditLog)
      .values(auditRowOf(actor, action, target, details))
      .run();
  }

  async list(opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
    return this.#db
      .select()
      .from(auditLog)
      .where(opts.before !== undefined ? lt(auditLog.id, opts.before) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(opts.limit)
      .all()
      .map(auditEntryOf);
  }
}
