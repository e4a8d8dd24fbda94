/**
 * The admin model test (POST /api/admin/models/:id/test) against hostile or internal upstreams:
 * what it returns is limited to status, timings, token count, a short redacted sample and a
 * summary of the error, so neither an API key nor a response body can be read through it.
 */
import { describe, expect, it } from 'vitest';
import { api, signedIn } from '../support/auth.ts';
import { type RecordedRequest, SSE_HEADERS, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels, useTestServer } from '../support/test-server.ts';

const ECHO_KEY = 'echo-key-Q7w9E8r7T6y5u4';
const OTHER_KEY = 'other-key-Z1x2C3v4B5n6m7';
const ANTHROPIC_KEY = 'anthropic-key-K8j7H6g5F4d3';
const INTERNAL = 'db_password=hunter2-internal at 10.0.0.5:5432';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const startUpstream = useFakeUpstream(cleanup);

const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }] })}\n\n`;

/** What an internal "echo" service answers: the request's own headers, key first, as the model's text. */
function echoHeaders(request: RecordedRequest) {
  const text = `You sent ${request.headers.authorization} and ${JSON.stringify(request.headers)}; also ${OTHER_KEY} and ${ANTHROPIC_KEY} from my env`;
  // Split mid-key, so a redaction of each piece alone would miss it.
  const cut = text.indexOf(ECHO_KEY) + 5;
  return { status: 200, headers: SSE_HEADERS, body: [chunk(text.slice(0, cut)), chunk(text.slice(cut)), chunk('', 'stop'), 'data: [DONE]\n\n'] };
}

/** True when any 6 characters of the key appear in the text. */
function leaksPartOf(text: string, key: string): boolean {
  for (let i = 0; i + 6 <= key.length; i++) if (text.includes(key.slice(i, i + 6))) return true;
  return false;
}

describe('the admin model test', () => {
  it('never returns a configured API key or upstream response text (header echo, error body, non-stream and garbled answers)', async () => {
    const upstream = await startUpstream();
    const base = `${upstream.url}/v1`;
    const server = await startServer({
      models: [
        ...fastDemoModels,
        { id: 'echo', name: 'Echo', provider: 'openai', baseUrl: base, model: 'echo-1', apiKeyEnv: 'ARENA_KEY_ECHO' },
        { id: 'other', name: 'Other', provider: 'openai', baseUrl: 'https://llm.example.com/v1', apiKeyEnv: 'ARENA_KEY_OTHER', enabled: false },
        { id: 'claude', name: 'Claude', provider: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY', enabled: false },
      ],
      deps: { env: { ARENA_KEY_ECHO: ECHO_KEY, ARENA_KEY_OTHER: OTHER_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY } },
    });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const test = async () => {
      const res = await api<{ result: Record<string, unknown> }>(server, '/api/admin/models/echo/test', { cookie: admin, body: {} });
      expect(res.status).toBe(200);
      return res.body.result;
    };

    // 1. An upstream that echoes the request headers (with this model's key) and other keys.
    upstream.enqueue(echoHeaders);
    const echoed = await test();
    expect(upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${ECHO_KEY}`);
    for (const key of [ECHO_KEY, OTHER_KEY, ANTHROPIC_KEY]) expect(leaksPartOf(JSON.stringify(echoed), key), key).toBe(false);
    expect(Object.keys(echoed).sort()).toEqual(['error', 'ok', 'outputTokens', 'sample', 'status', 'totalMs', 'ttftMs']);
    expect(echoed).toMatchObject({ ok: true, status: 200, error: null });
    expect(echoed.sample).toMatch(/^You sent Bearer \[redacted\] and /);
    expect(String(echoed.sample).length).toBeLessThanOrEqual(121);

    // 2. An internal service answering an error page full of internal data: only the status comes back.
    upstream.enqueue({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: [JSON.stringify({ error: { message: `not found; ${INTERNAL}; key ${ECHO_KEY}` } })],
    });
    const notFound = await test();
    expect(notFound).toEqual({
      ok: false,
      status: 404,
      ttftMs: null,
      totalMs: expect.any(Number),
      outputTokens: 0,
      sample: '',
      error: { kind: 'http', message: 'HTTP 404 from upstream' },
    });

    // 3. A 200 JSON body instead of a stream, and 4. a stream of unreadable frames: neither is quoted.
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [JSON.stringify({ message: INTERNAL })] });
    const json = await test();
    upstream.enqueue({ status: 200, headers: SSE_HEADERS, body: [`data: ${INTERNAL}\n\n`] });
    const garbled = await test();
    for (const result of [json, garbled]) {
      expect(result).toMatchObject({ ok: false, status: 200, sample: '' });
      expect(JSON.stringify(result)).not.toMatch(/hunter2|db_password|10\.0\.0\.5/);
    }
    expect(json.error).toEqual({ kind: 'upstream', message: 'the upstream sent an error instead of an answer' });
    expect(garbled.error).toMatchObject({ kind: 'protocol' });
  });
});
