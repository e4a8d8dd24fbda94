/**
 * Battles, turns, answers and votes are facts written once; `ratings` is a projection of the votes
 * that can always be recomputed from them.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { BATTLE_MODES, BATTLE_STATUSES } from '../protocol/types.ts';
import { styleColumns } from './columns.ts';

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const models = sqliteTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  provider: text('provider', { enum: ['demo', 'openai', 'anthropic', 'gemini'] }).notNull(),
  /** The model's settings as JSON (never an API key: only the name of its environment variable). */
  settings: text('settings', { mode: 'json' }).notNull(),
  /** Where the model was defined: the config file (or built-in demo set), or the admin registry. */
  source: text('source', { enum: ['config', 'demo', 'admin'] }).notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Hidden from the standings unless a viewer asks for deprecated models (an admin switch, whatever the source). */
  deprecated: integer('deprecated', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

export const battles = sqliteTable(
  'battles',
  {
    // Unique by an index rather than the primary key, so a bulk load into an empty database can
    // build it sorted after the load (server/interop/schema-aside.ts) instead of a million random
    // inserts into a primary-key b-tree.
    id: text('id').notNull(),
    /** `named`: the voter chose both models and saw their names (its vote is flagged `named`). */
    mode: text('mode', { enum: BATTLE_MODES }).notNull().default('arena'),
    /** The model shown on the left as "Model A". */
    modelA: text('model_a')
      .notNull()
      .references(() => models.id),
    /** The model shown on the right as "Model B". */
    modelB: text('model_b')
      .notNull()
      .references(() => models.id),
    status: text('status', { enum: BATTLE_STATUSES }).notNull(),
    /** Anonymous per-browser id (public mode) or user id. */
    voterId: text('voter_id').notNull(),
    turns: integer('turns').notNull().default(0),
    /**
     * The instance (ARENA_INSTANCE_ID) that streams, or last streamed, the battle's running turn: at
     * start-up an instance fails only its own streaming battles and those of instances known dead.
     * Null in battles stored before instances were named.
     */
    instanceId: text('instance_id'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex('battles_id_idx').on(t.id),
    index('battles_voter_idx').on(t.voterId, t.createdAt),
    index('battles_status_idx').on(t.status),
    // Battle history lists everyone's battles newest first (admins).
    index('battles_created_idx').on(t.createdAt),
  ],
);

export const turns = sqliteTable(
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

export const answers = sqliteTable(
  'answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    tokensEstimated: integer('tokens_estimated', { mode: 'boolean' }).notNull(),
    ttftMs: real('ttft_ms'),
    totalMs: real('total_ms').notNull(),
    reasoningMs: real('reasoning_ms'),
    finishReason: text('finish_reason', { enum: ['stop', 'length', 'error'] }).notNull(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    costUsd: real('cost_usd'),
    ...styleColumns(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('answers_battle_turn_side_idx').on(t.battleId, t.turn, t.side),
    index('answers_model_idx').on(t.modelId),
    // Only answers older than style features are in it: the start-up backfill finds them without a scan.
    index('answers_unstyled_idx').on(t.id).where(sql`${t.styleTokens} IS NULL`),
  ],
);

export const votes = sqliteTable(
  'votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    battleId: text('battle_id')
      .notNull()
      .references(() => battles.id),
    /** Client-generated id: a re-sent vote with the same id is answered, not counted again. */
    voteId: text('vote_id'),
    voterId: text('voter_id').notNull(),
    winner: text('winner', { enum: ['a', 'b', 'tie', 'bothbad'] }).notNull(),
    /** Copies of the battle's sides, so ratings can be recomputed from this table alone. */
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    /** Client address, for per-IP daily caps. */
    ip: text('ip'),
    /** Integrity rules this vote tripped (e.g. `self_identified`, `too_fast`); see server/integrity. */
    flags: text('flags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** False when a flag keeps the vote out of the blind leaderboard (it stays visible to admins). */
    counted: integer('counted', { mode: 'boolean' }).notNull().default(true),
    /** Categories decided when the vote was recorded (server/standings/categories.ts); null until backfilled. */
    categories: text('categories', { mode: 'json' }).$type<string[]>(),
    /**
     * Hash of the battle's prompt (its user turns, server/standings/prompt-hash.ts), for prompt
     * deduplication; '' for a battle without stored prompts; null until backfilled.
     */
    promptHash: text('prompt_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('votes_battle_idx').on(t.battleId),
    // Covering for prompt deduplication: the cells of a frequent prompt's votes come from the index
    // alone. This one and the two below are partial: imported votes (no prompt, vote id or address)
    // cost them nothing.
    index('votes_prompt_cells_idx').on(t.promptHash, t.counted, t.modelA, t.modelB, t.winner).where(sql`${t.promptHash} != ''`),
    uniqueIndex('votes_vote_id_idx').on(t.voteId).where(sql`${t.voteId} IS NOT NULL`),
    index('votes_voter_time_idx').on(t.voterId, t.createdAt),
    index('votes_ip_time_idx').on(t.ip, t.createdAt).where(sql`${t.ip} IS NOT NULL`),
    // Only votes older than categories are in it: the start-up backfill finds them without a scan.
    index('votes_uncategorized_idx').on(t.id).where(sql`${t.categories} IS NULL`),
  ],
);

export const ratings = sqliteTable('ratings', {
  modelId: text('model_id')
    .primaryKey()
    .references(() => models.id),
  rating: real('rating').notNull(),
  games: integer('games').notNull().default(0),
  wins: integer('wins').notNull().default(0),
  losses: integer('losses').notNull().default(0),
  ties: integer('ties').notNull().default(0),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

/**
 * One row per (category, vote): the index a category's standings read, so a fit on one category
 * touches only its votes. A projection of the `categories` column of `votes` (source 0) and
 * `eval_votes` (source 1), written in the same transaction.
 */
export const voteCategories = sqliteTable(
  'vote_categories',
  {
    category: text('category').notNull(),
    /** 0: `votes.id`, 1: `eval_votes.id`. */
    source: integer('source').notNull(),
    voteId: integer('vote_id').notNull(),
  },
  // By vote too: what the pair-count triggers look up when a vote is deleted or changes.
  (t) => [primaryKey({ columns: [t.category, t.source, t.voteId] }), index('vote_categories_vote_idx').on(t.source, t.voteId)],
);

/**
 * The public votes counted per (category, model_a, model_b, winner) — `all` for every public vote
 * (counted arena votes, and the votes of evaluations that count in public), else each category of
 * `vote_categories`. Kept by triggers (migration 0010) in the transaction of every write to
 * votes, eval_votes, vote_categories and evaluations, so the Bradley-Terry fit reads an m×m table
 * instead of every vote. A projection: `arena recount` rebuilds it from the votes (the audit path).
 */
export const pairCounts = sqliteTable(
  'pair_counts',
  {
    category: text('category').notNull(),
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    winner: text('winner', { enum: ['a', 'b', 'tie', 'bothbad'] }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelA, t.modelB, t.winner] })],
);

/**
 * Counted arena votes between two different models per prompt hash, kept by the same triggers:
 * what prompt deduplication needs (the frequent prompts and the quantile) without reading every vote.
 */
export const promptCounts = sqliteTable(
  'prompt_counts',
  {
    promptHash: text('prompt_hash').primaryKey(),
    n: integer('n').notNull(),
  },
  (t) => [index('prompt_counts_n_idx').on(t.n)],
);

/**
 * One row: while `deferred` is 1 (inside a bulk import's transaction, never committed so) the
 * pair-count triggers stand aside and the importer adds its rows' counts in one pass at the end.
 * `rewrites` goes up with every write that changes counts other than by adding votes (a re-flag,
 * a deletion, an evaluation leaving the public standings, a rebuild; migration 0013's triggers):
 * while it stays, the counts only grew by the votes with larger ids (server/standings/live-counts.ts).
 */
export const countsMaintenance = sqliteTable('counts_maintenance', {
  id: integer('id').primaryKey(),
  deferred: integer('deferred').notNull().default(0),
  rewrites: integer('rewrites').notNull().default(0),
});
