/** Direct chats, their turns and the feedback on each answer in PostgreSQL (db/pg/schema-chat.ts): the ChatStore of store.ts. */
import { and, asc, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { chatFeedback, chats, chatTurns } from '../../db/pg/schema-chat.ts';
import type { ChatFeedback } from '../../protocol/chat.ts';
import { type ChatAnswer, type ChatRow, type ChatStore, type ChatTurnRow, type FeedbackRow, INTERRUPTED_ANSWER, readyAt } from './store.ts';

export class PgChatRepo implements ChatStore {
  readonly #db: PgDb;
  readonly #now: () => number;
  readonly #instanceId: string;

  constructor(db: PgDb, now: () => number = Date.now, instanceId = 'local') {
    this.#db = db;
    this.#now = now;
    this.#instanceId = instanceId;
  }

  async createChat(c: { id: string; voterId: string; modelId: string; prompt: string }): Promise<void> {
    const at = new Date(this.#now());
    await this.#db.transaction(async (tx) => {
      await tx.insert(chats).values({
        id: c.id,
        voterId: c.voterId,
        modelId: c.modelId,
        status: 'streaming',
        turns: 1,
        instanceId: this.#instanceId,
        createdAt: at,
        updatedAt: at,
      });
      await tx.insert(chatTurns).values({ chatId: c.id, turn: 1, prompt: c.prompt, createdAt: at });
    });
  }

  async addTurn(chatId: string, turn: number, prompt: string): Promise<boolean> {
    const at = new Date(this.#now());
    return this.#db.transaction(async (tx) => {
      // The conditional update is the guard between instances: a second send of the same turn
      // waits on the row, then finds the turn taken. (This instance's own chat may be left
      // streaming by an answer it could not store: the service knows it runs no answer for it.)
      const claimed = await tx
        .update(chats)
        .set({ turns: turn, status: 'streaming', instanceId: this.#instanceId, updatedAt: at })
        .where(and(eq(chats.id, chatId), eq(chats.turns, turn - 1), or(eq(chats.status, 'ready'), eq(chats.instanceId, this.#instanceId))));
      if (claimed.rowCount !== 1) return false;
      await tx.insert(chatTurns).values({ chatId, turn, prompt, createdAt: at });
      return true;
    });
  }

  async saveAnswer(chatId: string, turn: number, answer: ChatAnswer): Promise<void> {
    const at = new Date(this.#now());
    await this.#db.transaction(async (tx) => {
      // The chat row first, as the reaper (#failWhere) locks it: the same order, no deadlock.
      await tx
        .update(chats)
        .set(readyAt(at))
        .where(and(eq(chats.id, chatId), eq(chats.turns, turn)));
      await tx
        .update(chatTurns)
        .set({ ...answer, answeredAt: at })
        .where(and(eq(chatTurns.chatId, chatId), eq(chatTurns.turn, turn), isNull(chatTurns.finishReason)));
    });
  }

  async getChat(chatId: string): Promise<ChatRow | undefined> {
    const [row] = await this.#db.select().from(chats).where(eq(chats.id, chatId));
    return row;
  }

  getTurns(chatId: string): Promise<ChatTurnRow[]> {
    return this.#db.select().from(chatTurns).where(eq(chatTurns.chatId, chatId)).orderBy(asc(chatTurns.turn));
  }

  getFeedback(chatId: string): Promise<FeedbackRow[]> {
    return this.#db.select().from(chatFeedback).where(eq(chatFeedback.chatId, chatId));
  }

  async setFeedback(chatId: string, turn: number, feedback: ChatFeedback): Promise<void> {
    const values = { ...feedback, updatedAt: new Date(this.#now()) };
    await this.#db
      .insert(chatFeedback)
      .values({ chatId, turn, ...values })
      .onConflictDoUpdate({ target: [chatFeedback.chatId, chatFeedback.turn], set: values });
  }

  failInterrupted(opts: { alone: boolean } = { alone: true }): Promise<number> {
    return this.#failWhere(opts.alone ? undefined : or(isNull(chats.instanceId), eq(chats.instanceId, this.#instanceId)));
  }

  async streamingElsewhere(voterId: string): Promise<number> {
    const [row] = await this.#db
      .select({ n: sql<number>`count(*)::int` })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), eq(chats.voterId, voterId), ne(chats.instanceId, this.#instanceId)));
    return row?.n ?? 0;
  }

  async streamingInstances(): Promise<string[]> {
    const rows = await this.#db
      .selectDistinct({ instanceId: chats.instanceId })
      .from(chats)
      .where(and(eq(chats.status, 'streaming'), isNotNull(chats.instanceId), ne(chats.instanceId, this.#instanceId)));
    return rows.map((r) => r.instanceId!);
  }

  async failStreamingOf(instanceIds: readonly string[]): Promise<number> {
    return instanceIds.length === 0 ? 0 : this.#failWhere(inArray(chats.instanceId, [...instanceIds]));
  }

  async #failWhere(which: SQL | undefined): Promise<number> {
    const at = new Date(this.#now());
    const streaming = which ? and(eq(chats.status, 'streaming'), which) : eq(chats.status, 'streaming');
    return this.#db.transaction(async (tx) => {
      // Locked, so an answer stored meanwhile by its (live after all) instance is not overwritten.
      const stuck = await tx.select({ id: chats.id }).from(chats).where(streaming).for('update');
      if (stuck.length === 0) return 0;
      const ids = stuck.map((c) => c.id);
      await tx
        .update(chatTurns)
        .set({ ...INTERRUPTED_ANSWER, answeredAt: at })
        .where(and(inArray(chatTurns.chatId, ids), isNull(chatTurns.finishReason)));
      const reset = await tx
        .update(chats)
        .set(readyAt(at))
        .where(and(streaming, inArray(chats.id, ids)));
      return reset.rowCount ?? 0;
    });
  }
}
