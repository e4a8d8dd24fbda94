/**
 * Anthropic Messages API, streamed: `POST {baseUrl}/v1/messages`. System prompts go in the
 * top-level `system` field; thinking blocks (`thinking_delta`) become reasoning. The answer is
 * only complete at `message_stop` — a stream cut after `message_delta` still counts as broken.
 */
import { isRecord, joinUrl, mergeExtra, messageOf, parseFrame, postJson, streamSseEvents, upstreamError } from './sse.ts';
import { streamAdapter } from './stream-adapter.ts';
import type { ProviderAdapter, ProviderChunk, ProviderRequest } from './types.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
/** The API requires max_tokens; used when the model's config sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type FinishReason = Extract<ProviderChunk, { type: 'finish' }>['reason'];

export function anthropicRequestBody(req: ProviderRequest): Record<string, unknown> {
  const { model } = req;
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const body: Record<string, unknown> = {
    model: model.model ?? model.id,
    max_tokens: model.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    messages: req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content })),
    stream: true,
  };
  if (model.temperature !== undefined) body.temperature = model.temperature;
  return { ...mergeExtra(body, model.extra), stream: true };
}

export const anthropicAdapter: ProviderAdapter = streamAdapter(async (req, emit) => {
  const url = joinUrl(req.model.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL, '/v1/messages');
  const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
  if (req.apiKey) headers['x-api-key'] = req.apiKey;
  const res = await postJson(req, url, headers, anthropicRequestBody(req));

  let stopReason: FinishReason = 'other';
  await streamSseEvents(res, req, url, (event) => {
    const frame = parseFrame(event.data);
    if (!isRecord(frame)) return false;
    switch (frame.type ?? event.event) {
      case 'message_start': {
        const usage = isRecord(frame.message) && isRecord(frame.message.usage) ? frame.message.usage : null;
        const inputTokens = usage ? inputTokensOf(usage) : undefined;
        if (inputTokens !== undefined) emit({ type: 'usage', inputTokens });
        break;
      }
      case 'content_block_start': {
        // The opening block is normally empty, but a non-empty one is still part of the answer.
        const block = isRecord(frame.content_block) ? frame.content_block : {};
        if (block.type === 'text' && typeof block.text === 'string' && block.text) emit({ type: 'text', text: block.text });
        if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) {
          emit({ type: 'reasoning', text: block.thinking });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = isRecord(frame.delta) ? frame.delta : {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string') emit({ type: 'text', text: delta.text });
        if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          emit({ type: 'reasoning', text: delta.thinking });
        }
        // signature_delta, input_json_delta, citations_delta carry nothing to show.
        break;
      }
      case 'message_delta': {
        const delta = isRecord(frame.delta) ? frame.delta : {};
        if (typeof delta.stop_reason === 'string') stopReason = mapStopReason(delta.stop_reason);
        const usage = isRecord(frame.usage) ? frame.usage : null;
        if (usage) {
          const inputTokens = inputTokensOf(usage);
          const outputTokens = typeof usage.output_tokens === 'number' ? usage.output_tokens : undefined;
          emit({
            type: 'usage',
            ...(inputTokens !== undefined ? { inputTokens } : {}),
            ...(outputTokens !== undefined ? { outputTokens } : {}),
          });
        }
        break;
      }
      case 'message_stop':
        emit({ type: 'finish', reason: stopReason });
        return true;
      case 'error': {
        const error = isRecord(frame.error) ? frame.error : {};
        const kind = typeof error.type === 'string' ? ` (${error.type})` : '';
        throw upstreamError(`${messageOf(frame) || 'the service reported an error'}${kind}`, req.apiKey);
      }
      default:
        // ping, content_block_stop, and event types added later.
        break;
    }
    return false;
  });
});

/** Prompt size = uncached + cache writes + cache reads (Anthropic reports them apart). */
function inputTokensOf(usage: Record<string, unknown>): number | undefined {
  if (typeof usage.input_tokens !== 'number') return undefined;
  const extra = [usage.cache_creation_input_tokens, usage.cache_read_input_tokens];
  return extra.reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), usage.input_tokens);
}

function mapStopReason(reason: string): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}
