import { describe, expect, it } from 'vitest';
import { anthropicAdapter } from '../../server/providers/anthropic.ts';
import type { ChatMessage } from '../../server/providers/types.ts';
import { closedPortUrl, type Step, splitBytes } from '../support/fake-upstream.ts';
import { useProviderHarness } from '../support/provider-harness.ts';
import {
  ANTHROPIC_401_BODY,
  ANTHROPIC_429_BODY,
  ANTHROPIC_529_BODY,
  ANTHROPIC_CUT_BEFORE_STOP,
  ANTHROPIC_JSON_HEADERS,
  ANTHROPIC_MAX_TOKENS_STREAM,
  ANTHROPIC_OVERLOADED_MID_STREAM,
  ANTHROPIC_SSE_HEADERS,
  ANTHROPIC_TEXT,
  ANTHROPIC_TEXT_STREAM,
  ANTHROPIC_THINKING_STREAM,
} from '../support/upstream-fixtures/anthropic.ts';

const API_KEY = 'sk-ant-api03-test-key-0123456789';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer in French.' },
  { role: 'user', content: 'Hello' },
  { role: 'assistant', content: 'Salut.' },
  { role: 'user', content: 'How are you?' },
];

const { upstream, model, run, complete } = useProviderHarness({
  adapter: anthropicAdapter,
  model: (url) => ({ id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5', provider: 'anthropic', baseUrl: url }),
  messages: MESSAGES,
  apiKey: API_KEY,
  streamHeaders: ANTHROPIC_SSE_HEADERS,
});

describe('anthropic adapter: streams', () => {
  it('streams text, adds cached input tokens and sends the Messages API request', async () => {
    const { result, request: req } = await run(ANTHROPIC_TEXT_STREAM, {
      model: model({ model: 'claude-sonnet-4-5-20250929', temperature: 0.7, extra: { top_k: 40, metadata: { user_id: 'arena' } } }),
    });
    expect(result).toMatchObject({
      text: ANTHROPIC_TEXT,
      reasoning: '',
      finishReason: 'stop',
      error: null,
      inputTokens: 23,
      outputTokens: 12,
      tokensEstimated: false,
      reasoningMs: null,
    });
    expect(result.ttftMs!).toBeLessThanOrEqual(result.totalMs);

    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe(API_KEY);
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 4096,
      system: 'Answer in French.',
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Salut.' },
        { role: 'user', content: 'How are you?' },
      ],
      stream: true,
      temperature: 0.7,
      top_k: 40,
      metadata: { user_id: 'arena' },
    });
  });

  it('reassembles events delivered one byte at a time', async () => {
    const { result } = await run(splitBytes(ANTHROPIC_TEXT_STREAM.join(''), 1), {}, { gapMs: 0 });
    expect(result).toMatchObject({ text: ANTHROPIC_TEXT, inputTokens: 23, outputTokens: 12, finishReason: 'stop', error: null });
  });

  it('uses maxTokens, the model id, joins system prompts and omits the key header without a key', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'One.' },
      { role: 'system', content: 'Two.' },
      { role: 'user', content: 'Hi' },
    ];
    const { result, request: req } = await run(ANTHROPIC_TEXT_STREAM, { apiKey: undefined, messages, model: model({ maxTokens: 100 }) });
    expect(result.error).toBeNull();
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: 'One.\n\nTwo.',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
  });

  it('turns thinking blocks into reasoning, ignores the signature and times the thinking', async () => {
    const body: Step[] = [...ANTHROPIC_THINKING_STREAM.slice(0, 6), { delayMs: 80 }, ...ANTHROPIC_THINKING_STREAM.slice(6)];
    const { result } = await run(body);
    expect(result).toMatchObject({
      reasoning: '27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231.',
      text: '27 × 453 = **12,231**',
      finishReason: 'stop',
      inputTokens: 46,
      outputTokens: 87,
      tokensEstimated: false,
    });
    expect(result.ttftMs!).toBeLessThanOrEqual(result.reasoningMs!);
    expect(result.reasoningMs!).toBeGreaterThanOrEqual(70);
    expect(result.reasoningMs!).toBeLessThanOrEqual(result.totalMs);
  });

  it('maps stop_reason max_tokens to a length stop', async () => {
    const { result } = await run(ANTHROPIC_MAX_TOKENS_STREAM);
    expect(result).toMatchObject({ text: 'Once upon a', finishReason: 'length', inputTokens: 15, outputTokens: 4 });
  });
});

