/** The audit log: who did what to whom, when. Admin actions only; never secrets. */
import { and, desc, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog } from '../../db/schema-accounts.ts';
import type { AuditEntry } from '../../protocol/auth.ts';
import type { Identity } from '../transport/identity.ts';

export interface AuditActor {
  userId: number | null;
  email: string;
}

export function actorOf(identity: Identity): AuditActor {
  return { userId: identity.userId === null ? null : Number(identity.userId), email: identity.email ?? identity.voterId };
}

export const CLI_ACTOR: AuditActor = { userId: null, email: 'command line' };

export class AuditLog {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  record(actor: AuditActor, action: string, target: string | null, details: Record<string, unknown> = {}): void {
    this.#db.insert(auditLog).values({ actorId: actor.userId, actorEmail: actor.email, action, target, details }).run();
  }

  list(opts: { limit: number; before?: number | undefined }): AuditEntry[] {
    return this.#db
      .select()
      .from(auditLog)
      .where(opts.before !== undefined ? and(lt(auditLog.id, opts.before)) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(opts.limit)
      .all()
      .map((row) => ({
        id: row.id,
        at: row.createdAt.toISOString(),
        actor: row.actorEmail,
        action: row.action,
        target: row.target,
        details: (row.details ?? {}) as Record<string, unknown>,
      }));
  }
}
