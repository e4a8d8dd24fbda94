/**
 * Google Gemini API: `POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse`.
 * Each event is a whole GenerateContentResponse; parts marked `thought: true` are reasoning.
 * There is no end marker: the answer is complete when the body ends after a `finishReason`.
 */
import { isRecord, joinUrl, mergeExtra, messageOf, parseFrame, postJson, streamSseEvents, upstreamError } from './sse.ts';
import { streamAdapter } from './stream-adapter.ts';
import type { ProviderAdapter, ProviderChunk, ProviderRequest } from './types.ts';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

type FinishReason = Extract<ProviderChunk, { type: 'finish' }>['reason'];

export function geminiRequestBody(req: ProviderRequest): Record<string, unknown> {
  const { model } = req;
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const generationConfig: Record<string, unknown> = {};
  if (model.temperature !== undefined) generationConfig.temperature = model.temperature;
  if (model.maxTokens !== undefined) generationConfig.maxOutputTokens = model.maxTokens;
  const body: Record<string, unknown> = {
    contents: req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    ...(system.length > 0 ? { systemInstruction: { parts: [{ text: system.join('\n\n') }] } } : {}),
    generationConfig,
  };
  const extra = model.extra ?? {};
  // `extra.generationConfig` (e.g. thinkingConfig) adds to the generated one instead of replacing it.
  const merged = mergeExtra(body, extra);
  if (isRecord(extra.generationConfig)) merged.generationConfig = mergeExtra(generationConfig, extra.generationConfig);
  return merged;
}

export function geminiUrl(baseUrl: string, model: string): string {
  const name = model.replace(/^models\//, '');
  return joinUrl(baseUrl, `/v1beta/models/${encodeURIComponent(name)}:streamGenerateContent?alt=sse`);
}

export const geminiAdapter: ProviderAdapter = streamAdapter(async (req, emit) => {
  const url = geminiUrl(req.model.baseUrl ?? GEMINI_DEFAULT_BASE_URL, req.model.model ?? req.model.id);
  const headers: Record<string, string> = req.apiKey ? { 'x-goog-api-key': req.apiKey } : {};
  const res = await postJson(req, url, headers, geminiRequestBody(req));

  let finish: FinishReason | undefined;
  let usage: ProviderChunk | null = null;
  await streamSseEvents(res, req, url, (event) => {
    const frame = parseFrame(event.data);
    if (!isRecord(frame)) return false;
    if (frame.error !== undefined && frame.error !== null) throw upstreamError(messageOf(frame), req.apiKey);
    // usageMetadata rides on every event with running totals; the last one is the answer's.
    usage = usageOf(frame) ?? usage;

    const candidate = Array.isArray(frame.candidates) ? frame.candidates[0] : undefined;
    if (!isRecord(candidate)) {
      const feedback = isRecord(frame.promptFeedback) ? frame.promptFeedback : {};
      if (typeof feedback.blockReason === 'string') {
        throw upstreamError(`the prompt was blocked (${feedback.blockReason})`, req.apiKey);
      }
      return false;
    }
    const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
    for (const part of parts) {
      if (!isRecord(part) || typeof part.text !== 'string' || !part.text) continue;
      emit(part.thought === true ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text });
    }
    if (typeof candidate.finishReason === 'string') finish = mapFinishReason(candidate.finishReason);
    return false;
  });
  if (usage) emit(usage);
  if (finish !== undefined) emit({ type: 'finish', reason: finish });
});

function mapFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return 'other';
  }
}

/** Output counts the visible answer and the thinking: candidatesTokenCount + thoughtsTokenCount. */
function usageOf(frame: Record<string, unknown>): ProviderChunk | null {
  const meta = isRecord(frame.usageMetadata) ? frame.usageMetadata : null;
  if (!meta) return null;
  const inputTokens = typeof meta.promptTokenCount === 'number' ? meta.promptTokenCount : undefined;
  const answer = typeof meta.candidatesTokenCount === 'number' ? meta.candidatesTokenCount : undefined;
  const thoughts = typeof meta.thoughtsTokenCount === 'number' ? meta.thoughtsTokenCount : undefined;
  const outputTokens = answer === undefined && thoughts === undefined ? undefined : (answer ?? 0) + (thoughts ?? 0);
  if (inputTokens === undefined && outputTokens === undefined) return null;
  return {
    type: 'usage',
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
  };
}