describe('anthropic adapter: failures', () => {
  it('turns an error event mid-stream into an upstream error', async () => {
    const { result, request } = await run(ANTHROPIC_OVERLOADED_MID_STREAM, {}, { then: 'hang' });
    expect(result.text).toBe('Let me think');
    expect(result.finishReason).toBe('error');
    expect(result.error).toEqual({ kind: 'upstream', message: 'upstream error: Overloaded (overloaded_error)' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });

  it('treats a stream cut before message_stop as a protocol error', async () => {
    const { result } = await run(ANTHROPIC_CUT_BEFORE_STOP);
    expect(result.text).toBe(ANTHROPIC_TEXT);
    expect(result.error?.kind).toBe('protocol');
  });

  it('maps a 429 with retry-after to rate_limited', async () => {
    upstream.enqueue({
      status: 429,
      headers: { ...ANTHROPIC_JSON_HEADERS, 'retry-after': '20', 'anthropic-ratelimit-input-tokens-remaining': '0' },
      body: [ANTHROPIC_429_BODY],
    });
    const { result } = await complete();
    expect(result.error).toEqual({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 20_000,
      message:
        'HTTP 429 from upstream: This request would exceed the rate limit for your organization (4b7e2c1a-5d3f-4e8a-9c6b-1f2e3d4c5b6a) of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. (retry in 20 s)',
    });
  });

  it('maps a 401 to an http error with the service message', async () => {
    upstream.enqueue({ status: 401, headers: ANTHROPIC_JSON_HEADERS, body: [ANTHROPIC_401_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({ kind: 'http', status: 401, message: 'HTTP 401 from upstream: invalid x-api-key' });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('maps a 529 (overloaded) to an http error', async () => {
    upstream.enqueue({ status: 529, headers: ANTHROPIC_JSON_HEADERS, body: [ANTHROPIC_529_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({ kind: 'http', status: 529, message: 'HTTP 529 from upstream: Overloaded' });
  });

  it('times out when no event arrives', async () => {
    upstream.enqueue({ headers: ANTHROPIC_SSE_HEADERS, body: [], then: 'hang' });
    const { result, request } = await complete({ model: model({ firstTokenTimeoutMs: 200 }) });
    expect(result.error).toEqual({ kind: 'timeout', message: 'no first token within 0.2 s' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });

  it('counts message_start and pings as no first token', async () => {
    upstream.enqueue({ headers: ANTHROPIC_SSE_HEADERS, body: ANTHROPIC_TEXT_STREAM.slice(0, 3), then: 'hang' });
    const { result } = await complete({ model: model({ firstTokenTimeoutMs: 200 }) });
    expect(result.error?.kind).toBe('timeout');
    expect(result.inputTokens).toBe(23);
  });

  it('reports a refused connection as connect', async () => {
    const { result } = await complete({ model: model({ baseUrl: await closedPortUrl() }) });
    expect(result.error?.kind).toBe('connect');
    expect(result.error?.message).toMatch(/connection refused \(ECONNREFUSED\)$/);
  });

  it("closes the upstream request when the caller's signal aborts", async () => {
    upstream.enqueue({ headers: ANTHROPIC_SSE_HEADERS, body: ANTHROPIC_TEXT_STREAM.slice(0, 4), then: 'hang' });
    const controller = new AbortController();
    const { result, request } = await complete({ signal: controller.signal, onText: () => controller.abort() });
    expect(result.text).toBe('Bonjour');
    expect(result.error).toEqual({ kind: 'aborted', message: 'the request was cancelled' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });
});
