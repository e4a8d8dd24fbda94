/**
 * Streams one turn of a direct chat: the model's answer forwarded to the chat's room piece by
 * piece as it arrives (joined per event-loop turn, as the arena does), stored when it ends. Live
 * state is in memory only; the database gets the finished answer.
 */
import type { ChatDelta, ChatEnd } from '../../protocol/chat.ts';
import { DeltaCoalescer, type FlushWindow } from '../arena/delta-coalescer.ts';
import { interruptionOf, publicErrorMessage, publicFailure } from '../arena/public-error.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { adapterFor } from '../providers/index.ts';
import { type LiveRequest, LiveRequests } from '../providers/live-requests.ts';
import { runCompletion } from '../providers/run-completion.ts';
import type { ChatMessage, CompletionResult, ProviderAdapter } from '../providers/types.ts';
import type { ChatAnswer, ChatStore } from './store.ts';

export interface ChatEmitter {
  delta(chatId: string, payload: ChatDelta): void;
  end(chatId: string, payload: ChatEnd): void;
}

export interface ChatRunnerDeps {
  store: ChatStore;
  registry: ModelRegistry;
  emitter: ChatEmitter;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  /** How long an answer keeps streaming with no page watching before its request is aborted. */
  abandonGraceMs?: number | undefined;
  /** When the pieces are sent (every chat's together, corked); each event-loop turn without one. */
  deltaWindow?: FlushWindow | undefined;
}

export interface LiveAnswer extends LiveRequest {
  chatId: string;
  turn: number;
  /** The pieces streamed so far, kept as they came (joined only when a page asks: view.ts). */
  text: string[];
  reasoning: string[];
}

export class ChatRunner extends LiveRequests<LiveAnswer> {
  readonly #deps: ChatRunnerDeps;

  constructor(deps: ChatRunnerDeps) {
    super('chat', deps.abandonGraceMs);
    this.#deps = deps;
  }

  /** Sends `messages` (the whole conversation, this turn's prompt last) to the model and streams its answer. */
  run(chat: { id: string; voterId: string }, turn: number, model: ModelConfig, messages: ChatMessage[]): void {
    const live: LiveAnswer = {
      chatId: chat.id,
      voterId: chat.voterId,
      turn,
      text: [],
      reasoning: [],
      controller: new AbortController(),
      done: Promise.resolve(),
      abandonTimer: null,
    };
    this.track(chat.id, live);
    live.done = this.#answer(live, model, messages)
      .catch((err: unknown) => console.error(`chat ${chat.id}: could not store the answer:`, err))
      .finally(() => this.untrack(chat.id));
  }

  async #answer(live: LiveAnswer, model: ModelConfig, messages: ChatMessage[]): Promise<void> {
    const { registry, emitter, store } = this.#deps;
    const { chatId, turn } = live;
    // The live state holds what was sent, not what arrived (as the arena's turns): a page that
    // resumes gets it as its view, and the pieces still waiting for the window reach it afterwards
    // as deltas, never twice.
    const deltas = new DeltaCoalescer((kind, text) => {
      (kind === 'text' ? live.text : live.reasoning).push(text);
      emitter.delta(chatId, kind === 'text' ? { chatId, turn, text } : { chatId, turn, text: '', reasoning: text });
    }, this.#deps.deltaWindow?.defer);
    const result = await runCompletion({
      adapter: (this.#deps.adapterFor ?? adapterFor)(model),
      request: { model, messages, apiKey: registry.apiKeyFor(model), ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}) },
      signal: live.controller.signal,
      onText: (text) => deltas.push('text', text),
      onReasoning: (reasoning) => deltas.push('reasoning', reasoning),
    });
    deltas.flush();
    let stored = true;
    try {
      await store.saveAnswer(chatId, turn, answerRow(model, result));
    } catch (err) {
      stored = false;
      console.error(`chat ${chatId}: could not store turn ${turn}:`, err);
    }
    const interruption = interruptionOf(result.error?.kind);
    emitter.end(chatId, {
      chatId,
      turn,
      finishReason: stored ? result.finishReason : 'error',
      ...(result.error
        ? { error: publicErrorMessage(result.error), failure: publicFailure(result.error.kind) }
        : stored
          ? {}
          : { failure: 'not_stored' as const }),
      ...(interruption ? { interruption } : {}),
      ...(result.reasoningMs !== null ? { reasoningMs: Math.round(result.reasoningMs) } : {}),
    });
  }
}

function answerRow(model: ModelConfig, result: CompletionResult): ChatAnswer {
  const { pricing } = model;
  return {
    finishReason: result.finishReason,
    content: result.text,
    reasoning: result.reasoning,
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    tokensEstimated: result.tokensEstimated,
    ttftMs: result.ttftMs,
    totalMs: result.totalMs,
    reasoningMs: result.reasoningMs,
    errorKind: result.error?.kind ?? null,
    errorMessage: result.error?.message ?? null,
    costUsd: pricing ? (result.inputTokens * pricing.inputPerMillion + result.outputTokens * pricing.outputPerMillion) / 1e6 : null,
  };
}
