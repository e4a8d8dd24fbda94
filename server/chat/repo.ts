/** Direct chats, their turns and the feedback on each answer in SQLite (db/schema-chat.ts): the ChatStore of store.ts. */
import { and, asc, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { chatFeedback, chats, chatTurns } from '../../db/schema-chat.ts';
import type { ChatFeedback } from '../../protocol/chat.ts';
import { type ChatAnswer, type ChatRow, type ChatStore, type ChatTurnRow, type FeedbackRow, INTERRUPTED_ANSWER, readyAt } from './store.ts';

// better-sqlite3 answers at once; the methods are async only to share the interface with PostgreSQL.
export class ChatRepo implements ChatStore {
  readonly #db: Db;
  readonly #now: () => number;
  /** This instance: chats it streams carry its id (chats.instance_id), as battles do. */
  readonly #instanceId: string;

  constructor(db: Db, now: () => number = Date.now, instanceId = 'local') {
    this.#db = db;
    this.#now = now;
    this.#instanceId = instanceId;
  }

  async createChat(c: { id: string; voterId: string; modelId: string; prompt: string }): Promise<void> {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.insert(chats)
        .values({ id: c.id, voterId: c.voterId, modelId: c.modelId, status: 'streaming', turns: 1, instanceId: this.#instanceId, createdAt: at, updatedAt: at })
        .run();
      tx.insert(chatTurns).values({ chatId: c.id, turn: 1, prompt: c.prompt, createdAt: at }).run();
    });
  }

  async addTurn(chatId: string, turn: number, prompt: string): Promise<boolean> {
    const at = new Date(this.#now());
    return this.#db.transaction((tx) => {
      const claimed = tx
        .update(chats)
        .set({ turns: turn, status: 'streaming', instanceId: this.#instanceId, updatedAt: at })
        .where(and(eq(chats.id, chatId), eq(chats.turns, turn - 1), or(eq(chats.status, 'ready'), eq(chats.instanceId, this.#instanceId))))
        .run().changes;
      if (claimed === 0) return false;
      tx.insert(chatTurns).values({ chatId, turn, prompt, createdAt: at }).run();
      return true;
    });
  }

  async saveAnswer(chatId: string, turn: number, answer: ChatAnswer): Promise<void> {
    const at = new Date(this.#now());
    this.#db.transaction((tx) => {
      tx.update(chats)
        .set(readyAt(at))
        .where(and(eq(chats.id, chatId), eq(chats.turns, turn)))
        .run();
      tx.update(chatTurns)
        .set({ ...answer, answeredAt: at })
        .where(and(eq(chatTurns.chatId, chatId), eq(chatTurns.turn, turn), isNull(chatTurns.finishReason)))
        .run();
    });
  }

  async getChat(chatId: string): Promise<ChatRow | undefined> {
    return this.#db.select().from(chats).where(eq(chats.id, chatId)).get();
  }

  async getTurns(chatId: string): Promise<ChatTurnRow[]> {
    return this.#db.select().from(chatTurns).where(eq(chatTurns.chatId, chatId)).orderBy(asc(chatTurns.turn)).all();
  }

  async getFeedback(chatId: string): Promise<FeedbackRow[]> {
    return this.#db.select().from(chatFeedback).where(eq(chatFeedback.chatId, chatId)).all();
  }

  async setFeedback(chatId: string, turn: number, feedback: ChatFeedback): Promise<void> {
    const values = { ...feedback, updatedAt: new Date(this.#now()) };
    this.#db
      .insert(chatFeedback)
      .values({ chatId, turn, ...values })
      .onConflictDoUpdate({ target: [chatFeedback.chatId, chatFeedback.turn], set: values })
      .run();
  }

  async failInterrupted(opts: { alone: boolean } = { alone: true }): Promise<number> {
    return this.#failWhere(opts.alone ? undefined : or(isNull(chats.instanceId), eq(chats.instanceId, this.#instanceId)));
  }

  async streamingElsewhere(voterId: string): Promise<number> {
    const row = this.#db
      .select({ n: sql<number>`count(*)` })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), eq(chats.voterId, voterId), ne(chats.instanceId, this.#instanceId)))
      .get();
    return row?.n ?? 0;
  }

  async streamingInstances(): Promise<string[]> {
    return this.#db
      .selectDistinct({ instanceId: chats.instanceId })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), isNotNull(chats.instanceId), ne(chats.instanceId, this.#instanceId)))
      .all()
      .map((r) => r.instanceId!);
  }

  async failStreamingOf(instanceIds: readonly string[]): Promise<number> {
    return instanceIds.length === 0 ? 0 : this.#failWhere(inArray(chats.instanceId, [...instanceIds]));
  }

  #failWhere(which: SQL | undefined): number {
    const at = new Date(this.#now());
    const streaming = which ? and(eq(chats.status, 'streaming'), which) : eq(chats.status, 'streaming');
    return this.#db.transaction((tx) => {
      const stuck = tx.select({ id: chats.id }).from(chats).where(streaming).all();
      if (stuck.length === 0) return 0;
      const ids = stuck.map((c) => c.id);
      tx.update(chatTurns)
        .set({ ...INTERRUPTED_ANSWER, answeredAt: at })
        .where(and(inArray(chatTurns.chatId, ids), isNull(chatTurns.finishReason)))
        .run();
      return tx
        .update(chats)
        .set(readyAt(at))
        .where(and(streaming, inArray(chats.id, ids)))
        .run().changes;
    });
  }
}
