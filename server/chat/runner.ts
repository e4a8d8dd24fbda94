/**
 * Streams one turn of a direct chat: the model's answer forwarded to the chat's room piece by
 * piece as it arrives (joined per event-loop turn, as the arena does), stored when it ends. Live
 * state is in memory only; the database gets the finished answer.
 */
import type { ChatDelta, ChatEnd } from '../../protocol/chat.ts';
import { DeltaCoalescer } from '../arena/delta-coalescer.ts';
import { interruptionOf, publicErrorMessage, publicFailure } from '../arena/public-error.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { adapterFor } from '../providers/index.ts';
import { runCompletion } from '../providers/run-completion.ts';
import { type ChatMessage, type CompletionResult, type ProviderAdapter, ProviderError } from '../providers/types.ts';
import type { ChatAnswer, ChatRepo } from './repo.ts';

export interface ChatEmitter {
  delta(chatId: string, payload: ChatDelta): void;
  end(chatId: string, payload: ChatEnd): void;
}

export interface ChatRunnerDeps {
  repo: ChatRepo;
  registry: ModelRegistry;
  emitter: ChatEmitter;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  /** How long an answer keeps streaming with no page watching before its request is aborted. */
  abandonGraceMs?: number | undefined;
}

export interface LiveAnswer {
  chatId: string;
  voterId: string;
  turn: number;
  text: string;
  reasoning: string;
  controller: AbortController;
  done: Promise<void>;
  abandonTimer: NodeJS.Timeout | null;
}

export class ChatRunner {
  readonly #deps: ChatRunnerDeps;
  readonly #live = new Map<string, LiveAnswer>();

  constructor(deps: ChatRunnerDeps) {
    this.#deps = deps;
  }

  live(chatId: string): LiveAnswer | undefined {
    return this.#live.get(chatId);
  }

  /** Answers streaming for this person; one being cut short no longer counts against the limit. */
  streamingFor(voterId: string): number {
    let n = 0;
    for (const live of this.#live.values()) if (live.voterId === voterId && !live.controller.signal.aborted) n++;
    return n;
  }

  /** Cuts the chat's running answer short for `reason` and waits until it is stored. */
  async cut(chatId: string, reason: ProviderError): Promise<void> {
    const live = this.#live.get(chatId);
    if (!live) return;
    live.controller.abort(reason);
    await live.done;
  }

  async cutAll(reason: ProviderError): Promise<void> {
    const running = [...this.#live.values()];
    for (const live of running) live.controller.abort(reason);
    await Promise.all(running.map((l) => l.done));
  }

  /** No page is watching this chat any more: abort its request unless one comes back soon. */
  detach(chatId: string): void {
    const live = this.#live.get(chatId);
    if (!live || live.abandonTimer) return;
    live.abandonTimer = setTimeout(
      () => live.controller.abort(new ProviderError('aborted', 'no page was watching the chat')),
      this.#deps.abandonGraceMs ?? 15_000,
    );
    live.abandonTimer.unref();
  }

  attach(chatId: string): void {
    const live = this.#live.get(chatId);
    if (live?.abandonTimer) {
      clearTimeout(live.abandonTimer);
      live.abandonTimer = null;
    }
  }

  /** Sends `messages` (the whole conversation, this turn's prompt last) to the model and streams its answer. */
  run(chat: { id: string; voterId: string }, turn: number, model: ModelConfig, messages: ChatMessage[]): void {
    const live: LiveAnswer = {
      chatId: chat.id,
      voterId: chat.voterId,
      turn,
      text: '',
      reasoning: '',
      controller: new AbortController(),
      done: Promise.resolve(),
      abandonTimer: null,
    };
    this.#live.set(chat.id, live);
    live.done = this.#answer(live, model, messages)
      .catch((err: unknown) => console.error(`chat ${chat.id}: could not store the answer:`, err))
      .finally(() => {
        if (live.abandonTimer) clearTimeout(live.abandonTimer);
        this.#live.delete(chat.id);
      });
  }

  async #answer(live: LiveAnswer, model: ModelConfig, messages: ChatMessage[]): Promise<void> {
    const { registry, emitter, repo } = this.#deps;
    const { chatId, turn } = live;
    const deltas = new DeltaCoalescer((kind, text) =>
      emitter.delta(chatId, kind === 'text' ? { chatId, turn, text } : { chatId, turn, text: '', reasoning: text }),
    );
    const result = await runCompletion({
      adapter: (this.#deps.adapterFor ?? adapterFor)(model),
      request: { model, messages, apiKey: registry.apiKeyFor(model), ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}) },
      signal: live.controller.signal,
      onText: (text) => {
        live.text += text;
        deltas.push('text', text);
      },
      onReasoning: (reasoning) => {
        live.reasoning += reasoning;
        deltas.push('reasoning', reasoning);
      },
    });
    deltas.flush();
    let stored = true;
    try {
      repo.saveAnswer(chatId, turn, answerRow(model, result));
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
