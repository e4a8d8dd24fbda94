/**
 * Direct chat against a fake OpenAI-compatible service: one chosen model, a multi-turn conversation
 * streamed over the socket, thumbs and flags stored per answer, and nothing of it ever counted in a
 * rating, a standings view or a public speed or cost figure.
 */
import { describe, expect, it } from 'vitest';
import { answers, ratings, votes } from '../../db/schema.ts';
import { chatFeedback, chats, chatTurns } from '../../db/schema-chat.ts';
import type { ChatEnd } from '../../protocol/chat.ts';
import type { ModelProfile } from '../../protocol/standings.ts';
import type { Leaderboard } from '../../protocol/types.ts';
import { connectWith, signedIn } from '../support/auth.ts';
import { type FakeUpstream, SSE_HEADERS, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels, type TestServer, type TestServerOptions, type TestSocket, useTestServer } from '../support/test-server.ts';
import { OPENAI_TEXT, OPENAI_TEXT_STREAM } from '../support/upstream-fixtures/openai.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const startUpstream = useFakeUpstream(cleanup);

function chunk(content: string, finish: string | null = null): string {
  return `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":${JSON.stringify(finish)}}]}\n\n`;
}
const answer = (text: string, gapMs?: number) => ({
  status: 200,
  headers: SSE_HEADERS,
  body: [...[...text].map((c) => chunk(c)), chunk('', 'stop'), 'data: [DONE]\n\n'],
  ...(gapMs !== undefined ? { gapMs } : {}),
});

const fakeGpt = (upstream: FakeUpstream) => ({
  id: 'fake-gpt',
  name: 'Fake GPT',
  provider: 'openai' as const,
  baseUrl: `${upstream.url}/v1`,
  model: 'gpt-4o-mini',
  systemPrompt: 'Answer briefly.',
  pricing: { inputPerMillion: 3, outputPerMillion: 15 },
});

async function chatServer(upstream: FakeUpstream, opts: TestServerOptions = {}): Promise<TestServer> {
  return startServer({ models: [fakeGpt(upstream), ...fastDemoModels], ...opts });
}

/** Resolves with the streamed text and the end of one turn; call before emitting. */
function nextAnswer(socket: TestSocket, turn: number): Promise<{ text: string; end: ChatEnd }> {
  return new Promise((resolve) => {
    let text = '';
    const onDelta = (d: { turn: number; text: string }) => {
      if (d.turn === turn) text += d.text;
    };
    const onEnd = (end: ChatEnd) => {
      if (end.turn !== turn) return;
      socket.off('chat:delta', onDelta);
      socket.off('chat:end', onEnd);
      resolve({ text, end });
    };
    socket.on('chat:delta', onDelta);
    socket.on('chat:end', onEnd);
  });
}

