/**
 * Where direct chats, their turns and the feedback on each answer are kept: one interface with a
 * SQLite (repo.ts) and a PostgreSQL (pg-repo.ts) implementation, so the chat service never knows
 * which database is underneath. No rules here: the service decides, a store writes.
 */

import type { chatFeedback, chats, chatTurns } from '../../db/schema-chat.ts';
import type { ChatFeedback } from '../../protocol/chat.ts';
import type { CompletionResult } from '../providers/types.ts';

// The rows as both dialects read them (tests/integration/pg-schema.test.ts keeps the tables equal).
export type ChatRow = typeof chats.$inferSelect;
export type ChatTurnRow = typeof chatTurns.$inferSelect;
export type FeedbackRow = typeof chatFeedback.$inferSelect;

/** A finished answer, as the runner stores it: the completion's figures, its text, failure and cost. */
export type ChatAnswer = Pick<
  CompletionResult,
  'finishReason' | 'reasoning' | 'inputTokens' | 'outputTokens' | 'tokensEstimated' | 'ttftMs' | 'totalMs' | 'reasoningMs'
> & {
  content: string;
  errorKind: string | null;
  errorMessage: string | null;
  costUsd: number | null;
};

export const INTERRUPTED_ANSWER = {
  finishReason: 'error',
  errorKind: 'interrupted',
  errorMessage: 'the server stopped before the answer finished',
} as const;

/** A chat ready for its next prompt. */
export const readyAt = (at: Date) => ({ status: 'ready' as const, updatedAt: at });

export interface ChatStore {
  createChat(c: { id: string; voterId: string; modelId: string; prompt: string }): Promise<void>;
  /**
   * Starts turn `turn` on this instance, if the chat is still at turn `turn - 1` and ready (or
   * left streaming by this instance, whose service checked it runs no answer for it): false when
   * another send (here or on another instance) started it first.
   */
  addTurn(chatId: string, turn: number, prompt: string): Promise<boolean>;
  /**
   * Stores a turn's answer (once: a turn already answered is left as it is) and makes the chat
   * ready for the next prompt, unless the chat moved on meanwhile (a late answer of a turn the
   * reaper gave up on never marks a newer turn finished).
   */
  saveAnswer(chatId: string, turn: number, answer: ChatAnswer): Promise<void>;
  getChat(chatId: string): Promise<ChatRow | undefined>;
  /** In turn order. */
  getTurns(chatId: string): Promise<ChatTurnRow[]>;
  getFeedback(chatId: string): Promise<FeedbackRow[]>;
  /** Writes one answer's feedback whole (the service merged the change into what was stored). */
  setFeedback(chatId: string, turn: number, feedback: ChatFeedback): Promise<void>;
  /**
   * Chats a crash or restart left streaming can never get that answer: the turn is stored as
   * interrupted by the restart, and the chat can go on. Among instances (`alone: false`), only this
   * instance's own (and those stored before instances were named); a dead peer's go through
   * `failStreamingOf`.
   */
  failInterrupted(opts?: { alone: boolean }): Promise<number>;
  /** The voter's chats whose answer another instance streams now (they count against the voter's concurrency limit). */
  streamingElsewhere(voterId: string): Promise<number>;
  /** The other instances that stream a chat's answer now. */
  streamingInstances(): Promise<string[]>;
  /** The streaming chats of instances found dead: their answers are stored as interrupted. */
  failStreamingOf(instanceIds: readonly string[]): Promise<number>;
}
