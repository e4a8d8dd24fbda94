/** Evaluations on PostgreSQL: the tables of db/schema-evaluations.ts, column for column (see db/pg/schema.ts). */
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { EVALUATION_STATUSES, GENERATION_STATUSES, type GoldAnswers, JUDGE_RUN_STATUSES, JUDGMENT_STATUSES, VERDICTS } from '../schema-evaluations.ts';
import { createdAt, epochMs, idRef, serialId, styleColumns } from './columns.ts';
import { models } from './schema.ts';
import { users } from './schema-accounts.ts';

export const evaluations = pgTable('evaluations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  models: json('models').$type<string[]>().notNull(),
  votesPerItem: integer('votes_per_item').notNull(),
  systemPrompt: text('system_prompt'),
  temperature: doublePrecision('temperature'),
  maxTokens: integer('max_tokens'),
  countInPublic: boolean('count_in_public').notNull().default(false),
  status: text('status', { enum: EVALUATION_STATUSES }).notNull().default('draft'),
  minGoldAccuracy: doublePrecision('min_gold_accuracy'),
  judgesInStandings: boolean('judges_in_standings').notNull().default(false),
  /** No foreign key, as in SQLite. */
  baseEvaluationId: text('base_evaluation_id'),
  createdBy: idRef('created_by').references(() => users.id),
  createdAt: createdAt(),
  startedAt: epochMs('started_at'),
  closedAt: epochMs('closed_at'),
});

const evaluationRef = () =>
  text('evaluation_id')
    .notNull()
    .references(() => evaluations.id);

export const evalPrompts = pgTable(
  'eval_prompts',
  {
    id: serialId(),
    evaluationId: evaluationRef(),
    position: integer('position').notNull(),
    questionId: text('question_id').notNull(),
    category: text('category'),
    turns: json('turns').$type<string[]>().notNull(),
    gold: json('gold').$type<GoldAnswers>(),
  },
  (t) => [uniqueIndex('eval_prompts_question_idx').on(t.evaluationId, t.questionId)],
);

export const evalGenerations = pgTable(
  'eval_generations',
  {
    id: serialId(),
    evaluationId: evaluationRef(),
    promptId: idRef('prompt_id')
      .notNull()
      .references(() => evalPrompts.id),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    status: text('status', { enum: GENERATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    retryAt: epochMs('retry_at'),
    /** The instance running it while `running` (a dead instance's go back to pending: docs/DEPLOY.md). */
    instanceId: text('instance_id'),
    answers: json('answers').$type<string[]>(),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    totalMs: doublePrecision('total_ms'),
    ...styleColumns(),
    updatedAt: epochMs('updated_at'),
  },
  (t) => [uniqueIndex('eval_generations_prompt_model_idx').on(t.promptId, t.modelId), index('eval_generations_status_idx').on(t.status)],
);

export const evalItems = pgTable(
  'eval_items',
  {
    id: text('id').primaryKey(),
    evaluationId: evaluationRef(),
    promptId: idRef('prompt_id')
      .notNull()
      .references(() => evalPrompts.id),
    modelX: text('model_x').notNull(),
    modelY: text('model_y').notNull(),
  },
  (t) => [index('eval_items_evaluation_idx').on(t.evaluationId)],
);

export const evalAssignments = pgTable(
  'eval_assignments',
  {
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    voterId: text('voter_id').notNull(),
    /** No foreign key, as in SQLite. */
    evaluationId: text('evaluation_id').notNull(),
    swapped: boolean('swapped').notNull(),
    createdAt: createdAt(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.voterId] }), index('eval_assignments_voter_idx').on(t.evaluationId, t.voterId)],
);

export const evalVotes = pgTable(
  'eval_votes',
  {
    id: serialId(),
    evaluationId: evaluationRef(),
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    voterId: text('voter_id').notNull(),
    voteId: text('vote_id'),
    modelA: text('model_a').notNull(),
    modelB: text('model_b').notNull(),
    winner: text('winner', { enum: ['a', 'b', 'tie', 'bothbad'] }).notNull(),
    reason: text('reason'),
    categories: json('categories').$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('eval_votes_item_voter_idx').on(t.itemId, t.voterId),
    uniqueIndex('eval_votes_vote_id_idx').on(t.voteId),
    index('eval_votes_evaluation_idx').on(t.evaluationId, t.id),
    index('eval_votes_uncategorized_idx').on(t.id).where(sql`${t.categories} IS NULL`),
  ],
);

export const evalSkips = pgTable(
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

export const evalJudgeRuns = pgTable(
  'eval_judge_runs',
  {
    id: serialId(),
    evaluationId: evaluationRef(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    prompt: text('prompt').notNull(),
    customPrompt: boolean('custom_prompt').notNull(),
    status: text('status', { enum: JUDGE_RUN_STATUSES }).notNull().default('running'),
    capUsd: doublePrecision('cap_usd').notNull(),
    spentUsd: doublePrecision('spent_usd').notNull().default(0),
    createdBy: idRef('created_by').references(() => users.id),
    createdAt: createdAt(),
    finishedAt: epochMs('finished_at'),
  },
  (t) => [index('eval_judge_runs_evaluation_idx').on(t.evaluationId, t.modelId)],
);

export const evalJudgments = pgTable(
  'eval_judgments',
  {
    id: serialId(),
    runId: idRef('run_id')
      .notNull()
      .references(() => evalJudgeRuns.id),
    evaluationId: evaluationRef(),
    itemId: text('item_id')
      .notNull()
      .references(() => evalItems.id),
    order: text('order', { enum: ['xy', 'yx'] }).notNull(),
    status: text('status', { enum: JUDGMENT_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    unparsedAttempts: integer('unparsed_attempts').notNull().default(0),
    retryAt: epochMs('retry_at'),
    /** The instance running it while `running` (a dead instance's go back to pending: docs/DEPLOY.md). */
    instanceId: text('instance_id'),
    verdict: text('verdict', { enum: VERDICTS }),
    reason: text('reason'),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    updatedAt: epochMs('updated_at'),
  },
  (t) => [uniqueIndex('eval_judgments_run_item_order_idx').on(t.runId, t.itemId, t.order), index('eval_judgments_status_idx').on(t.status)],
);
