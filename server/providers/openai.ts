/**
 * OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, OpenRouter,
 * Together, Groq, DeepSeek…): `POST {baseUrl}/chat/completions` with `stream: true`.
 *
 * Reasoning arrives three ways depending on the server: `delta.reasoning_content` (DeepSeek, vLLM,
 * llama.cpp), `delta.reasoning` (OpenRouter, newer Ollama), or `<think>…</think>` inside the
 * content (R1-style models served raw); all three become reasoning pieces.
 */
import { isRecord, joinUrl, mergeExtra, messageOf, parseFrame, postJson, streamSseEvents, upstreamError } from './sse.ts';
import { streamAdapter } from './stream-adapter.ts';
import { type ThinkPiece, ThinkSplitter } from './think-splitter.ts';
import type { ProviderAdapter, ProviderChunk, ProviderRequest } from './types.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

type FinishReason = Extract<ProviderChunk, { type: 'finish' }>['reason'];

export function openaiRequestBody(req: ProviderRequest): Record<string, unknown> {
  const { model } = req;
  const body: Record<string, unknown> = {
    model: model.model ?? model.id,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (model.temperature !== undefined) body.temperature = model.temperature;
  if (model.maxTokens !== undefined) body.max_tokens = model.maxTokens;
  return { ...mergeExtra(body, model.extra), stream: true };
}

export const openaiAdapter: ProviderAdapter = streamAdapter(async (req, emit) => {
  const url = joinUrl(req.model.baseUrl ?? OPENAI_DEFAULT_BASE_URL, '/chat/completions');
  const headers: Record<string, string> = req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {};
  const res = await postJson(req, url, headers, openaiRequestBody(req));

  const splitter = new ThinkSplitter();
  const emitAll = (pieces: ThinkPiece[]) => {
    for (const piece of pieces) emit(piece);
  };
  let finish: FinishReason | undefined;
  await streamSseEvents(res, req, url, (event) => {
    if (event.data === '[DONE]') return true;
    const frame = parseFrame(event.data);
    if (!isRecord(frame)) return false;
    // Mid-stream failures: `{"error": {...}}` (OpenAI, OpenRouter, vLLM, llama.cpp, LM Studio)
    // or a bare `{"object": "error", "message": ...}` (older vLLM).
    if (frame.error !== undefined && frame.error !== null) throw upstreamError(messageOf(frame), req.apiKey);
    if (frame.object === 'error') throw upstreamError(messageOf(frame), req.apiKey);

    const usage = usageOf(frame);
    if (usage) emit(usage);

    const choice = Array.isArray(frame.choices) ? frame.choices[0] : undefined;
    if (!isRecord(choice)) return false;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) emit({ type: 'reasoning', text: reasoning });
    if (typeof delta.content === 'string' && delta.content) emitAll(splitter.push(delta.content));

    if (typeof choice.finish_reason === 'string') {
      if (choice.finish_reason === 'error') throw upstreamError('the service stopped the answer with an error', req.apiKey);
      emitAll(splitter.flush());
      finish = mapFinishReason(choice.finish_reason);
      emit({ type: 'finish', reason: finish });
    }
    return false;
  });
  if (finish === undefined) emitAll(splitter.flush());
});

function mapFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** Standard `usage` (sent last with include_usage, or on every chunk by some servers) or Groq's `x_groq.usage`. */
function usageOf(frame: Record<string, unknown>): ProviderChunk | null {
  const usage = isRecord(frame.usage) ? frame.usage : isRecord(frame.x_groq) && isRecord(frame.x_groq.usage) ? frame.x_groq.usage : null;
  if (!usage) return null;
  const inputTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : undefined;
  const outputTokens = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : undefined;
  if (inputTokens === undefined && outputTokens === undefined) return null;
  return {
    type: 'usage',
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
  };
}
