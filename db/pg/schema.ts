/**
 * The arena core on PostgreSQL: the tables, columns, keys and indexes of db/schema.ts (after
 * migration 0010), column for column, so a team's data can move over (db/pg/copy.ts) and the
 * parity test (tests/integration/pg-schema.test.ts) keeps the two from drifting. Booleans are
 * PostgreSQL booleans (SQLite keeps them as 0/1 integers); JSON columns are `json`, which keeps
 * the text as written.
 */
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { BATTLE_MODES, BATTLE_STATUSES } from '../../protocol/types.ts';
import { createdAt, epochMs, idRef, nowMs, serialId, styleColumns } from './columns.ts';

const WINNERS = ['a', 'b', 'tie', 'bothbad'] as const;

export const models = pgTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  provider: text('provider', { enum: ['demo', 'openai', 'anthropic', 'gemini'] }).notNull(),
  settings: json('settings').notNull(),
  source: text('source', { enum: ['config', 'demo', 'admin'] }).notNull(),
  enabled: boolean('enabled').notNull().default(true),
  deprecated: boolean('deprecated').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: epochMs('updated_at').notNull().default(nowMs),
});

export const battles = pgTable(
  'battles',
  {
    id: text('id').primaryKey(),
    mode: text('mode', { enum: BATTLE_MODES }).notNull().default('arena'),
    modelA: text('model_a')
      .notNull()
      .references(() => models.id),
    modelB: text('model_b')
      .notNull()
      .references(() => models.id),
    status: text('status', { enum: BATTLE_STATUSES }).notNull(),
    voterId: text('voter_id').notNull(),
    turns: integer('turns').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: epochMs('updated_at').notNull().default(nowMs),
    /** The instance streaming the running turn (migration 0011). */
    instanceId: text('instance_id'),
  },
  (t) => [index('battles_voter_idx').on(t.voterId, t.createdAt), index('battles_status_idx').on(t.status), index('battles_created_idx').on(t.createdAt)],
);

export const turns = pgTable(
  'turns',
  {
    battleId: text('battle_id')
      .notNull()
      .references(() => battles.id),
    turn: integer('turn').notNull(),
    prompt: text('prompt').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.battleId, t.turn] })],
);

export const answers = pgTable(
  'answers',
  {
    id: serialId(),
    battleId: text('battle_id')
      .notNull()
      .references(() => battles.id),
    turn: integer('turn').notNull(),
    side: text('side', { enum: ['a', 'b'] }).notNull(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    content: text('content').notNull(),
    reasoning: text('reasoning').notNull().default(''),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    tokensEstimated: boolean('tokens_estimated').notNull(),
    ttftMs: doublePrecision('ttft_ms'),
    totalMs: doublePrecision('total_ms').notNull(),
    reasoningMs: doublePrecision('reasoning_ms'),
    finishReason: text('finish_reason', { enum: ['stop', 'length', 'error'] }).notNull(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    costUsd: doublePrecision('cost_usd'),
    ...styleColumns(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('answers_battle_turn_side_idx').on(t.battleId, t.turn, t.side),
    index('answers_model_idx').on(t.modelId),
    index('answers_unstyled_idx').on(t.id).where(sql`${t.styleTokens} IS NULL`),
  ],
);

export const votes = pgTable(
  'votes',
  {
    id: serialId(),
    battleId: text('battle_id')
      .notNull()
      .references(() => battles.id),
    voteId: text('vote_id'),
    voterId: text('voter_id').notNull(),
    winner: text('winner', { enum: WINNERS }).notNull(),
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    ip: text('ip'),
    flags: json('flags').$type<string[]>().notNull().default([]),
    counted: boolean('counted').notNull().default(true),
    categories: json('categories').$type<string[]>(),
    promptHash: text('prompt_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('votes_battle_idx').on(t.battleId),
    index('votes_prompt_cells_idx').on(t.promptHash, t.counted, t.modelA, t.modelB, t.winner).where(sql`${t.promptHash} != ''`),
    uniqueIndex('votes_vote_id_idx').on(t.voteId).where(sql`${t.voteId} IS NOT NULL`),
    index('votes_voter_time_idx').on(t.voterId, t.createdAt),
    index('votes_ip_time_idx').on(t.ip, t.createdAt).where(sql`${t.ip} IS NOT NULL`),
    index('votes_uncategorized_idx').on(t.id).where(sql`${t.categories} IS NULL`),
  ],
);

export const ratings = pgTable('ratings', {
  modelId: text('model_id')
    .primaryKey()
    .references(() => models.id),
  rating: doublePrecision('rating').notNull(),
  games: integer('games').notNull().default(0),
  wins: integer('wins').notNull().default(0),
  losses: integer('losses').notNull().default(0),
  ties: integer('ties').notNull().default(0),
  updatedAt: epochMs('updated_at').notNull().default(nowMs),
});

/** One row per (category, vote); source 0: `votes.id`, 1: `eval_votes.id`. */
export const voteCategories = pgTable(
  'vote_categories',
  {
    category: text('category').notNull(),
    source: integer('source').notNull(),
    voteId: idRef('vote_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.source, t.voteId] }), index('vote_categories_vote_idx').on(t.source, t.voteId)],
);

/**
 * The public votes per (category, model_a, model_b, winner), kept by the triggers of the custom
 * migration (db/migrations-pg, the PL/pgSQL twin of SQLite's 0010). SQLite keeps it WITHOUT
 * ROWID, clustered on the key; here it is an ordinary table with that primary key.
 */
export const pairCounts = pgTable(
  'pair_counts',
  {
    category: text('category').notNull(),
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    winner: text('winner', { enum: WINNERS }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelA, t.modelB, t.winner] })],
);

/** Counted arena votes between two different models per prompt hash, kept by the same triggers. */
export const promptCounts = pgTable(
  'prompt_counts',
  {
    promptHash: text('prompt_hash').primaryKey(),
    n: integer('n').notNull(),
  },
  (t) => [index('prompt_counts_n_idx').on(t.n)],
);

/**
 * One row (id 1): while `deferred` is 1, inside a bulk write's transaction, the insert triggers
 * stand aside; `rewrites` counts the writes that changed counts other than by adding votes (db/schema.ts).
 */
export const countsMaintenance = pgTable('counts_maintenance', {
  id: integer('id').primaryKey(),
  deferred: integer('deferred').notNull().default(0),
  rewrites: integer('rewrites').notNull().default(0),
});
