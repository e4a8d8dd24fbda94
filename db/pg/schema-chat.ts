/** Direct chats on PostgreSQL: db/schema-chat.ts, column for column (see db/pg/schema.ts). */
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { CHAT_RATINGS } from '../../protocol/chat.ts';
import { createdAt, epochMs, nowMs } from './columns.ts';
import { models } from './schema.ts';

export const chats = pgTable(
  'chats',
  {
    id: text('id').primaryKey(),
    voterId: text('voter_id').notNull(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    status: text('status', { enum: ['streaming', 'ready'] }).notNull(),
    turns: integer('turns').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: epochMs('updated_at').notNull().default(nowMs),
    /** The instance streaming the running turn (migration 0011). */
    instanceId: text('instance_id'),
  },
  (t) => [index('chats_voter_idx').on(t.voterId, t.createdAt), index('chats_status_idx').on(t.status)],
);

export const chatTurns = pgTable(
  'chat_turns',
  {
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id),
    turn: integer('turn').notNull(),
    prompt: text('prompt').notNull(),
    finishReason: text('finish_reason', { enum: ['stop', 'length', 'error'] }),
    content: text('content').notNull().default(''),
    reasoning: text('reasoning').notNull().default(''),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    tokensEstimated: boolean('tokens_estimated'),
    ttftMs: doublePrecision('ttft_ms'),
    totalMs: doublePrecision('total_ms'),
    reasoningMs: doublePrecision('reasoning_ms'),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    costUsd: doublePrecision('cost_usd'),
    createdAt: createdAt(),
    answeredAt: epochMs('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.turn] })],
);

export const chatFeedback = pgTable(
  'chat_feedback',
  {
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id),
    turn: integer('turn').notNull(),
    rating: text('rating', { enum: CHAT_RATINGS }),
    flagged: boolean('flagged').notNull().default(false),
    reason: text('reason'),
    updatedAt: epochMs('updated_at').notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.turn] }), index('chat_feedback_flagged_idx').on(t.updatedAt).where(sql`${t.flagged}`)],
);
