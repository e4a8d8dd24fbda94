/**
 * The completion thread (server/arena/completion-thread.ts): answers read on a worker thread
 * against a real HTTP upstream speaking OpenAI's exact frames, compared with the same answer read
 * on this thread; a stop reaching the upstream; the thread's end interrupting what it held.
 */
import { describe, expect, it } from 'vitest';
import { CompletionThread } from '../../server/arena/completion-thread.ts';
import { modelConfigSchema } from '../../server/models/config.ts';
import { openaiAdapter } from '../../server/providers/openai.ts';
import { runCompletion } from '../../server/providers/run-completion.ts';
import { ProviderError } from '../../server/providers/types.ts';
import { SSE_HEADERS, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { OPENAI_TEXT, OPENAI_TEXT_STREAM } from '../support/upstream-fixtures/openai.ts';

const cleanup = useCleanup();
const startUpstream = useFakeUpstream(cleanup);

function chunk(content: string): string {
  return `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
}

function thread(): CompletionThread {
  const completions = new CompletionThread();
  cleanup.add(completions);
  return completions;
}

const request = (baseUrl: string) => ({
  model: modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai', baseUrl: `${baseUrl}/v1`, model: 'gpt-4o-mini' }),
  messages: [{ role: 'user' as const, content: '안녕하세요' }],
  apiKey: 'sk-test-thread-0000',
});

describe('completion thread', () => {
  it('streams an answer piece by piece and ends with the same result as reading it here', async () => {
    const upstream = await startUpstream();
    const answer = { status: 200, headers: SSE_HEADERS, body: OPENAI_TEXT_STREAM, gapMs: 5 };
    upstream.enqueue(answer, answer);
    const pieces: string[] = [];
    const onThread = await thread().run({
      request: request(upstream.url),
      signal: new AbortController().signal,
      onText: (t) => pieces.push(t),
      onReasoning: () => undefined,
    });
    const here = await runCompletion({ adapter: openaiAdapter, request: request(upstream.url), signal: new AbortController().signal });

    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(OPENAI_TEXT);
    expect(onThread.error).toBeNull();
    const { totalMs: _a, ttftMs: _b, ...threadRest } = onThread;
    const { totalMs: _c, ttftMs: _d, ...hereRest } = here;
    expect(threadRest).toEqual(hereRest);
    expect(onThread.ttftMs).toBeGreaterThan(0);
    // The key went to the upstream from the thread, as it does from here.
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-test-thread-0000');
  });

  it('carries a stop to the upstream: the connection closes and the answer ends with the stop', async () => {
    const upstream = await startUpstream();
    upstream.enqueue({ status: 200, headers: SSE_HEADERS, body: Array.from({ length: 100 }, (_, i) => chunk(`word${i} `)), gapMs: 30 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = thread().run({
      request: request(upstream.url),
      signal: controller.signal,
      onText: (t) => {
        pieces.push(t);
        if (pieces.length === 3) controller.abort(new ProviderError('stopped', 'the voter stopped the answer'));
      },
      onReasoning: () => undefined,
    });
    const ended = await result;
    expect(ended.error).toMatchObject({ kind: 'stopped', message: 'the voter stopped the answer' });
    expect(ended.text.startsWith('word0 word1 word2 ')).toBe(true);
    expect(await upstream.requests[0]!.closed).toEqual({ beforeEnd: true });
  });

  it('interrupts what it holds when it closes, with the text so far, and a later answer starts a new thread', async () => {
    const upstream = await startUpstream();
    const long = { status: 200, headers: SSE_HEADERS, body: Array.from({ length: 100 }, (_, i) => chunk(`w${i} `)), gapMs: 30 };
    upstream.enqueue(long, { status: 200, headers: SSE_HEADERS, body: OPENAI_TEXT_STREAM });
    const completions = thread();
    let firstPiece!: () => void;
    const started = new Promise<void>((resolve) => {
      firstPiece = resolve;
    });
    const running = completions.run({
      request: request(upstream.url),
      signal: new AbortController().signal,
      onText: () => firstPiece(),
      onReasoning: () => undefined,
    });
    await started;
    await completions.close();
    const interrupted = await running;
    expect(interrupted.error?.kind).toBe('interrupted');
    expect(interrupted.finishReason).toBe('error');
    expect(interrupted.text.startsWith('w0 ')).toBe(true);

    const next = await completions.run({
      request: request(upstream.url),
      signal: new AbortController().signal,
      onText: () => undefined,
      onReasoning: () => undefined,
    });
    expect(next.error).toBeNull();
    expect(next.text).toBe(OPENAI_TEXT);
  });
});
