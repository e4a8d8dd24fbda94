/**
 * Direct chat's rules: who may chat with which model (admins any registry model, to try one before
 * it battles; everyone else the enabled, public ones), whose chat is whose, the limits, feedback.
 * Streaming is the ChatRunner's job. Nothing here touches votes, ratings or the standings.
 */
import { randomUUID } from 'node:crypto';
import type { ChatFeedback, ChatFeedbackInput, ChatModel, ChatView } from '../../protocol/chat.ts';
import type { BattleGuard, Caller } from '../limits/battle-guard.ts';
import type { ModelConfig } from '../models/config.ts';
import { type ModelRegistry, toPublicModel } from '../models/registry.ts';
import { ProviderError } from '../providers/types.ts';
import { AppError } from '../transport/errors.ts';
import type { ChatRunner } from './runner.ts';
import type { ChatRow, ChatStore } from './store.ts';
import { chatView, conversation, feedbackOf } from './view.ts';

/** Who is asking: their battles' caller, and whether they are an admin (who may chat with switched-off models). */
export interface ChatCaller extends Caller {
  admin: boolean;
}

export interface ChatServiceDeps {
  store: ChatStore;
  registry: ModelRegistry;
  runner: ChatRunner;
  guard: BattleGuard;
  /** Other instances stream chats too: a voter's chats streaming there count against the concurrency limit. */
  shared?: boolean;
}

export class ChatService {
  readonly #deps: ChatServiceDeps;
  #closing = false;

  constructor(deps: ChatServiceDeps) {
    this.#deps = deps;
  }

  /** The models this caller may chat with, enabled ones first. */
  models(caller: Pick<ChatCaller, 'admin'>): ChatModel[] {
    const { registry } = this.#deps;
    const offered = caller.admin ? registry.all() : registry.enabled();
    return offered.map((m) => ({ ...toPublicModel(m), enabled: m.enabled })).sort((a, b) => Number(b.enabled) - Number(a.enabled));
  }

  async start(caller: ChatCaller, modelId: string, prompt: string): Promise<{ chatId: string }> {
    this.#refuseWhileClosing();
    const model = this.#model(caller, modelId);
    await this.#deps.guard.checkStart(caller, prompt, await this.#streaming(caller.voterId));
    this.#refuseWhileClosing();
    const chatId = randomUUID();
    await this.#deps.store.createChat({ id: chatId, voterId: caller.voterId, modelId: model.id, prompt });
    this.#deps.runner.run({ id: chatId, voterId: caller.voterId }, 1, model, conversation(model.systemPrompt, [], prompt));
    return { chatId };
  }

