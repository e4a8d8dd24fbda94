/** State of the direct chat on screen: the models offered, the conversation streaming in, stop, and feedback per answer. */
import type { ChatDelta, ChatEnd, ChatFeedback, ChatModel, ChatRating, ChatView } from '../../../protocol/chat.ts';
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { AnswerView } from '../../../protocol/types.ts';
import { type ArenaSocket, isError } from './socket.ts';

export interface ChatTurnState {
  readonly turn: number;
  readonly prompt: string;
  readonly answer: Readonly<AnswerView>;
  readonly feedback: Readonly<ChatFeedback>;
}

type LiveTurn = ChatView['turns'][number];

/** The server's refusal (worded by the page from its code), or the server could not be reached. */
export type ChatProblem = ErrorBody | { unreachable: 'stop' | 'feedback' };

const CURRENT_KEY = 'arena.currentChat';
const emptyAnswer = (): AnswerView => ({ text: '', reasoning: '', reasoningMs: null, finishReason: null, error: null, failure: null, interruption: null });
const noFeedback = (): ChatFeedback => ({ rating: null, flagged: false, reason: null });

export class ChatState {
  #models = $state.raw<ChatModel[] | null>(null);
  #modelsError = $state<ErrorBody | null>(null);
  #modelId = $state<string | null>(null);
  #chatId = $state<string | null>(null);
  #model = $state.raw<{ id: string; name: string } | null>(null);
  #turns = $state<LiveTurn[]>([]);
  #error = $state<ChatProblem | null>(null);
  #busy = $state(false);
  #stopping = $state(false);

  readonly #socket: ArenaSocket;
  readonly #listeners = {
    delta: (d: ChatDelta) => this.#onDelta(d),
    end: (e: ChatEnd) => this.#onEnd(e),
    // A new connection is not in the chat's room: pick the chat up again (missed pieces too).
    reconnect: () => {
      if (this.#chatId) void this.resume();
    },
  };

