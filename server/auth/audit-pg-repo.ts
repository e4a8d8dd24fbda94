/** The audit log in PostgreSQL (db/pg/schema-accounts.ts `audit_log`): the AuditLog of audit.ts. */
import { desc, lt } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { auditLog } from '../../db/pg/schema-accounts.ts';
import type { AuditEntry } from '../../protocol/auth.ts';
import { type AuditActor, type AuditLog, auditEntryOf, auditRowOf } from './audit.ts';

export class PgAuditRepo implements AuditLog {
  readonly #db: PgDb;
  constructor(db: PgDb) {
    this.#db = db;
  }

  async record(actor: AuditActor, action: string, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.#db.insert(auditLog).values(auditRowOf(actor, action, target, details));
  }

  async list(opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
    const rows = await this.#db
      .select()
      .from(auditLog)
      .where(opts.before !== undefined ? lt(auditLog.id, opts.before) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(opts.limit);
    return rows.map(auditEntryOf);
  }
}
