/**
 * Direct chats: one person, one chosen model, a conversation of turns, and their feedback on each
 * answer. Kept apart from battles and votes on purpose: nothing here is read by the ratings, the
 * standings or the public speed and cost figures (server/chat, docs/ARCHITECTURE.md).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CHAT_RATINGS } from '../protocol/chat.ts';
import { models } from './schema.ts';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const chats = sqliteTable(
  'chats',
  {
    /** Random and unguessable. */
    id: text('id').primaryKey(),
    /** Anonymous per-browser id (public mode) or user id, as for battles. */
    voterId: text('voter_id').notNull(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    /** `streaming` while the last turn's answer is coming. */
    status: text('status', { enum: ['streaming', 'ready'] }).notNull(),
    turns: integer('turns').notNull().default(0),
    /** The instance that streams, or last streamed, the chat's running answer (as battles.instance_id). */
    instanceId: text('instance_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('chats_voter_idx').on(t.voterId, t.createdAt), index('chats_status_idx').on(t.status)],
);

/** One prompt and the model's answer to it; the answer's columns are written once, when it ends. */
export const chatTurns = sqliteTable(
  'chat_turns',
  {
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id),
    turn: integer('turn').notNull(),
    prompt: text('prompt').notNull(),
    /** Null until the answer ended (and for good when the server died mid-answer). */
    finishReason: text('finish_reason', { enum: ['stop', 'length', 'error'] }),
    content: text('content').notNull().default(''),
    reasoning: text('reasoning').notNull().default(''),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    tokensEstimated: integer('tokens_estimated', { mode: 'boolean' }),
    ttftMs: real('ttft_ms'),
    totalMs: real('total_ms'),
    reasoningMs: real('reasoning_ms'),
    errorKind: text('error_kind'),
    errorMessage: text('error_message'),
    costUsd: real('cost_usd'),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.turn] })],
);

/** What the person thought of one answer: thumbs up or down, and a flag for the admins with an optional reason. */
export const chatFeedback = sqliteTable(
  'chat_feedback',
  {
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id),
    turn: integer('turn').notNull(),
    rating: text('rating', { enum: CHAT_RATINGS }),
    flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
    reason: text('reason'),
    updatedAt: timestamp('updated_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.turn] }),
    // Flagged answers are what an admin looks for: found without a scan.
    index('chat_feedback_flagged_idx').on(t.updatedAt).where(sql`${t.flagged} = 1`),
  ],
);
