/**
 * Evaluations (campaigns): a fixed prompt set answered once per model ahead of time, then judged by
 * several voters on the very same stored answers. Votes are facts written once; everything shown
 * in results is computed from them.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { models } from './schema.ts';
import { users } from './schema-accounts.ts';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const EVALUATION_STATUSES = ['draft', 'running', 'closed'] as const;
export const GENERATION_STATUSES = ['pending', 'running', 'done', 'failed'] as const;

export const evaluations = sqliteTable('evaluations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** Model ids of the pool, in the order the admin chose. */
  models: text('models', { mode: 'json' }).$type<string[]>().notNull(),
  votesPerItem: integer('votes_per_item').notNull(),
  /** Overrides the models' own system prompt and settings when set. */
  systemPrompt: text('system_prompt'),
  temperature: real('temperature'),
  maxTokens: integer('max_tokens'),
  /** Also apply each vote to the public arena's online Elo. Fixed once the evaluation starts. */
  countInPublic: integer('count_in_public', { mode: 'boolean' }).notNull().default(false),
  status: text('status', { enum: EVALUATION_STATUSES }).notNull().default('draft'),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
  startedAt: timestamp('started_at'),
  closedAt: timestamp('closed_at'),
});

/** The evaluation a row belongs to (every table below has one). */
const evaluationRef = () =>
  text('evaluation_id')
    .notNull()
    .references(() => evaluations.id);

export const evalPrompts = sqliteTable(
  'eval_prompts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: evaluationRef(),
    /** Order in the imported file, from 1. */
    position: integer('position').notNull(),
    /** The file's `id` (or the position when it had none); exported as `question_id`. */
    questionId: text('question_id').notNull(),
    category: text('category'),
    /** User turns, oldest first (one for a single-turn prompt). */
    turns: text('turns', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [uniqueIndex('eval_prompts_question_idx').on(t.evaluationId, t.questionId)],
);

export const evalGenerations = sqliteTable(
  'eval_generations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: evaluationRef(),
    promptId: integer('prompt_id')
      .notNull()
      .references(() => evalPrompts.id),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    status: text('status', { enum: GENERATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Not before this time (backoff between retries). */
    retryAt: timestamp('retry_at'),
    /** The model's answer to each turn. */
    answers: text('answers', { mode: 'json' }).$type<string[]>(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    totalMs: real('total_ms'),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [uniqueIndex('eval_generations_prompt_model_idx').on(t.promptId, t.modelId), index('eval_generations_status_idx').on(t.status)],
);

/** One (prompt, unordered model pair); `modelX` < `modelY` as strings. Ids are random: they reveal nothing. */
export const evalItems = sqliteTable(
  'eval_items',
  {
    id: text('id').primaryKey(),
    evaluationId: evaluationRef(),
    promptId: integer('prompt_id')
      .notNull()
      .references(() => evalPrompts.id),
    modelX: text('model_x').notNull(),
    modelY: text('model_y').notNull(),
  },
  (t) => [index('eval_items_evaluation_idx').on(t.evaluationId)],
);

/** An item handed to a voter and not yet voted on: a lease that expires, and the sides they were shown. */
export const evalAssignments = sqliteTable(
  'eval_assignments',
  {
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    voterId: text('voter_id').notNull(),
    evaluationId: text('evaluation_id').notNull(),
    /** True when modelY is shown on the left (as "A"). */
    swapped: integer('swapped', { mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.voterId] }), index('eval_assignments_voter_idx').on(t.evaluationId, t.voterId)],
);

export const evalVotes = sqliteTable(
  'eval_votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: evaluationRef(),
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    voterId: text('voter_id').notNull(),
    /** Client-generated: a re-sent vote with the same id is answered, not counted again. */
    voteId: text('vote_id'),
    /** The model shown on the left ("A") and on the right ("B") to this voter. */
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    winner: text('winner', { enum: ['a', 'b', 'tie', 'bothbad'] }).notNull(),
    reason: text('reason'),
    /** Categories decided when the vote was recorded (server/standings/categories.ts); null until backfilled. */
    categories: text('categories', { mode: 'json' }).$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('eval_votes_item_voter_idx').on(t.itemId, t.voterId),
    uniqueIndex('eval_votes_vote_id_idx').on(t.voteId),
    index('eval_votes_evaluation_idx').on(t.evaluationId, t.id),
    index('eval_votes_uncategorized_idx').on(t.id).where(sql`${t.categories} IS NULL`),
  ],
);
