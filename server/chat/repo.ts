/** SQL for direct chats, their turns and the feedback on each answer. No rules here: the service decides, this writes. */
import { and, asc, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
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
  /** This instance: chats it streams carry its id (chats.instance_id), as battles do. */
  readonly #instanceId: string;

  constructor(db: Db, now: () => number = Date.now, instanceId = 'local') {
    this.#db = db;
    this.#now = now;
    this.#instanceId = instanceId;
  }

  createChat(c: { id: string; voterId: string; modelId: string; prompt: string }): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(chats)
        .values({ id: c.id, voterId: c.voterId, modelId: c.modelId, status: 'streaming', turns: 1, instanceId: this.#instanceId, createdAt: at, updatedAt: at })
        .run();
      tx.insert(chatTurns).values({ chatId: c.id, turn: 1, prompt: c.prompt, createdAt: at }).run();
    });
  }

  addTurn(chatId: string, turn: number, prompt: string): void {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(chatTurns).values({ chatId, turn, prompt, createdAt: at }).run();
      tx.update(chats).set({ turns: turn, status: 'streaming', instanceId: this.#instanceId, updatedAt: at }).where(eq(chats.id, chatId)).run();
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
   * interrupted by the restart, and the chat can go on. Among instances, only this instance's own
   * (and those stored before instances were named); a dead peer's go through `failStreamingOf`.
   */
  failInterrupted(opts: { alone: boolean } = { alone: true }): number {
    return this.#failWhere(opts.alone ? undefined : or(isNull(chats.instanceId), eq(chats.instanceId, this.#instanceId)));
  }

  /** The voter's chats whose answer another instance streams now (they count against the voter's concurrency limit). */
  streamingElsewhere(voterId: string): number {
    const row = this.#db
      .select({ n: sql<number>`count(*)` })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), eq(chats.voterId, voterId), ne(chats.instanceId, this.#instanceId)))
      .get();
    return row?.n ?? 0;
  }

  /** The other instances that stream a chat's answer now. */
  streamingInstances(): string[] {
    return this.#db
      .selectDistinct({ instanceId: chats.instanceId })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), isNotNull(chats.instanceId), ne(chats.instanceId, this.#instanceId)))
      .all()
      .map((r) => r.instanceId!);
  }

  /** The streaming chats of instances found dead: their answers are stored as interrupted. */
  failStreamingOf(instanceIds: readonly string[]): number {
    return instanceIds.length === 0 ? 0 : this.#failWhere(inArray(chats.instanceId, [...instanceIds]));
  }

  #failWhere(which: SQL | undefined): number {
    const at = new Date(this.#now());
    const streaming = which ? and(eq(chats.status, 'streaming'), which) : eq(chats.status, 'streaming');
    return this.#db.transaction((tx) => {
      const stuck = tx.select({ id: chats.id }).from(chats).where(streaming).all();
      for (const { id } of stuck) {
        tx.update(chatTurns)
          .set({ finishReason: 'error', errorKind: 'interrupted', errorMessage: 'the server stopped before the answer finished', answeredAt: at })
          .where(and(eq(chatTurns.chatId, id), isNull(chatTurns.finishReason)))
          .run();
      }
      if (stuck.length === 0) return 0;
      return tx
        .update(chats)
        .set({ status: 'ready', updatedAt: at })
        .where(
          and(
            streaming,
            inArray(
              chats.id,
              stuck.map((c) => c.id),
            ),
          ),
        )
        .run().changes;
    });
  }
}