  constructor(socket: ArenaSocket) {
    this.#socket = socket;
    socket.on('chat:delta', this.#listeners.delta);
    socket.on('chat:end', this.#listeners.end);
    socket.on('connect', this.#listeners.reconnect);
  }

  destroy(): void {
    this.#socket.off('chat:delta', this.#listeners.delta);
    this.#socket.off('chat:end', this.#listeners.end);
    this.#socket.off('connect', this.#listeners.reconnect);
  }

  /** The models this person may chat with (null while loading). */
  get models(): readonly ChatModel[] | null {
    return this.#models;
  }
  get modelsError(): ErrorBody | null {
    return this.#modelsError;
  }
  /** The model chosen for the next chat. */
  get modelId(): string | null {
    return this.#modelId;
  }
  get chatId(): string | null {
    return this.#chatId;
  }
  /** The model of the chat on screen, or else the one chosen. */
  get model(): { id: string; name: string } | null {
    return this.#model ?? this.#models?.find((m) => m.id === this.#modelId) ?? null;
  }
  get turns(): readonly ChatTurnState[] {
    return this.#turns;
  }
  get error(): ChatProblem | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get stopping(): boolean {
    return this.#stopping;
  }
  get streaming(): boolean {
    const last = this.#turns.at(-1);
    return last !== undefined && last.answer.finishReason === null;
  }
  get canPrompt(): boolean {
    return !this.#busy && !this.streaming && (this.#chatId !== null || this.#modelId !== null);
  }

  async loadModels(): Promise<void> {
    const reply = await this.#socket.emitWithAck('chat:models', {});
    if (isError(reply)) {
      this.#modelsError = reply.error;
      return;
    }
    this.#models = reply.models;
    if (!this.#modelId || !reply.models.some((m) => m.id === this.#modelId)) this.#modelId = reply.models[0]?.id ?? null;
  }

  /** Chooses the model of the next chat (the chat on screen keeps its own). */
  choose(modelId: string): void {
    this.#modelId = modelId;
  }

  /** Sends a message (a new chat, or the next turn); false when the server refused it (the reason is in `error`). */
  async send(prompt: string): Promise<boolean> {
    if (!this.canPrompt) return false;
    this.#error = null;
    this.#busy = true;
    this.#turns.push({ turn: this.#turns.length + 1, prompt, answer: emptyAnswer(), feedback: noFeedback() });
    try {
      const reply = this.#chatId ? await this.#socket.emitWithAck('chat:send', { chatId: this.#chatId, prompt }) : await this.#start(prompt);
      if (isError(reply)) {
        this.#turns.pop();
        this.#error = reply.error;
        return false;
      }
      return true;
    } finally {
      this.#busy = false;
    }
  }

  async #start(prompt: string) {
    const model = this.model;
    const reply = await this.#socket.emitWithAck('chat:start', { modelId: this.#modelId ?? '', prompt });
    if (!isError(reply)) {
      this.#chatId = reply.chatId;
      this.#model = model ? { id: model.id, name: model.name } : null;
      sessionStorage.setItem(CURRENT_KEY, reply.chatId);
    }
    return reply;
  }

  /** Cuts the answer short; the chat can go on. */
  async stop(): Promise<void> {
    if (!this.#chatId || !this.streaming || this.#stopping) return;
    this.#stopping = true;
    try {
      const reply = await this.#socket.timeout(10_000).emitWithAck('chat:stop', { chatId: this.#chatId });
      if (isError(reply)) this.#error = reply.error;
    } catch {
      this.#error = { unreachable: 'stop' };
    } finally {
      this.#stopping = false;
    }
  }

  /** Leaves this chat for a fresh one (an answer still coming is stopped, so it stops costing unseen). */
  async newChat(): Promise<void> {
    if (this.streaming) await this.stop();
    sessionStorage.removeItem(CURRENT_KEY);
    this.#chatId = null;
    this.#model = null;
    this.#turns = [];
    this.#error = null;
  }

  /** Thumbs up or down on an answer; the same thumb again clears it. */
  rate(turn: number, rating: ChatRating): Promise<boolean> {
    const current = this.#turns.find((t) => t.turn === turn)?.feedback.rating ?? null;
    return this.#feedback(turn, { rating: current === rating ? null : rating });
  }

  flag(turn: number, reason: string): Promise<boolean> {
    const trimmed = reason.trim();
    return this.#feedback(turn, { flagged: true, ...(trimmed ? { reason: trimmed } : {}) });
  }

  unflag(turn: number): Promise<boolean> {
    return this.#feedback(turn, { flagged: false });
  }

  async #feedback(turn: number, change: { rating?: ChatRating | null; flagged?: boolean; reason?: string }): Promise<boolean> {
    const target = this.#turns.find((t) => t.turn === turn);
    if (!this.#chatId || !target) return false;
    this.#error = null;
    try {
      const reply = await this.#socket.timeout(10_000).emitWithAck('chat:feedback', { chatId: this.#chatId, turn, ...change });
      if (isError(reply)) {
        this.#error = reply.error;
        return false;
      }
      target.feedback = reply.feedback;
      return true;
    } catch {
      this.#error = { unreachable: 'feedback' };
      return false;
    }
  }

  /** After a reload or a reconnect, pick up the chat this tab was in. */
  async resume(): Promise<void> {
    const chatId = sessionStorage.getItem(CURRENT_KEY);
    if (!chatId) return;
    const reply = await this.#socket.emitWithAck('chat:resume', { chatId });
    if (isError(reply)) {
      if (reply.error.code !== 'unavailable') sessionStorage.removeItem(CURRENT_KEY);
      return;
    }
    const { chat } = reply;
    this.#chatId = chat.chatId;
    this.#model = chat.model;
    this.#turns = chat.turns.map((t) => ({ ...t, answer: { ...t.answer }, feedback: { ...t.feedback } }));
  }

  #answer(chatId: string, turn: number): AnswerView | undefined {
    if (chatId !== this.#chatId && !(this.#chatId === null && this.#busy)) return undefined;
    return this.#turns.find((t) => t.turn === turn)?.answer;
  }

  #onDelta(d: ChatDelta): void {
    const answer = this.#answer(d.chatId, d.turn);
    if (!answer) return;
    if (d.reasoning) answer.reasoning += d.reasoning;
    else answer.text += d.text;
  }

  #onEnd(e: ChatEnd): void {
    const answer = this.#answer(e.chatId, e.turn);
    if (!answer) return;
    answer.finishReason = e.finishReason;
    answer.error = e.error ?? null;
    answer.failure = e.failure ?? null;
    answer.reasoningMs = e.reasoningMs ?? null;
    answer.interruption = e.interruption ?? null;
  }
}
