import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../server/providers/gemini.ts';
import type { ChatMessage, ProviderChunk } from '../../server/providers/types.ts';
import { closedPortUrl, type Step, splitBytes } from '../support/fake-upstream.ts';
import { useProviderHarness } from '../support/provider-harness.ts';
import {
  GEMINI_429_BODY,
  GEMINI_503_BODY,
  GEMINI_BAD_KEY_BODY,
  GEMINI_JSON_HEADERS,
  GEMINI_MAX_TOKENS_STREAM,
  GEMINI_MID_STREAM_ERROR,
  GEMINI_NO_FINISH,
  GEMINI_SAFETY_STREAM,
  GEMINI_SSE_HEADERS,
  GEMINI_THINKING_REASONING,
  GEMINI_THINKING_STREAM,
  GEMINI_THINKING_TEXT,
} from '../support/upstream-fixtures/gemini.ts';

const API_KEY = 'AIzaSyTestKey0123456789abcdefghijklmno';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Be exact.' },
  { role: 'user', content: 'What is 2+2?' },
  { role: 'assistant', content: '4' },
  { role: 'user', content: 'Sure?' },
];

const { upstream, model, run, complete } = useProviderHarness({
  adapter: geminiAdapter,
  model: (url) => ({ id: 'gemini-flash', name: 'Gemini 2.5 Flash', provider: 'gemini', baseUrl: url, model: 'gemini-2.5-flash' }),
  messages: MESSAGES,
  apiKey: API_KEY,
  streamHeaders: GEMINI_SSE_HEADERS,
});

describe('gemini adapter: streams', () => {
  it('separates thought parts, counts thinking tokens as output and sends the generateContent request', async () => {
    const body: Step[] = [...GEMINI_THINKING_STREAM.slice(0, 1), { delayMs: 80 }, ...GEMINI_THINKING_STREAM.slice(1)];
    const { result, request: req } = await run(body, {
      model: model({
        temperature: 0.4,
        maxTokens: 1024,
        extra: { generationConfig: { thinkingConfig: { includeThoughts: true } }, safetySettings: [] },
      }),
    });
    expect(result).toMatchObject({
      reasoning: GEMINI_THINKING_REASONING,
      text: GEMINI_THINKING_TEXT,
      finishReason: 'stop',
      error: null,
      inputTokens: 9,
      outputTokens: 43,
      tokensEstimated: false,
    });
    expect(result.ttftMs!).toBeLessThanOrEqual(result.reasoningMs!);
    expect(result.reasoningMs!).toBeGreaterThanOrEqual(70);
    expect(result.reasoningMs!).toBeLessThanOrEqual(result.totalMs);

    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(req.headers['x-goog-api-key']).toBe(API_KEY);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.path).not.toContain(API_KEY);
    expect(req.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'What is 2+2?' }] },
        { role: 'model', parts: [{ text: '4' }] },
        { role: 'user', parts: [{ text: 'Sure?' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be exact.' }] },
      generationConfig: { temperature: 0.4, maxOutputTokens: 1024, thinkingConfig: { includeThoughts: true } },
      safetySettings: [],
    });
  });

  it('reassembles \\r\\n\\r\\n events delivered one byte at a time', async () => {
    const { result } = await run(splitBytes(GEMINI_THINKING_STREAM.join(''), 1), {}, { gapMs: 0 });
    expect(result).toMatchObject({
      reasoning: GEMINI_THINKING_REASONING,
      text: GEMINI_THINKING_TEXT,
      inputTokens: 9,
      outputTokens: 43,
      finishReason: 'stop',
    });
  });

  it('falls back to the model id, strips a models/ prefix and sends no key header without a key', async () => {
    const { request: first } = await run(GEMINI_THINKING_STREAM, { apiKey: undefined, model: model({ id: 'gemini-2.5-pro', model: undefined }) });
    const { request: second } = await run(GEMINI_THINKING_STREAM, { model: model({ model: 'models/gemini-2.5-flash-lite' }) });
    expect(first.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(first.headers['x-goog-api-key']).toBeUndefined();
    expect((first.body as { generationConfig: unknown }).generationConfig).toEqual({});
    expect(second.path).toBe('/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse');
  });

  it('maps MAX_TOKENS to a length stop and counts thoughts when candidatesTokenCount is absent', async () => {
    const { result } = await run(GEMINI_MAX_TOKENS_STREAM);
    expect(result).toMatchObject({ text: 'We', finishReason: 'length', inputTokens: 29, outputTokens: 59, tokensEstimated: false });
  });

  it('reports a SAFETY stop as content_filter', async () => {
    const { result } = await run(GEMINI_SAFETY_STREAM);
    expect(result).toMatchObject({ text: 'I can', error: null, inputTokens: 12, outputTokens: 2 });

    upstream.enqueue({ headers: GEMINI_SSE_HEADERS, body: GEMINI_SAFETY_STREAM });
    const chunks: ProviderChunk[] = [];
    for await (const chunk of geminiAdapter({ model: model(), messages: MESSAGES, apiKey: API_KEY, signal: new AbortController().signal })) {
      chunks.push(chunk);
    }
    expect(chunks).toEqual([
      { type: 'text', text: 'I can' },
      { type: 'usage', inputTokens: 12, outputTokens: 2 },
      { type: 'finish', reason: 'content_filter' },
    ]);
  });
});

