/** Accounts on PostgreSQL: the tables of db/schema-accounts.ts, column for column (see db/pg/schema.ts). */
import { boolean, index, json, pgTable, text } from 'drizzle-orm/pg-core';
import { ROLES } from '../schema-accounts.ts';
import { createdAt, epochMs, idRef, serialId } from './columns.ts';

export const users = pgTable('users', {
  id: serialId(),
  email: text('email').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: idRef('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const trustedDevices = pgTable(
  'trusted_devices',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: idRef('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('trusted_devices_user_idx').on(t.userId)],
);

export const invites = pgTable('invites', {
  id: serialId(),
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  email: text('email'),
  createdBy: idRef('created_by').references(() => users.id),
  createdAt: createdAt(),
  expiresAt: epochMs('expires_at').notNull(),
  usedAt: epochMs('used_at'),
  usedBy: idRef('used_by').references(() => users.id),
  revokedAt: epochMs('revoked_at'),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: serialId(),
    /** Null for actions from the command line (no foreign key, as in SQLite). */
    actorId: idRef('actor_id'),
    actorEmail: text('actor_email').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: json('details').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);
