/**
 * Accounts: users with roles, sessions (only a hash of each token is stored), invites and the
 * audit log of admin actions. Kept apart from schema.ts so the arena core stays readable.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const ROLES = ['admin', 'member', 'viewer'] as const;

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Stored lower-cased; the login name. */
  email: text('email').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  /** `scrypt$N$r$p$salt$hash`; null for users who only sign in through a trusted proxy. */
  passwordHash: text('password_hash'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token (hex): a stolen database cannot be replayed as cookies. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Browsers a user has signed in from (OWASP's "device cookie"): while someone guesses an account's
 * password from many addresses, sign-in from these stays open to its owner.
 */
export const trustedDevices = sqliteTable(
  'trusted_devices',
  {
    /** SHA-256 of the device cookie's token. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('trusted_devices_user_idx').on(t.userId)],
);

export const invites = sqliteTable('invites', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** SHA-256 of the invite token; the token itself is shown once, to the admin who made it. */
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ROLES }).notNull(),
  /** When set, only this address may sign up with the invite. */
  email: text('email'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at').notNull(),
  usedAt: timestamp('used_at'),
  usedBy: integer('used_by').references(() => users.id),
  revokedAt: timestamp('revoked_at'),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null for actions from the command line. */
    actorId: integer('actor_id'),
    /** A copy, so the entry still reads right if the account changes later. */
    actorEmail: text('actor_email').notNull(),
    action: text('action').notNull(),
    /** What was acted on, e.g. `user:3`, `invite:7`, `evaluation:<id>`. */
    target: text('target'),
    details: text('details', { mode: 'json' }).notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);
