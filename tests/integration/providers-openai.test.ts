import { describe, expect, it } from 'vitest';
import { openaiAdapter } from '../../server/providers/openai.ts';
import type { ChatMessage, CompletionResult } from '../../server/providers/types.ts';
import { closedPortUrl, type Step, splitBytes } from '../support/fake-upstream.ts';
import { useProviderHarness } from '../support/provider-harness.ts';
import {
  DEEPSEEK_REASONER_STREAM,
  GROQ_STREAM,
  LLAMA_CPP_PYTHON_CRLF_STREAM,
  LLAMACPP_SPLIT_THINK_STREAM,
  OLLAMA_THINK_TAGS_STREAM,
  OPENAI_401_BODY,
  OPENAI_429_BODY,
  OPENAI_500_BODY,
  OPENAI_INVALID_JSON,
  OPENAI_JSON_HEADERS,
  OPENAI_LENGTH_STREAM,
  OPENAI_MID_STREAM_ERROR,
  OPENAI_NO_FINISH,
  OPENAI_TEXT,
  OPENAI_TEXT_STREAM,
  OPENROUTER_MID_STREAM_ERROR,
  OPENROUTER_REASONING_STREAM,
} from '../support/upstream-fixtures/openai.ts';

const API_KEY = 'sk-test-0123456789abcdefghijwxyz';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello' },
];

const { upstream, model, run, complete } = useProviderHarness({
  adapter: openaiAdapter,
  model: (url) => ({ id: 'gpt-4o-mini', name: 'GPT-4o mini', provider: 'openai', baseUrl: `${url}/v1` }),
  messages: MESSAGES,
  apiKey: API_KEY,
});

function expectTimings(result: CompletionResult, reasoning: boolean) {
  expect(result.ttftMs).not.toBeNull();
  expect(result.ttftMs!).toBeGreaterThanOrEqual(0);
  expect(result.ttftMs!).toBeLessThanOrEqual(result.totalMs);
  if (reasoning) {
    expect(result.reasoningMs).not.toBeNull();
    expect(result.reasoningMs!).toBeGreaterThanOrEqual(result.ttftMs!);
    expect(result.reasoningMs!).toBeLessThanOrEqual(result.totalMs);
  } else {
    expect(result.reasoningMs).toBeNull();
  }
}

function expectNoKey(result: CompletionResult) {
  expect(JSON.stringify(result)).not.toContain(API_KEY);
}