describe('direct chat', () => {
  it('streams a multi-turn conversation with the chosen model, each turn sent the whole conversation', async () => {
    const upstream = await startUpstream();
    upstream.enqueue({ status: 200, headers: SSE_HEADERS, body: OPENAI_TEXT_STREAM }, answer('서울은 한국의 수도입니다.'));
    const server = await chatServer(upstream);
    const socket = await server.connect({ voterId: 'chatter-0001' });

    const first = nextAnswer(socket, 1);
    const started = await socket.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'Say hello' });
    if (!started.ok) throw new Error(started.error.message);
    expect(await first).toEqual({ text: OPENAI_TEXT, end: { chatId: started.chatId, turn: 1, finishReason: 'stop' } });

    const second = nextAnswer(socket, 2);
    expect(await socket.emitWithAck('chat:send', { chatId: started.chatId, prompt: '한국의 수도는 어디인가요?' })).toEqual({ ok: true });
    expect((await second).text).toBe('서울은 한국의 수도입니다.');
    expect((upstream.requests[1]!.body as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Say hello' },
      { role: 'assistant', content: OPENAI_TEXT },
      { role: 'user', content: '한국의 수도는 어디인가요?' },
    ]);

    const resumed = await socket.emitWithAck('chat:resume', { chatId: started.chatId });
    expect(resumed).toMatchObject({
      ok: true,
      chat: {
        chatId: started.chatId,
        model: { id: 'fake-gpt', name: 'Fake GPT' },
        status: 'ready',
        turns: [
          { turn: 1, prompt: 'Say hello', answer: { text: OPENAI_TEXT, finishReason: 'stop' }, feedback: { rating: null, flagged: false, reason: null } },
          { turn: 2, prompt: '한국의 수도는 어디인가요?', answer: { text: '서울은 한국의 수도입니다.', finishReason: 'stop' } },
        ],
      },
    });
    const stored = server.app.db.select().from(chatTurns).all();
    expect(stored.map((t) => [t.turn, t.content])).toEqual([
      [1, OPENAI_TEXT],
      [2, '서울은 한국의 수도입니다.'],
    ]);
    // Tokens as the service reported them, priced like a battle's answer.
    expect(stored[0]).toMatchObject({ inputTokens: 19, outputTokens: 8, costUsd: (19 * 3 + 8 * 15) / 1e6 });
    expect(server.app.db.select().from(chats).get()).toMatchObject({ voterId: 'anon:chatter-0001', modelId: 'fake-gpt', status: 'ready', turns: 2 });
  });

  it('stores thumbs and flags per answer, and counts them in no rating, vote or public figure', async () => {
    const upstream = await startUpstream();
    upstream.enqueue(answer('First answer'), answer('Second answer'));
    const server = await chatServer(upstream, { deps: { btIntervalMs: 0 } });
    const socket = await server.connect({ voterId: 'chatter-0002' });
    const first = nextAnswer(socket, 1);
    const started = await socket.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'One' });
    if (!started.ok) throw new Error(started.error.message);
    await first;
    const second = nextAnswer(socket, 2);
    await socket.emitWithAck('chat:send', { chatId: started.chatId, prompt: 'Two' });
    await second;
    const { chatId } = started;

    expect(await socket.emitWithAck('chat:feedback', { chatId, turn: 1, rating: 'up' })).toEqual({
      ok: true,
      feedback: { rating: 'up', flagged: false, reason: null },
    });
    expect(await socket.emitWithAck('chat:feedback', { chatId, turn: 2, rating: 'down' })).toMatchObject({ ok: true });
    expect(await socket.emitWithAck('chat:feedback', { chatId, turn: 2, flagged: true, reason: '  사실과 다릅니다  ' })).toEqual({
      ok: true,
      feedback: { rating: 'down', flagged: true, reason: '사실과 다릅니다' },
    });
    // A changed mind: thumbs cleared on turn 1, the flag kept on turn 2.
    expect(await socket.emitWithAck('chat:feedback', { chatId, turn: 1, rating: null })).toMatchObject({ feedback: { rating: null } });
    const rows = server.app.db.select().from(chatFeedback).all();
    expect(rows.map(({ chatId: _, updatedAt: __, ...r }) => r).sort((a, b) => a.turn - b.turn)).toEqual([
      { turn: 1, rating: null, flagged: false, reason: null },
      { turn: 2, rating: 'down', flagged: true, reason: '사실과 다릅니다' },
    ]);

    // Nothing of the chat reaches votes, ratings, answers or any public figure of the model.
    expect(server.app.db.select().from(votes).all()).toEqual([]);
    expect(server.app.db.select().from(ratings).all()).toEqual([]);
    expect(server.app.db.select().from(answers).all()).toEqual([]);
    const board = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as Leaderboard;
    expect(board.totalVotes).toBe(0);
    expect(board.models.find((m) => m.id === 'fake-gpt')?.speed).toBeUndefined();
    const all = (await (await fetch(`${server.url}/api/standings?votes=all&minVotes=0`)).json()) as { standings: { votes: number; models: unknown[] } };
    expect(all.standings).toMatchObject({ votes: 0, models: [] });
    const profile = (await (await fetch(`${server.url}/api/models/fake-gpt/profile`)).json()) as { profile: ModelProfile };
    expect(profile.profile).toMatchObject({ standing: null, speed: null, distributions: { latencyMs: [], tokensPerSecond: [], costUsd: [] } });
  });

  it('offers admins every registry model and everyone else the enabled ones', async () => {
    const upstream = await startUpstream();
    upstream.enqueue(answer('Still works'));
    const server = await chatServer(upstream);
    await server.app.registry.update('fake-gpt', { enabled: false });
    const visitor = await server.connect({ voterId: 'chatter-0003' });
    const admin = await connectWith(server, { cookie: await signedIn(server, 'admin@example.com', 'admin') });

    const offered = async (socket: TestSocket) => {
      const reply = await socket.emitWithAck('chat:models', {});
      return reply.ok ? reply.models.map((m) => [m.id, m.enabled]) : reply;
    };
    expect(await offered(visitor)).toEqual(fastDemoModels.map((m) => [m.id, true]));
    expect(await offered(admin)).toEqual([...fastDemoModels.map((m) => [m.id, true]), ['fake-gpt', false]]);
    expect(await visitor.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'Hi' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'modelId' },
    });
    const done = nextAnswer(admin, 1);
    expect(await admin.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'Hi' })).toMatchObject({ ok: true });
    expect((await done).text).toBe('Still works');
  });

  it('stops a running answer, keeps the chat going, and refuses what is not the caller’s or not valid', async () => {
    const upstream = await startUpstream();
    upstream.enqueue(answer('A long story that takes its time to be told in full', 40), answer('Short'));
    const server = await chatServer(upstream, { config: { limits: { battlesBurst: 1, battlesPerMinute: 1, turnsBurst: 1000, maxConcurrentBattles: 100 } } });
    const owner = await server.connect({ voterId: 'chatter-0004' });
    const other = await server.connect({ voterId: 'chatter-0005' });

    const firstDelta = new Promise((resolve) => owner.once('chat:delta', resolve));
    const stopped = nextAnswer(owner, 1);
    const started = await owner.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'Tell me a story' });
    if (!started.ok) throw new Error(started.error.message);
    const { chatId } = started;
    await firstDelta;
    expect(await owner.emitWithAck('chat:send', { chatId, prompt: 'Too early' })).toMatchObject({ ok: false, error: { code: 'not_finished' } });
    expect(await owner.emitWithAck('chat:stop', { chatId })).toEqual({ ok: true });
    expect((await stopped).end).toMatchObject({ finishReason: 'error', failure: 'stopped', interruption: 'stopped' });

    // Someone else's chat answers like a missing one.
    expect(await other.emitWithAck('chat:send', { chatId, prompt: 'Mine now' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'chatId' } });
    expect(await other.emitWithAck('chat:resume', { chatId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await other.emitWithAck('chat:feedback', { chatId, turn: 1, rating: 'up' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Bad feedback is refused with the field named.
    expect(await owner.emitWithAck('chat:feedback', { chatId, turn: 9, rating: 'up' })).toMatchObject({ ok: false, error: { field: 'turn' } });
    expect(await owner.emitWithAck('chat:feedback', { chatId, turn: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'rating' } });
    expect(await owner.emitWithAck('chat:feedback', { chatId, turn: 1, rating: 'up', reason: 'why' })).toMatchObject({ ok: false, error: { field: 'reason' } });
    expect(await owner.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: '   ' })).toMatchObject({ ok: false, error: { field: 'prompt' } });

    // The stopped turn is left out of what the model is sent next.
    const next = nextAnswer(owner, 2);
    expect(await owner.emitWithAck('chat:send', { chatId, prompt: 'Just a short one' })).toEqual({ ok: true });
    expect((await next).text).toBe('Short');
    expect((upstream.requests[1]!.body as { messages: Array<{ role: string }> }).messages.map((m) => m.role)).toEqual(['system', 'user']);

    // New chats take from the arena's limits, in a bucket of their own.
    expect(await owner.emitWithAck('chat:start', { modelId: 'fake-gpt', prompt: 'Another' })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', retryAfterMs: expect.any(Number) },
    });
    expect(await owner.emitWithAck('battle:start', { prompt: 'A battle still starts' })).toMatchObject({ ok: true });
  });
});