  async send(caller: ChatCaller, chatId: string, prompt: string): Promise<void> {
    this.#refuseWhileClosing();
    const before = await this.owned(caller.voterId, chatId);
    if (this.#deps.runner.live(chatId)) throw new AppError('not_finished', 'the answer must finish first');
    // The model may have been switched off (or removed) since the chat began: the same rule as for a new chat.
    const model = this.#deps.registry.get(before.modelId);
    if (!model || (!model.enabled && !caller.admin)) throw new AppError('unavailable', 'this model is no longer available; start a chat with another');
    await this.#deps.guard.checkTurn(caller, prompt, before.turns + 1, await this.#streaming(caller.voterId));
    this.#refuseWhileClosing();
    // Read again after the wait: a second send of the same turn must not start it twice.
    const chat = await this.owned(caller.voterId, chatId);
    const notFinished = () => new AppError('not_finished', 'the answer must finish first');
    if (this.#deps.runner.live(chatId) || chat.turns !== before.turns) throw notFinished();
    const turn = chat.turns + 1;
    const earlier = await this.#deps.store.getTurns(chatId);
    // The store takes the turn only if no send (here or on another instance) took it meanwhile.
    if (!(await this.#deps.store.addTurn(chatId, turn, prompt))) throw notFinished();
    this.#deps.runner.run(chat, turn, model, conversation(model.systemPrompt, earlier, prompt));
  }

  /** Cuts the running answer short (stored with what came so far); the chat can go on. Idempotent. */
  async stop(voterId: string, chatId: string): Promise<void> {
    await this.owned(voterId, chatId);
    await this.#deps.runner.cut(chatId, new ProviderError('stopped', 'stopped by the user'));
  }

  async view(voterId: string, chatId: string): Promise<ChatView> {
    const chat = await this.owned(voterId, chatId);
    const { store, registry, runner } = this.#deps;
    let [turns, feedback] = await Promise.all([store.getTurns(chatId), store.getFeedback(chatId)]);
    const live = runner.live(chatId);
    // An answer of this instance's that ended while the rows were read is stored by now (the
    // runner lets go of it only after its save): read the turns again so the view has it.
    if (!live && turns.at(-1)?.finishReason === null) turns = await store.getTurns(chatId);
    const name = registry.get(chat.modelId)?.name ?? chat.modelId;
    return chatView(chat, { turns, feedback }, live, { id: chat.modelId, name });
  }

  /** Thumbs up or down and the flag on one finished answer; fields left out keep their stored value. */
  async feedback(voterId: string, input: ChatFeedbackInput): Promise<ChatFeedback> {
    const { chatId, turn } = input;
    await this.owned(voterId, chatId);
    const { store } = this.#deps;
    const row = (await store.getTurns(chatId)).find((t) => t.turn === turn);
    if (!row) throw new AppError('not_found', 'no such turn in this chat', { field: 'turn' });
    if (row.finishReason === null) throw new AppError('not_finished', 'the answer must finish first');
    const before = feedbackOf((await store.getFeedback(chatId)).find((f) => f.turn === turn));
    const flagged = input.flagged ?? before.flagged;
    const after: ChatFeedback = {
      rating: input.rating === undefined ? before.rating : input.rating,
      flagged,
      // A new flag brings its own reason (or none); unflagging drops it.
      reason: !flagged ? null : input.flagged ? input.reason || null : before.reason,
    };
    await store.setFeedback(chatId, turn, after);
    return after;
  }

  detach(chatId: string): void {
    this.#deps.runner.detach(chatId);
  }

  attach(chatId: string): void {
    this.#deps.runner.attach(chatId);
  }

  /**
   * Shuts down: refuses new chats and turns, lets the running answers finish for up to `budgetMs`,
   * then cuts those left (stored as interrupted by the restart) and waits until each is stored.
   */
  async drain(budgetMs: number): Promise<void> {
    this.#closing = true;
    if (!(await this.#deps.runner.settled(budgetMs))) await this.#deps.runner.cutAll(new ProviderError('interrupted', 'the server shut down'));
  }

  /** Whether this instance streams the chat's answer now. */
  streams(chatId: string): boolean {
    return this.#deps.runner.live(chatId) !== undefined;
  }

  /** The voter's chats streaming now, on this instance and (with peers) on the others. */
  async #streaming(voterId: string): Promise<number> {
    return this.#deps.runner.streamingFor(voterId) + (this.#deps.shared ? await this.#deps.store.streamingElsewhere(voterId) : 0);
  }

  #refuseWhileClosing(): void {
    if (this.#closing) throw new AppError('unavailable', 'the server is restarting; try again in a moment', { retryAfterMs: 1000 });
  }

  #model(caller: ChatCaller, modelId: string): ModelConfig {
    const model = this.#deps.registry.get(modelId);
    // A switched-off model answers like a missing one for anyone but an admin.
    if (!model || (!model.enabled && !caller.admin)) throw new AppError('invalid_input', 'modelId: no such model', { field: 'modelId' });
    return model;
  }

  /** The voter's chat; anyone else's (or none) is `not_found`. */
  async owned(voterId: string, chatId: string): Promise<ChatRow> {
    const chat = await this.#deps.store.getChat(chatId);
    // Someone else's chat answers exactly like a missing one: ids are not an oracle.
    if (!chat || chat.voterId !== voterId) throw new AppError('not_found', 'no such chat', { field: 'chatId' });
    return chat;
  }
}
