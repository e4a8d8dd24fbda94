/** Published standings snapshots on PostgreSQL: db/schema-snapshots.ts, column for column (see db/pg/schema.ts). */
import { doublePrecision, index, integer, json, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idRef } from './columns.ts';
import { users } from './schema-accounts.ts';

export const snapshots = pgTable(
  'snapshots',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdBy: idRef('created_by').references(() => users.id),
    view: json('view').notNull(),
    softwareVersion: text('software_version').notNull(),
    votesHash: text('votes_hash').notNull(),
    votes: integer('votes').notNull(),
    bootstrapRounds: integer('bootstrap_rounds'),
    /** Any integer a seed may be: a bigint. */
    bootstrapSeed: idRef('bootstrap_seed'),
    eloK: doublePrecision('elo_k').notNull(),
    standings: json('standings').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('snapshots_created_idx').on(t.createdAt)],
);
