/**
 * Published standings snapshots: written once by an admin, never changed. Each row carries what
 * is needed to recompute it from an export (view, method, seed, Elo step, the hash of the votes)
 * and the standings as published. Kept apart from schema.ts, like the accounts and evaluations.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './schema-accounts.ts';

export const snapshots = sqliteTable(
  'snapshots',
  {
    /** Random and unguessable: the permanent link. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    /** The standings view, every default filled in (protocol/standings.ts StandingsView). */
    view: text('view', { mode: 'json' }).notNull(),
    softwareVersion: text('software_version').notNull(),
    /** SHA-256 (hex) of the canonical lines of the votes used (docs/RATINGS.md). */
    votesHash: text('votes_hash').notNull(),
    votes: integer('votes').notNull(),
    bootstrapRounds: integer('bootstrap_rounds'),
    bootstrapSeed: integer('bootstrap_seed'),
    eloK: real('elo_k').notNull(),
    /** The published Standings as JSON. */
    standings: text('standings', { mode: 'json' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('snapshots_created_idx').on(t.createdAt)],
);
