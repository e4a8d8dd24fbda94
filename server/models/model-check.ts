/** "Test" in the model registry: a short real request showing latency and the first tokens. */
import type { ModelConfig } from '../config.ts';
import { runCompletion } from '../providers/run-completion.ts';
import type { ProviderAdapter } from '../providers/types.ts';

export const TEST_PROMPT = 'Reply with one short friendly sentence.';

export interface ModelCheck {
  ok: boolean;
  ttftMs: number | null;
  totalMs: number;
  firstTokens: string;
  outputTokens: number;
  error: string | null;
}

export async function checkModel(opts: {
  model: ModelConfig;
  adapter: ProviderAdapter;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}): Promise<ModelCheck> {
  const model: ModelConfig = {
    ...opts.model,
    maxTokens: Math.min(opts.model.maxTokens ?? 64, 64),
    timeoutMs: Math.min(opts.model.timeoutMs ?? 30_000, 30_000),
    firstTokenTimeoutMs: Math.min(opts.model.firstTokenTimeoutMs ?? 20_000, 20_000),
  };
  const result = await runCompletion({
    adapter: opts.adapter,
    request: {
      model,
      messages: [...(model.systemPrompt ? [{ role: 'system' as const, content: model.systemPrompt }] : []), { role: 'user', content: TEST_PROMPT }],
      apiKey: opts.apiKey,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    },
    signal: new AbortController().signal,
  });
  return {
    ok: result.error === null,
    ttftMs: result.ttftMs === null ? null : Math.round(result.ttftMs),
    totalMs: Math.round(result.totalMs),
    firstTokens: result.text.slice(0, 200),
    outputTokens: result.outputTokens,
    error: result.error ? result.error.message : null,
  };
}
