/**
 * Runs one adapter to completion: forwards pieces as they arrive, enforces first-token and total
 * timeouts, measures timings, estimates tokens the service did not report, and turns every failure
 * into a recorded result instead of a thrown error (one side failing never disturbs the other).
 */

import { redactSecrets } from './sse.ts';
import type { ChatMessage, CompletionResult, ProviderAdapter, ProviderChunk, ProviderRequest } from './types.ts';
import { ProviderError } from './types.ts';

export interface RunOptions {
  adapter: ProviderAdapter;
  request: Omit<ProviderRequest, 'signal'>;
  /** Aborted when the user goes away. */
  signal: AbortSignal;
  onText?: (text: string) => void;
  onReasoning?: (text: string) => void;
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 60_000;

/** Rough token count (~4 characters a token), used only when the service reports none. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(text.length / 4));
}

export function estimateMessagesTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0);
}

export async function runCompletion(opts: RunOptions): Promise<CompletionResult> {
  const now = opts.now ?? (() => performance.now());
  const { model } = opts.request;
  const totalTimeoutMs = model.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const firstTokenTimeoutMs = model.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;

  const controller = new AbortController();
  // Read per piece: a plain flag, where `signal.aborted` validates its receiver on every read.
  let aborted = false;
  controller.signal.addEventListener(
    'abort',
    () => {
      aborted = true;
    },
    { once: true },
  );
  let timeoutKind: 'first token' | 'total' | null = null;
  // The caller's reason (stopped, server shutting down) is kept when it is one of ours.
  const abortFromUser = () =>
    controller.abort(opts.signal.reason instanceof ProviderError ? opts.signal.reason : new ProviderError('aborted', 'the request was cancelled'));
  if (opts.signal.aborted) abortFromUser();
  else opts.signal.addEventListener('abort', abortFromUser, { once: true });
  const totalTimer = setTimeout(() => {
    timeoutKind = 'total';
    controller.abort(new ProviderError('timeout', `no complete answer within ${totalTimeoutMs / 1000} s`));
  }, totalTimeoutMs);
  let firstTokenTimer: NodeJS.Timeout | undefined = setTimeout(() => {
    timeoutKind = 'first token';
    controller.abort(new ProviderError('timeout', `no first token within ${firstTokenTimeoutMs / 1000} s`));
  }, firstTokenTimeoutMs);

  const started = now();
  let ttftMs: number | null = null;
  let answerStartedAt: number | null = null;
  let reasoningStartedAt: number | null = null;
  // Pieces are kept and joined once at the end, not re-concatenated per token.
  const textParts: string[] = [];
  const reasoningParts: string[] = [];
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let finish: 'stop' | 'length' | 'content_filter' | 'other' | undefined;
  let error: CompletionResult['error'] = null;

  const markFirstPiece = () => {
    if (ttftMs !== null) return;
    ttftMs = now() - started;
    clearTimeout(firstTokenTimer);
    firstTokenTimer = undefined;
  };

  const take = (chunk: ProviderChunk) => {
    switch (chunk.type) {
      case 'text':
        if (chunk.text.length === 0) break;
        markFirstPiece();
        answerStartedAt ??= now();
        textParts.push(chunk.text);
        opts.onText?.(chunk.text);
        break;
      case 'reasoning':
        if (chunk.text.length === 0) break;
        markFirstPiece();
        reasoningStartedAt ??= now();
        reasoningParts.push(chunk.text);
        opts.onReasoning?.(chunk.text);
        break;
      case 'usage':
        if (chunk.inputTokens !== undefined) inputTokens = chunk.inputTokens;
        if (chunk.outputTokens !== undefined) outputTokens = chunk.outputTokens;
        break;
      case 'finish':
        finish = chunk.reason;
        break;
    }
  };

  try {
    const request = { ...opts.request, signal: controller.signal };
    const { stream } = opts.adapter;
    if (stream) {
      // Pushed in the network read's callback: nothing after an abort counts.
      await stream(request, (chunk) => {
        if (!aborted) take(chunk);
      });
    } else {
      for await (const chunk of opts.adapter(request)) {
        if (aborted) break;
        take(chunk);
      }
    }
    if (controller.signal.aborted) throw controller.signal.reason;
    if (finish === undefined) {
      throw new ProviderError('protocol', 'the stream ended before the model finished its answer');
    }
  } catch (err) {
    error = toErrorRecord(controller.signal.aborted ? (controller.signal.reason ?? err) : err, timeoutKind);
    // Every message is stored and shown to admins: take the key out whatever path produced it.
    error.message = redactSecrets(error.message, opts.request.apiKey);
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(firstTokenTimer);
    opts.signal.removeEventListener('abort', abortFromUser);
  }

  const end = now();
  const reasoningMs = reasoningStartedAt !== null ? (answerStartedAt ?? end) - started : null;
  const estimated = inputTokens === undefined || outputTokens === undefined;
  const text = textParts.join('');
  const reasoning = reasoningParts.join('');
  return {
    text,
    reasoning,
    finishReason: error ? 'error' : finish === 'length' ? 'length' : 'stop',
    error,
    inputTokens: inputTokens ?? estimateMessagesTokens(opts.request.messages),
    outputTokens: outputTokens ?? estimateTokens(text) + estimateTokens(reasoning),
    tokensEstimated: estimated,
    ttftMs,
    totalMs: end - started,
    reasoningMs,
  };
}

function toErrorRecord(err: unknown, timeoutKind: string | null): NonNullable<CompletionResult['error']> {
  if (err instanceof ProviderError) {
    return {
      kind: err.kind,
      message: err.message,
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    };
  }
  if (timeoutKind) return { kind: 'timeout', message: `${timeoutKind} timeout` };
  const message = err instanceof Error ? err.message : String(err);
  // fetch() rejects with a TypeError whose cause carries ECONNREFUSED and friends.
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return { kind: 'connect', message: `${message}${cause}` };
}