describe('gemini adapter: failures', () => {
  it('turns an error object inside the stream into an upstream error', async () => {
    const { result } = await run(GEMINI_MID_STREAM_ERROR);
    expect(result.text).toBe('Partial');
    expect(result.error).toEqual({
      kind: 'upstream',
      message: 'upstream error: An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
    });
  });

  it('treats a body that ends without a finishReason as a protocol error', async () => {
    const { result } = await run(GEMINI_NO_FINISH);
    expect(result.text).toBe('Half an');
    expect(result.error?.kind).toBe('protocol');
  });

  it('treats invalid JSON in an event as a protocol error', async () => {
    const { result } = await run([...GEMINI_THINKING_STREAM.slice(0, 1), 'data: {"candidates": [{"content": \r\n\r\n']);
    expect(result.error?.kind).toBe('protocol');
    expect(result.error?.message).toMatch(/^unreadable frame from upstream/);
  });

  it('maps a 429 to rate_limited with the RetryInfo delay from the body', async () => {
    upstream.enqueue({ status: 429, headers: GEMINI_JSON_HEADERS, body: [GEMINI_429_BODY] });
    const { result } = await complete();
    expect(result.error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 20_000 });
    expect(result.error?.message).toMatch(
      /^HTTP 429 from upstream: You exceeded your current quota, please check your plan and billing details\. .*\(retry in 20 s\)$/,
    );
    expect(result.error!.message.length).toBeLessThanOrEqual(340);
  });

  it('maps a bad key (400 API_KEY_INVALID) to an http error without the key', async () => {
    upstream.enqueue({ status: 400, headers: GEMINI_JSON_HEADERS, body: [GEMINI_BAD_KEY_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({
      kind: 'http',
      status: 400,
      message: 'HTTP 400 from upstream: API key not valid. Please pass a valid API key.',
    });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('maps a 503 to an http error', async () => {
    upstream.enqueue({ status: 503, headers: GEMINI_JSON_HEADERS, body: [GEMINI_503_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({ kind: 'http', status: 503, message: 'HTTP 503 from upstream: The model is overloaded. Please try again later.' });
  });

  it('times out when the stream stays silent', async () => {
    upstream.enqueue({ headers: GEMINI_SSE_HEADERS, body: [], then: 'hang' });
    const { result, request } = await complete({ model: model({ firstTokenTimeoutMs: 200 }) });
    expect(result.error).toEqual({ kind: 'timeout', message: 'no first token within 0.2 s' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });

  it('reports a refused connection as connect', async () => {
    const { result } = await complete({ model: model({ baseUrl: await closedPortUrl() }) });
    expect(result.error?.kind).toBe('connect');
  });

  it("closes the upstream request when the caller's signal aborts", async () => {
    upstream.enqueue({ headers: GEMINI_SSE_HEADERS, body: GEMINI_THINKING_STREAM.slice(1, 2), then: 'hang' });
    const controller = new AbortController();
    const { result, request } = await complete({ signal: controller.signal, onText: () => controller.abort() });
    expect(result.text).toBe('2 + 2 = 4');
    expect(result.error).toEqual({ kind: 'aborted', message: 'the request was cancelled' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });
});
