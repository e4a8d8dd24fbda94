/**
 * Evaluations (campaigns): a fixed prompt set answered once per model ahead of time, then judged by
 * several voters on the very same stored answers. Votes are facts written once; everything shown
 * in results is computed from them.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { styleColumns } from './columns.ts';
import { models } from './schema.ts';
import { users } from './schema-accounts.ts';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const JUDGE_RUN_STATUSES = ['running', 'done', 'capped'] as const;
export const JUDGMENT_STATUSES = ['pending', 'running', 'done', 'unparsed', 'failed'] as const;
export const VERDICTS = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'] as const;

export interface GoldAnswers {
  a: string[];
  b: string[];
  verdict: 'a' | 'b' | 'tie' | 'bothbad';
}

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
  /** Voters whose accuracy on gold items is below this are left out of the results; null keeps all. */
  minGoldAccuracy: real('min_gold_accuracy'),
  /** Count judge models' outcomes in the evaluation's leaderboard beside the people's. */
  judgesInStandings: integer('judges_in_standings', { mode: 'boolean' }).notNull().default(false),
  /** The evaluation this one re-runs with a new model (same prompts, old answers reused). */
  baseEvaluationId: text('base_evaluation_id'),
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
    /** A gold item: two fixed answers (per turn) and the verdict a careful voter gives them. */
    gold: text('gold', { mode: 'json' }).$type<GoldAnswers>(),
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
    /** The instance running it while `running` (a dead instance's go back to pending: docs/DEPLOY.md). */
    instanceId: text('instance_id'),
    /** The model's answer to each turn. */
    answers: text('answers', { mode: 'json' }).$type<string[]>(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    totalMs: real('total_ms'),
    /** The style of its answers, summed over the turns (see `styleColumns`); null until computed. */
    ...styleColumns(),
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

/** A voter passed on an item: it is not handed to them again, and goes to someone else. */
export const evalSkips = sqliteTable(
  'eval_skips',
  {
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    voterId: text('voter_id').notNull(),
    evaluationId: evaluationRef(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.voterId] })],
);

/** One judge model judging an evaluation with one prompt; a later run of the same model replaces it in results. */
export const evalJudgeRuns = sqliteTable(
  'eval_judge_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: evaluationRef(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    /** The judging instructions (system message) used for every call of the run. */
    prompt: text('prompt').notNull(),
    customPrompt: integer('custom_prompt', { mode: 'boolean' }).notNull(),
    status: text('status', { enum: JUDGE_RUN_STATUSES }).notNull().default('running'),
    capUsd: real('cap_usd').notNull(),
    spentUsd: real('spent_usd').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [index('eval_judge_runs_evaluation_idx').on(t.evaluationId, t.modelId)],
);

/** One judge call: an item with its answers in one order (`xy`: the item's first model shown as A). */
export const evalJudgments = sqliteTable(
  'eval_judgments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => evalJudgeRuns.id),
    evaluationId: evaluationRef(),
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    order: text('order', { enum: ['xy', 'yx'] }).notNull(),
    status: text('status', { enum: JUDGMENT_STATUSES }).notNull().default('pending'),
    /** Calls made (provider failures and unparsed verdicts both count). */
    attempts: integer('attempts').notNull().default(0),
    /** Calls whose verdict could not be parsed. */
    unparsedAttempts: integer('unparsed_attempts').notNull().default(0),
    retryAt: timestamp('retry_at'),
    /** The instance running it while `running` (a dead instance's go back to pending: docs/DEPLOY.md). */
    instanceId: text('instance_id'),
    verdict: text('verdict', { enum: VERDICTS }),
    /** The judge's whole answer (its explanation), kept as written. */
    reason: text('reason'),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    updatedAt: timestamp('updated_at'),
  },
  (t) => [uniqueIndex('eval_judgments_run_item_order_idx').on(t.runId, t.itemId, t.order), index('eval_judgments_status_idx').on(t.status)],
);
