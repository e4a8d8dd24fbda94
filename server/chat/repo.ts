/** SQL for direct chats, their turns and the feedback on each answer. No rules here: the service decides, this writes. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { chatFeedback, chats, chatTurns } from '../../db/schema-chat.ts';
import type { ChatFeedback } from '../../protocol/chat.ts';

export type ChatRow = typeof chats.$inferSelect;
export type ChatTurnRow = typeof chatTurns.$inferSelect;
export type FeedbackRow = typeof chatFeedback.$inferSelect;

/** A finished answer, as the runner stores it. */
export interface ChatAnswer {
  finishReason: 'stop' | 'length' | 'error';
  content: string;
  reasoning: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  ttftMs: number | null;
  totalMs: number;
  reasoningMs: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  costUsd: number | null;
}

export class ChatRepo {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  createChat(c: { id: string; voterId: string; modelId: string; prompt: string }): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(chats).values({ id: c.id, voterId: c.voterId, modelId: c.modelId, status: 'streaming', turns: 1, createdAt: at, updatedAt: at }).run();
      tx.insert(chatTurns).values({ chatId: c.id, turn: 1, prompt: c.prompt, createdAt: at }).run();
    });
  }

  addTurn(chatId: string, turn: number, prompt: string): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(chatTurns).values({ chatId, turn, prompt, createdAt: at }).run();
      tx.update(chats).set({ turns: turn, status: 'streaming', updatedAt: at }).where(eq(chats.id, chatId)).run();
    });
  }

  /** Stores a turn's answer (once: a turn already answered is left as it is) and makes the chat ready for the next prompt. */
  saveAnswer(chatId: string, turn: number, answer: ChatAnswer): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.update(chatTurns)
        .set({ ...answer, answeredAt: at })
        .where(and(eq(chatTurns.chatId, chatId), eq(chatTurns.turn, turn), isNull(chatTurns.finishReason)))
        .run();
      tx.update(chats).set({ status: 'ready', updatedAt: at }).where(eq(chats.id, chatId)).run();
    });
  }

  getChat(chatId: string): ChatRow | undefined {
    return this.#db.select().from(chats).where(eq(chats.id, chatId)).get();
  }

  getTurns(chatId: string): ChatTurnRow[] {
    return this.#db.select().from(chatTurns).where(eq(chatTurns.chatId, chatId)).orderBy(asc(chatTurns.turn)).all();
  }

  getFeedback(chatId: string): FeedbackRow[] {
    return this.#db.select().from(chatFeedback).where(eq(chatFeedback.chatId, chatId)).all();
  }

  /** Writes one answer's feedback whole (the service merged the change into what was stored). */
  setFeedback(chatId: string, turn: number, feedback: ChatFeedback): void {
    const values = { ...feedback, updatedAt: new Date(this.#now()) };
    this.#db
      .insert(chatFeedback)
      .values({ chatId, turn, ...values })
      .onConflictDoUpdate({ target: [chatFeedback.chatId, chatFeedback.turn], set: values })
      .run();
  }

  /**
   * Chats a crash or restart left streaming can never get that answer: the turn is stored as
   * interrupted by the restart, and the chat can go on.
   */
  failInterrupted(): number {
    const at = new Date(this.#now());
    return this.#db.transaction((tx) => {
      const stuck = tx.select({ id: chats.id }).from(chats).where(eq(chats.status, 'streaming')).all();
      for (const { id } of stuck) {
        tx.update(chatTurns)
          .set({ finishReason: 'error', errorKind: 'interrupted', errorMessage: 'the server stopped before the answer finished', answeredAt: at })
          .where(and(eq(chatTurns.chatId, id), isNull(chatTurns.finishReason)))
          .run();
      }
      return tx.update(chats).set({ status: 'ready', updatedAt: at }).where(eq(chats.status, 'streaming')).run().changes;
    });
  }
}