describe('openai adapter: streams', () => {
  it('streams text, reads the usage-only final chunk and sends the request OpenAI expects', async () => {
    const {
      result,
      texts,
      request: req,
    } = await run(OPENAI_TEXT_STREAM, {
      model: model({ model: 'gpt-4o-mini-2024-07-18', temperature: 0.2, maxTokens: 256, extra: { top_p: 0.9, seed: 7 } }),
    });

    expect(result).toMatchObject({
      text: OPENAI_TEXT,
      reasoning: '',
      finishReason: 'stop',
      error: null,
      inputTokens: 19,
      outputTokens: 8,
      tokensEstimated: false,
    });
    expect(texts.join('')).toBe(OPENAI_TEXT);
    expectTimings(result, false);

    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('text/event-stream');
    expect(req.body).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 256,
      top_p: 0.9,
      seed: 7,
    });
  });

  it('reassembles frames and UTF-8 characters delivered one byte at a time', async () => {
    const { result } = await run(splitBytes(OPENAI_TEXT_STREAM.join(''), 1), {}, { gapMs: 0 });
    expect(result).toMatchObject({ text: OPENAI_TEXT, inputTokens: 19, outputTokens: 8, finishReason: 'stop', error: null });
  });

  it('reads every frame when the whole stream arrives in one write', async () => {
    const { result } = await run([OPENAI_TEXT_STREAM.join('')]);
    expect(result).toMatchObject({ text: OPENAI_TEXT, finishReason: 'stop', tokensEstimated: false });
  });

  it('uses the model id when no upstream name is set, and sends no auth header or unset fields without a key', async () => {
    const { result, request: req } = await run(OPENAI_TEXT_STREAM, { apiKey: undefined, model: model({ extra: { stream_options: null } }) });
    expect(result.error).toBeNull();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });
  });

  it('reports finish_reason "length" as a length stop', async () => {
    const { result } = await run(OPENAI_LENGTH_STREAM);
    expect(result).toMatchObject({ text: 'Once upon a', finishReason: 'length', outputTokens: 3, tokensEstimated: false });
  });

  it('separates reasoning_content (DeepSeek), skips keep-alive comments and times the thinking', async () => {
    const body: Step[] = [...DEEPSEEK_REASONER_STREAM.slice(0, 6), { delayMs: 80 }, ...DEEPSEEK_REASONER_STREAM.slice(6)];
    const { result } = await run(body);
    expect(result).toMatchObject({
      reasoning: 'The user asks 2+2. That is 4.',
      text: '2 + 2 = 4.',
      finishReason: 'stop',
      inputTokens: 14,
      outputTokens: 21,
      tokensEstimated: false,
    });
    expectTimings(result, true);
    expect(result.reasoningMs!).toBeGreaterThanOrEqual(70);
  });

  it('separates <think> tags Ollama sends inside content (escaped as \\u003c)', async () => {
    const { result } = await run(OLLAMA_THINK_TAGS_STREAM, { model: model({ id: 'r1', model: 'deepseek-r1:1.5b' }) });
    expect(result).toMatchObject({
      reasoning: 'Okay, the user said hi.\n',
      text: 'Hello! How can I help?',
      inputTokens: 6,
      outputTokens: 17,
      tokensEstimated: false,
    });
    expectTimings(result, true);
  });

  it('separates think tags that are split across chunks (llama.cpp), even byte by byte', async () => {
    for (const body of [LLAMACPP_SPLIT_THINK_STREAM, splitBytes(LLAMACPP_SPLIT_THINK_STREAM.join(''), 1)]) {
      const { result } = await run(body, {}, { gapMs: 0 });
      expect(result).toMatchObject({
        reasoning: 'Short question, short answer.\n',
        text: 'Yes, it works.',
        inputTokens: 9,
        outputTokens: 16,
        finishReason: 'stop',
      });
    }
  });

  it('reads delta.reasoning and ignores OPENROUTER PROCESSING comments', async () => {
    const { result } = await run(OPENROUTER_REASONING_STREAM);
    expect(result).toMatchObject({
      reasoning: 'Simple arithmetic.',
      text: 'It is 4.',
      inputTokens: 42,
      outputTokens: 30,
      tokensEstimated: false,
    });
  });

  it('reads Groq usage from x_groq', async () => {
    const { result } = await run(GROQ_STREAM);
    expect(result).toMatchObject({ text: 'Fast answer.', inputTokens: 11, outputTokens: 3, tokensEstimated: false });
  });

  it('reads \\r\\n-terminated frames and estimates tokens when no usage is sent', async () => {
    const { result } = await run(LLAMA_CPP_PYTHON_CRLF_STREAM);
    expect(result).toMatchObject({ text: 'Line one\nline two', finishReason: 'stop', error: null, tokensEstimated: true });
    expect(result.outputTokens).toBeGreaterThan(0);
    expect(result.inputTokens).toBeGreaterThan(0);
  });

  it('injects a custom fetch and defaults to api.openai.com', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(OPENAI_TEXT_STREAM.join(''), { headers: { 'content-type': 'text/event-stream' } });
    };
    const { result } = await complete({ model: model({ baseUrl: undefined }), fetch: fakeFetch });
    expect(result.text).toBe(OPENAI_TEXT);
    expect(seen).toEqual(['https://api.openai.com/v1/chat/completions']);
  });
});

