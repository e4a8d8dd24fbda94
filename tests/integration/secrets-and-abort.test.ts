import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { answers, battles } from '../../db/schema.ts';
import { runCli } from '../../server/cli/main.ts';
import { SSE_HEADERS, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const startUpstream = useFakeUpstream(cleanup);

function chunk(content: string, finish: string | null = null): string {
  return `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":${JSON.stringify(finish)}}]}\n\n`;
}

const slowAnswer = () => ({
  status: 200,
  headers: SSE_HEADERS,
  body: [...Array.from({ length: 60 }, (_, i) => chunk(`word${i} `)), chunk('', 'stop'), 'data: [DONE]\n\n'],
  gapMs: 50,
});

describe('abandoned battles', () => {
  it('aborts both upstream requests when the only browser watching goes away', async () => {
    const upstream = await startUpstream();
    upstream.enqueue(slowAnswer(), slowAnswer());
    const models = ['slow-1', 'slow-2'].map((id) => ({ id, name: id, provider: 'openai' as const, baseUrl: `${upstream.url}/v1` }));
    const server = await startServer({ models, deps: { abandonGraceMs: 100 } });
    const socket = await server.connect({ voterId: 'leaver-0001' });
    const firstDelta = new Promise((resolve) => socket.once('battle:delta', resolve));
    const reply = await socket.emitWithAck('battle:start', { prompt: 'Tell me a long story' });
    if (!reply.ok) throw new Error('start failed');
    await firstDelta;
    socket.disconnect(); // the tab is closed

    const closed = await Promise.all(upstream.requests.map((r) => r.closed));
    expect(closed).toEqual([{ beforeEnd: true }, { beforeEnd: true }]);
    await expect.poll(() => server.app.db.select().from(answers).where(eq(answers.battleId, reply.battleId)).all().length).toBe(2);
    const stored = server.app.db.select().from(answers).where(eq(answers.battleId, reply.battleId)).all();
    expect(stored.map((a) => a.errorKind)).toEqual(['aborted', 'aborted']);
    expect(server.app.db.select().from(battles).where(eq(battles.id, reply.battleId)).get()!.status).toBe('abandoned');
  });

  it('keeps streaming when the browser comes back within the grace period (a reload)', async () => {
    const upstream = await startUpstream();
    upstream.enqueue(slowAnswer(), slowAnswer());
    const models = ['slow-1', 'slow-2'].map((id) => ({ id, name: id, provider: 'openai' as const, baseUrl: `${upstream.url}/v1` }));
    const server = await startServer({ models, deps: { abandonGraceMs: 1000 } });
    const first = await server.connect({ voterId: 'reloader-01' });
    const firstDelta = new Promise((resolve) => first.once('battle:delta', resolve));
    const reply = await first.emitWithAck('battle:start', { prompt: 'Tell me a long story' });
    if (!reply.ok) throw new Error('start failed');
    await firstDelta;
    first.disconnect();
    const second = await server.connect({ voterId: 'reloader-01' });
    const ends: string[] = [];
    const bothEnded = new Promise<void>((resolve) =>
      second.on('battle:end', (e) => {
        ends.push(e.finishReason);
        if (ends.length === 2) resolve();
      }),
    );
    const resumed = await second.emitWithAck('battle:resume', { battleId: reply.battleId });
    expect(resumed).toMatchObject({ ok: true, battle: { status: 'streaming' } });
    if (resumed.ok) expect(resumed.battle.turns[0]!.a.text.length + resumed.battle.turns[0]!.b.text.length).toBeGreaterThan(0);
    await bothEnded;
    expect(ends).toEqual(['stop', 'stop']);
    expect((await second.emitWithAck('battle:vote', { battleId: reply.battleId, winner: 'a' })).ok).toBe(true);
  });
});

describe('API keys', () => {
  it('never appear in an HTTP response, a socket payload, a log line or the stored error', async () => {
    const KEY = 'sk-live-SUPERSECRET-4f9a8b7c6d5e';
    const upstream = await startUpstream();
    upstream.enqueue(
      // The service echoes the key in its error, as OpenAI's 401 does.
      {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: [
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          }),
        ],
      },
      { status: 200, headers: SSE_HEADERS, body: [chunk('fine'), chunk('', 'stop'), 'data: [DONE]\n\n'] },
    );
    let logs = '';
    const models = [
      { id: 'keyed', name: 'Keyed', provider: 'openai' as const, baseUrl: `${upstream.url}/v1`, apiKeyEnv: 'ARENA_TEST_KEY' },
      { id: 'keyed-2', name: 'Keyed 2', provider: 'openai' as const, baseUrl: `${upstream.url}/v1`, apiKeyEnv: 'ARENA_TEST_KEY' },
    ];
    const server = await startServer({
      models,
      deps: {
        env: { ARENA_TEST_KEY: KEY },
        logger: { level: 'trace', stream: { write: (line: string) => void (logs += line) } },
      },
    });
    const seen: unknown[] = [];
    const socket = await server.connect();
    socket.onAny((event, ...args) => seen.push({ event, args }));
    const ended = new Promise<void>((resolve) => {
      let n = 0;
      socket.on('battle:end', () => ++n === 2 && resolve());
    });
    const reply = await socket.emitWithAck('battle:start', { prompt: 'hello' });
    seen.push(reply);
    await ended;
    if (reply.ok) seen.push(await socket.emitWithAck('battle:resume', { battleId: reply.battleId }));
    if (reply.ok) seen.push(await socket.emitWithAck('battle:vote', { battleId: reply.battleId, winner: 'a' }));
    seen.push(await socket.emitWithAck('leaderboard:subscribe', {}));
    for (const route of server.app.routes.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*'))) {
      seen.push(await (await fetch(`${server.url}${route.url}`)).text());
    }

    // The key was really used...
    expect(upstream.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    // ...and went nowhere else.
    expect(JSON.stringify(seen)).not.toContain(KEY);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(KEY);
    const stored = server.app.db.select().from(answers).all();
    expect(stored.some((a) => a.errorKind === 'http')).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(KEY);
    expect(JSON.stringify(server.app.db.$client.prepare('SELECT * FROM models').all())).not.toContain(KEY);

    // Nor in an export with everything asked for (voters, flagged votes), after a voted battle.
    const ok = () => ({ status: 200, headers: SSE_HEADERS, body: [chunk('all good'), chunk('', 'stop'), 'data: [DONE]\n\n'] });
    upstream.enqueue(ok(), ok());
    const second = new Promise<void>((resolve) => {
      let n = 0;
      socket.on('battle:end', () => ++n === 2 && resolve());
    });
    const again = await socket.emitWithAck('battle:start', { prompt: 'hello again' });
    await second;
    if (again.ok) expect((await socket.emitWithAck('battle:vote', { battleId: again.battleId, winner: 'b' })).ok).toBe(true);
    let exported = '';
    const io = { stdout: { write: (t: string) => void (exported += t) }, stderr: { write: (t: string) => void (exported += t) } };
    expect(await runCli(['export', 'battles', '--db', server.dbFile, '--include-voters', '--include-flagged'], io)).toBe(0);
    expect(exported).toContain('"model_a"');
    expect(exported).not.toContain(KEY);
  });
});
