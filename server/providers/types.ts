/**
 * The provider contract. An adapter only translates one vendor's wire format into chunks;
 * timing, token estimates, timeouts and error shaping live once, in run-completion.ts.
 */

/** The wire protocols an adapter exists for. */
export const PROVIDER_NAMES = ['demo', 'openai', 'anthropic', 'gemini'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * What an adapter needs to know of a model (the registry's ModelConfig has these and more): which
 * upstream model, where, and how to ask it.
 */
export interface ProviderModel {
  id: string;
  provider: ProviderName;
  /** For `openai` includes /v1; for `anthropic` and `gemini` the origin. Vendor default when omitted. */
  baseUrl?: string | undefined;
  /** Model name upstream; for `demo`, which built-in model. */
  model?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /** Extra request body fields merged into every upstream request. */
  extra?: Record<string, unknown> | undefined;
  timeoutMs?: number | undefined;
  firstTokenTimeoutMs?: number | undefined;
  /** `demo` only: streaming pace (0 = as fast as possible). */
  tokensPerSecond?: number | undefined;
  /** `demo` only: fail with an upstream error after this many tokens. */
  failAfterTokens?: number | undefined;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type ProviderChunk =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** Token usage as reported by the service; may arrive more than once (last one wins per field). */
  | { type: 'usage'; inputTokens?: number; outputTokens?: number }
  /** Why the service stopped. `length` = max tokens reached. */
  | { type: 'finish'; reason: 'stop' | 'length' | 'content_filter' | 'other' };

export interface ProviderRequest {
  model: ProviderModel;
  /** Full conversation, oldest first; system prompt already applied when configured. */
  messages: ChatMessage[];
  signal: AbortSignal;
  /** API key read from the environment variable named by the model (never from config). */
  apiKey: string | undefined;
  /** Injected for tests (fake clocks, fake upstreams); defaults to global fetch. */
  fetch?: typeof fetch;
}

/** Takes an answer's chunks as the adapter reads them, synchronously, inside the network read's callback. */
export type ChunkSink = (chunk: ProviderChunk) => void;

/** Streams one answer into `emit`; settles once it has been read to its end, and rejects on failure. */
export type ProviderStream = (req: ProviderRequest, emit: ChunkSink) => Promise<void>;

/**
 * An adapter yields the answer's chunks. One that reads a network stream also offers `stream`,
 * the same answer pushed chunk by chunk with no promise per token (run-completion.ts prefers it:
 * at thousands of tokens a second the async steps of an iterator were a large share of the CPU).
 */
export type ProviderAdapter = ((req: ProviderRequest) => AsyncIterable<ProviderChunk>) & { stream?: ProviderStream };

export type ProviderErrorKind =
  | 'connect' // could not reach the service
  | 'http' // non-2xx answer
  | 'rate_limited' // 429 (retryAfterMs when the service said)
  | 'timeout' // first-token or total timeout
  | 'protocol' // unparseable frame, stream ended without finishing
  | 'upstream' // error object sent by the service mid-stream
  // The arena cut the answer short, not the model (never counted against it):
  | 'aborted' // no page was watching any more
  | 'stopped' // the voter pressed Stop or left for a new battle
  | 'interrupted'; // the server shut down mid-answer

export const ARENA_CUT_KINDS = ['aborted', 'stopped', 'interrupted'] as const satisfies readonly ProviderErrorKind[];

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(kind: ProviderErrorKind, message: string, opts: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** What is recorded for one answer once it ends. */
export interface CompletionResult {
  text: string;
  reasoning: string;
  finishReason: 'stop' | 'length' | 'error';
  error: { kind: ProviderErrorKind; message: string; status?: number; retryAfterMs?: number } | null;
  inputTokens: number;
  outputTokens: number;
  /** True when either token count was estimated because the service did not report it. */
  tokensEstimated: boolean;
  /** Milliseconds from request to the first text or reasoning piece; null if none came. */
  ttftMs: number | null;
  totalMs: number;
  /** Milliseconds spent producing reasoning before the answer began (for "thought for N s"). */
  reasoningMs: number | null;
}