describe('openai adapter: failures', () => {
  it('turns an error object sent mid-stream into an upstream error, keeping the text so far', async () => {
    const { result } = await run(OPENAI_MID_STREAM_ERROR);
    expect(result.text).toBe('The answer');
    expect(result.finishReason).toBe('error');
    expect(result.error).toEqual({
      kind: 'upstream',
      message: 'upstream error: The server had an error while processing your request. Sorry about that!',
    });
  });

  it('turns OpenRouter\'s finish_reason "error" chunk into an upstream error', async () => {
    const { result } = await run(OPENROUTER_MID_STREAM_ERROR);
    expect(result.text).toBe('Let me');
    expect(result.error).toEqual({ kind: 'upstream', message: 'upstream error: Provider disconnected unexpectedly' });
  });

  it('treats a stream that stops without finishing as a protocol error', async () => {
    const { result } = await run(OPENAI_NO_FINISH);
    expect(result.text).toBe('Partial answer');
    expect(result.error?.kind).toBe('protocol');
    expect(result.error?.message).toMatch(/ended before the model finished/);
    expect(result.tokensEstimated).toBe(true);
  });

  it('treats invalid JSON in a frame as a protocol error', async () => {
    const { result } = await run(OPENAI_INVALID_JSON);
    expect(result.text).toBe('Hi');
    expect(result.error?.kind).toBe('protocol');
    expect(result.error?.message).toMatch(/^unreadable frame from upstream: "\{\\"id\\":\\"chatcmpl-/);
  });

  it('reports a socket dropped mid-answer as a broken stream', async () => {
    const { result } = await run(OPENAI_TEXT_STREAM.slice(0, 3), {}, { then: 'destroy' });
    expect(result.text).toBe('Hello!');
    expect(result.error?.kind).toBe('protocol');
    expect(result.error?.message).toMatch(/^the connection to 127\.0\.0\.1:\d+ broke mid-answer/);
  });

  it('maps a 429 with retry-after seconds to rate_limited', async () => {
    upstream.enqueue({ status: 429, headers: { ...OPENAI_JSON_HEADERS, 'retry-after': '20' }, body: [OPENAI_429_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 20_000,
      message:
        'HTTP 429 from upstream: Rate limit reached for gpt-4o-mini in organization org-abc123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more. (retry in 20 s)',
    });
    expect(result).toMatchObject({ text: '', ttftMs: null, finishReason: 'error', tokensEstimated: true });
  });

  it('prefers retry-after-ms when the service sends it', async () => {
    upstream.enqueue({
      status: 429,
      headers: { ...OPENAI_JSON_HEADERS, 'retry-after': '2', 'retry-after-ms': '1500' },
      body: [OPENAI_429_BODY],
    });
    const { result } = await complete();
    expect(result.error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1500 });
  });

  it('maps a 500 with a JSON error body to an http error with the service message', async () => {
    upstream.enqueue({ status: 500, headers: OPENAI_JSON_HEADERS, body: [OPENAI_500_BODY] });
    const { result } = await complete();
    expect(result.error).toEqual({
      kind: 'http',
      status: 500,
      message: 'HTTP 500 from upstream: The server had an error while processing your request. Sorry about that!',
    });
  });

  it('maps a 401 to an http error without any trace of the key', async () => {
    upstream.enqueue({ status: 401, headers: OPENAI_JSON_HEADERS, body: [OPENAI_401_BODY.replace('sk-test-************************wxyz', API_KEY)] });
    const { result } = await complete();
    expect(result.error).toMatchObject({ kind: 'http', status: 401 });
    expect(result.error?.message).toBe(
      'HTTP 401 from upstream: Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.',
    );
    expectNoKey(result);

    upstream.enqueue({ status: 401, headers: OPENAI_JSON_HEADERS, body: [OPENAI_401_BODY] });
    const masked = await complete();
    expect(masked.result.error?.message).toContain('Incorrect API key provided: sk-[redacted].');
  });

  it('reads a JSON error sent with status 200 instead of a stream', async () => {
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: ['{"error":"Model unloaded."}'] });
    const { result } = await complete();
    expect(result.error).toEqual({ kind: 'upstream', message: 'upstream error: Model unloaded.' });
  });

  it('uses the plain-text body when the error is not JSON', async () => {
    upstream.enqueue({ status: 404, headers: { 'content-type': 'text/plain' }, body: ['404 page not found\n'] });
    const { result } = await complete();
    expect(result.error).toEqual({ kind: 'http', status: 404, message: 'HTTP 404 from upstream: 404 page not found' });
  });

  it('times out when the service sends headers and then nothing', async () => {
    upstream.enqueue({ body: [': keep-alive\n\n'], then: 'hang' });
    const { result, request } = await complete({ model: model({ firstTokenTimeoutMs: 200 }) });
    expect(result.error).toEqual({ kind: 'timeout', message: 'no first token within 0.2 s' });
    expect(result.ttftMs).toBeNull();
    expect(await request.closed).toEqual({ beforeEnd: true });
  });

  it('times out when the service never answers at all', async () => {
    upstream.enqueue({ silent: true });
    const { result, request } = await complete({ model: model({ firstTokenTimeoutMs: 150 }) });
    expect(result.error).toEqual({ kind: 'timeout', message: 'no first token within 0.15 s' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });

  it('enforces the total timeout on a stream that keeps dripping', async () => {
    const drip: Step[] = [...OPENAI_TEXT_STREAM.slice(0, 2), { delayMs: 1000 }, ...OPENAI_TEXT_STREAM.slice(2)];
    const { result } = await run(drip, { model: model({ timeoutMs: 250 }) });
    expect(result.text).toBe('Hello');
    expect(result.error).toEqual({ kind: 'timeout', message: 'no complete answer within 0.25 s' });
  });

  it('reports a refused connection as connect', async () => {
    const { result } = await complete({ model: model({ baseUrl: `${await closedPortUrl()}/v1` }) });
    expect(result.error?.kind).toBe('connect');
    expect(result.error?.message).toMatch(/^could not connect to 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)$/);
  });

  it("stops and closes the upstream request when the caller's signal aborts", async () => {
    upstream.enqueue({ body: OPENAI_TEXT_STREAM.slice(0, 2), then: 'hang' });
    const controller = new AbortController();
    const { result, request } = await complete({ signal: controller.signal, onText: () => controller.abort() });
    expect(result.text).toBe('Hello');
    expect(result.error).toEqual({ kind: 'aborted', message: 'the request was cancelled' });
    expect(await request.closed).toEqual({ beforeEnd: true });
  });
});
