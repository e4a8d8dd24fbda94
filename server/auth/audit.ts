/**
 * The audit log: who did what to whom, when. Admin actions only; never secrets. One interface with
 * a SQLite (audit-repo.ts) and a PostgreSQL (audit-pg-repo.ts) implementation.
 */
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

export interface AuditLog {
  record(actor: AuditActor, action: string, target: string | null, details?: Record<string, unknown>): Promise<void>;
  /** Newest first; `before` pages on by id. */
  list(opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]>;
}

/** The row both dialects write for an entry. */
export function auditRowOf(actor: AuditActor, action: string, target: string | null, details: Record<string, unknown>) {
  return { actorId: actor.userId, actorEmail: actor.email, action, target, details };
}

/** A stored row as the admin page reads it. */
export function auditEntryOf(row: { id: number; createdAt: Date; actorEmail: string; action: string; target: string | null; details: unknown }): AuditEntry {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: row.actorEmail,
    action: row.action,
    target: row.target,
    details: (row.details ?? {}) as Record<string, unknown>,
  };
}
