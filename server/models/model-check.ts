/**
 * "Test" in the model registry: a short real request showing the status, latency and the start of
 * the answer. The upstream may be hostile or an internal service an admin pointed at (SSRF), so the
 * result carries figures and our own words only: a short sample with every configured key taken
 * out, and an error summary by kind and status, never the response body.
 */
import { MODEL_CHECK_SAMPLE_CHARS, type ModelCheckErrorKind, type ModelCheckResult } from '../../protocol/models.ts';
import { runCompletion } from '../providers/run-completion.ts';
import { redactSecrets } from '../providers/sse.ts';
import type { CompletionResult, ProviderAdapter, ProviderErrorKind } from '../providers/types.ts';
import type { ModelConfig } from './config.ts';

export const TEST_PROMPT = 'Reply with one short friendly sentence.';
const CHECK_LIMITS = { maxTokens: 64, timeoutMs: 30_000, firstTokenTimeoutMs: 20_000 };

export interface CheckOptions {
  model: ModelConfig;
  adapter: ProviderAdapter;
  apiKey: string | undefined;
  /** Every key value the server knows (not only this model's): none may come back. */
  secrets: readonly string[];
  fetch?: typeof fetch;
}

export async function checkModel(opts: CheckOptions): Promise<ModelCheckResult> {
  const model: ModelConfig = {
    ...opts.model,
    maxTokens: Math.min(opts.model.maxTokens ?? CHECK_LIMITS.maxTokens, CHECK_LIMITS.maxTokens),
    timeoutMs: Math.min(opts.model.timeoutMs ?? CHECK_LIMITS.timeoutMs, CHECK_LIMITS.timeoutMs),
    firstTokenTimeoutMs: Math.min(opts.model.firstTokenTimeoutMs ?? CHECK_LIMITS.firstTokenTimeoutMs, CHECK_LIMITS.firstTokenTimeoutMs),
  };
  // The status of the (last) upstream answer, whatever the adapter makes of its body.
  let status: number | null = null;
  const baseFetch = opts.fetch ?? fetch;
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await baseFetch(input, init);
    status = res.status;
    return res;
  };
  const result = await runCompletion({
    adapter: opts.adapter,
    request: {
      model,
      messages: [...(model.systemPrompt ? [{ role: 'system' as const, content: model.systemPrompt }] : []), { role: 'user', content: TEST_PROMPT }],
      apiKey: opts.apiKey,
      fetch: recordingFetch,
    },
    signal: new AbortController().signal,
  });
  return {
    ok: result.error === null,
    status,
    ttftMs: result.ttftMs === null ? null : Math.round(result.ttftMs),
    totalMs: Math.round(result.totalMs),
    outputTokens: result.outputTokens,
    sample: sampleOf(result.text, [...opts.secrets, ...(opts.apiKey ? [opts.apiKey] : [])]),
    error: result.error ? { kind: kindOf(result.error.kind), message: summary(result.error, result.ttftMs, model) } : null,
  };
}

/** Redacted first, then cut: a key straddling the cut must not leave its first characters behind. */
export function sampleOf(text: string, secrets: readonly string[]): string {
  const clean = redactKeys(text, secrets);
  return clean.length > MODEL_CHECK_SAMPLE_CHARS ? `${clean.slice(0, MODEL_CHECK_SAMPLE_CHARS)}…` : clean;
}

/**
 * Takes every given key out of a text, as it is and in the forms an echo would show it (URL- or
 * JSON-escaped), then anything shaped like a key or a credential header value.
 */
export function redactKeys(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const key of secrets) {
    if (key.length < 4) continue;
    forms.add(key);
    forms.add(encodeURIComponent(key));
    forms.add(JSON.stringify(key).slice(1, -1));
  }
  // Longest first, so a key that contains another is taken out whole.
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('[redacted]');
  return redactSecrets(out, undefined)
    .replace(/\b(Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]');
}

/** Fails to compile if the providers gain an error kind the protocol does not list. */
function kindOf(kind: ProviderErrorKind): ModelCheckErrorKind {
  return kind;
}

/** One line in our own words; the upstream's text (which may be anything) is left out. */
function summary(error: NonNullable<CompletionResult['error']>, ttftMs: number | null, model: ModelConfig): string {
  switch (error.kind) {
    case 'http':
      return `HTTP ${error.status ?? '?'} from upstream`;
    case 'rate_limited':
      return `HTTP ${error.status ?? 429} from upstream: rate limited${error.retryAfterMs !== undefined ? ` (retry in ${Math.max(1, Math.round(error.retryAfterMs / 1000))} s)` : ''}`;
    case 'connect': {
      // Our own message ends with the network error code, e.g. "(ECONNREFUSED)".
      const code = /\(([A-Z][A-Z0-9_]+)\)$/.exec(error.message)?.[1];
      return `could not connect to the upstream${code ? ` (${code})` : ''}`;
    }
    case 'timeout':
      return ttftMs === null
        ? `no first token within ${(model.firstTokenTimeoutMs ?? CHECK_LIMITS.firstTokenTimeoutMs) / 1000} s`
        : `no complete answer within ${(model.timeoutMs ?? CHECK_LIMITS.timeoutMs) / 1000} s`;
    case 'protocol':
      return 'the upstream did not answer with a complete, readable event stream';
    case 'upstream':
      return 'the upstream sent an error instead of an answer';
    default:
      // The arena cut it short (cancelled, stopped, shutting down): nothing the upstream said.
      return 'the test was cut short before the model finished';
  }
}
