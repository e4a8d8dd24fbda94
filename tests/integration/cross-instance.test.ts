/**
 * Battles across two instances (in this process) on one database and a real Redis: a battle stays
 * with the instance streaming it; a page that reconnects to the other instance resumes it there
 * (the text so far, then the pieces through Redis, never one twice), keeps it alive, stops it, and
 * votes on it; pieces go through Redis only while a page elsewhere watches.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { io as connectClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { AckOf } from '../../client/src/lib/socket-types.ts';
import type { ChatDelta, ChatEnd } from '../../protocol/chat.ts';
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import { useCleanup } from '../support/hooks.ts';
import { skipRedis, startRedis } from '../support/services.ts';
import { fastDemoModels, playBattle, startTestServer, type TestServer, type TestSocket } from '../support/test-server.ts';

const cleanup = useCleanup();
/** Answers that take a few seconds: long enough to move a page mid-stream. */
const slowModels = fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 60 }));

async function twoInstances(abandonGraceMs = 400): Promise<{ one: TestServer; two: TestServer; redisUrl: string; dir: string }> {
  const redis = cleanup.add(await startRedis());
  const dir = cleanup.tempDir('arena-cross-');
  const opts = { dir, redisUrl: redis.url, models: slowModels, deps: { abandonGraceMs } };
  const one = cleanup.add(await startTestServer({ ...opts, instanceId: 'one' }));
  const two = cleanup.add(await startTestServer({ ...opts, instanceId: 'two' }));
  return { one, two, redisUrl: redis.url, dir };
}

/** Starts a battle on `socket` and waits until both sides have streamed something. */
async function streamingBattle(socket: TestSocket): Promise<string> {
  const text = { a: '', b: '' };
  const onDelta = (d: BattleDelta) => {
    text[d.side] += d.text;
  };
  socket.on('battle:delta', onDelta);
  const reply = await socket.emitWithAck('battle:start', { prompt: 'Explain how a hash map works' });
  if (!reply.ok) throw new Error(reply.error.message);
  await expect.poll(() => Math.min(text.a.length, text.b.length)).toBeGreaterThan(10);
  socket.off('battle:delta', onDelta);
  return reply.battleId;
}

/** Everything a socket hears of a battle: pieces per side and ends, in order. */
function listen(socket: TestSocket, battleId: string) {
  const heard = { a: [] as string[], b: [] as string[], ends: [] as BattleEnd[] };
  socket.on('battle:delta', (d) => d.battleId === battleId && heard[d.side].push(d.text));
  socket.on('battle:end', (e) => e.battleId === battleId && heard.ends.push(e));
  return heard;
}

const statusOf = (server: TestServer, battleId: string) => server.app.db.$client.prepare('SELECT status FROM battles WHERE id = ?').pluck().get(battleId);
const answersOf = (server: TestServer, battleId: string) =>
  server.app.db.$client.prepare('SELECT side, content, error_kind AS errorKind FROM answers WHERE battle_id = ? ORDER BY side').all(battleId) as Array<{
    side: 'a' | 'b';
    content: string;
    errorKind: string | null;
  }>;

describe.skipIf(skipRedis)('battles across instances', () => {
  it('a page that reconnects to the other instance gets the text so far, the rest through Redis (never twice), and votes there', async () => {
    const { one, two } = await twoInstances();
    const voterId = randomUUID();
    const first = await one.connect({ voterId });
    const battleId = await streamingBattle(first);
    first.disconnect(); // its instance's abandon grace (400 ms) starts: nobody watches for now

    const second = await two.connect({ voterId });
    const heard = listen(second, battleId);
    // As the page does: the view is taken in the answer's own callback, where the pieces after it begin.
    let afterAck = { a: 0, b: 0 };
    const reply = await new Promise<AckOf<'battle:resume'>>((resolve) =>
      second.emit('battle:resume', { battleId }, (r) => {
        afterAck = { a: heard.a.length, b: heard.b.length };
        resolve(r);
      }),
    );
    if (!reply.ok) throw new Error(reply.error.message);
    const turn = reply.battle.turns[0]!;
    expect(reply.battle.status).toBe('streaming');
    expect(turn.a.text.length).toBeGreaterThan(10);

    // Longer than the grace: instance one knows the page watches from two and keeps streaming.
    await expect.poll(() => heard.ends.length, { timeout: 30_000 }).toBe(2);
    expect(heard.ends.map((e) => e.finishReason)).toEqual(['stop', 'stop']);
    for (const { side, content, errorKind } of answersOf(one, battleId)) {
      expect(errorKind).toBeNull();
      // What the page shows: the resumed text, then every piece after the answer, exactly once.
      expect(turn[side].text + heard[side].slice(afterAck[side]).join('')).toBe(content);
    }
    expect(await second.emitWithAck('battle:vote', { battleId, winner: 'a', voteId: randomUUID() })).toMatchObject({ ok: true, counted: true });
  });

  it('the streaming instance abandons a battle once the page watching from the other instance leaves too', async () => {
    const { one, two } = await twoInstances();
    const voterId = randomUUID();
    const first = await one.connect({ voterId });
    const battleId = await streamingBattle(first);
    first.disconnect();
    const second = await two.connect({ voterId });
    expect(await second.emitWithAck('battle:resume', { battleId })).toMatchObject({ ok: true });
    second.disconnect(); // two tells one; one's grace starts

    await expect.poll(() => statusOf(one, battleId), { timeout: 10_000 }).toBe('abandoned');
    expect(answersOf(one, battleId).map((a) => a.errorKind)).toContain('aborted');
  });

  it('Stop on the other instance cuts the battle where it streams', async () => {
    const { one, two } = await twoInstances(60_000);
    const voterId = randomUUID();
    const first = await one.connect({ voterId });
    const battleId = await streamingBattle(first);
    first.disconnect();
    const second = await two.connect({ voterId });
    expect(await second.emitWithAck('battle:resume', { battleId })).toMatchObject({ ok: true });
    // Someone else's stop is refused without reaching the streaming instance.
    const stranger = await two.connect({ voterId: randomUUID() });
    expect(await stranger.emitWithAck('battle:stop', { battleId })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect(await second.emitWithAck('battle:stop', { battleId })).toEqual({ ok: true });
    expect(answersOf(one, battleId).map((a) => a.errorKind)).toEqual(['stopped', 'stopped']);
    expect(statusOf(two, battleId)).toBe('abandoned');
  });

  it('an instance that starts leaves a live peer’s streaming battles alone', async () => {
    const { one, redisUrl, dir } = await twoInstances();
    const page = await one.connect({ voterId: randomUUID() });
    const battleId = await streamingBattle(page);
    const heard = listen(page, battleId);
    cleanup.add(await startTestServer({ dir, redisUrl, models: slowModels, instanceId: 'three' }));
    expect(statusOf(one, battleId)).toBe('streaming');
    await expect.poll(() => heard.ends.length, { timeout: 30_000 }).toBe(2);
    expect(statusOf(one, battleId)).toBe('ready');
  });

  it('publishes a battle’s pieces to Redis only while a page on another instance watches it', async () => {
    const { one, two, redisUrl } = await twoInstances(60_000);
    const spy = createClient({ url: redisUrl });
    await spy.connect();
    cleanup.defer(() => spy.close());
    const published: string[] = [];
    await spy.pSubscribe('arena#*', (_message, channel) => published.push(String(channel)), true);

    const voterId = randomUUID();
    const local = await one.connect({ voterId });
    const battleId = await streamingBattle(local);
    const heard = listen(local, battleId);
    expect(published.filter((c) => c.includes(battleId))).toEqual([]);

    const remote = await two.connect({ voterId });
    expect(await remote.emitWithAck('battle:resume', { battleId })).toMatchObject({ ok: true });
    await expect.poll(() => heard.ends.length, { timeout: 30_000 }).toBe(2);
    expect(published.filter((c) => c.includes(battleId)).length).toBeGreaterThan(0);
  });

  it('an instance shutting down tells only its own pages that it restarts', async () => {
    const { one, two } = await twoInstances();
    // Not one of one's test sockets (closing a test server disconnects those first).
    const mine: TestSocket = connectClient(one.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    cleanup.defer(() => void mine.disconnect());
    await new Promise((resolve) => mine.once('connect', () => resolve(null)));
    const theirs = await two.connect({ voterId: randomUUID() });
    const heard: string[] = [];
    mine.on('server:restarting', () => heard.push('one'));
    theirs.on('server:restarting', () => heard.push('two'));
    await one.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual(['one']);
  });

  it('a model failing on one instance is in an outage on the other too', async () => {
    const redis = cleanup.add(await startRedis());
    const dir = cleanup.tempDir('arena-cross-outage-');
    const models = ['m-a', 'm-b', 'm-c', 'm-down'].map((id) => ({
      id,
      name: id.toUpperCase(),
      provider: 'demo' as const,
      tokensPerSecond: 0,
      ...(id === 'm-down' ? { failAfterTokens: 0 } : {}),
    }));
    const opts = {
      dir,
      redisUrl: redis.url,
      models,
      loadTest: true,
      config: { matchmaking: { policy: 'weighted', outage: { failures: 2, cooldownSeconds: 3600 } } },
    };
    const one = cleanup.add(await startTestServer({ ...opts, instanceId: 'one' }));
    const two = cleanup.add(await startTestServer({ ...opts, instanceId: 'two' }));
    const pairsOn = (instance: string) =>
      (one.app.db.$client.prepare('SELECT model_a, model_b FROM battles WHERE instance_id = ? ORDER BY rowid').raw().all(instance) as string[][]).map((p) =>
        p.join('+'),
      );
    // m-down fails twice on one (every answer of it fails)…
    const onOne = await one.connect({ voterId: randomUUID() });
    for (let i = 0; pairsOn('one').filter((p) => p.includes('m-down')).length < 2 && i < 200; i++) await playBattle(onOne, `warm-up ${i}`);
    expect(pairsOn('one').filter((p) => p.includes('m-down'))).toHaveLength(2);
    // …and two, which never drew it, leaves it out from then on.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const onTwo = await two.connect({ voterId: randomUUID() });
    for (let i = 0; i < 30; i++) await playBattle(onTwo, `after ${i}`);
    expect(pairsOn('two')).toHaveLength(30);
    expect(pairsOn('two').filter((p) => p.includes('m-down'))).toEqual([]);
  });

  describe('direct chats', () => {
    const chatContent = (server: TestServer, chatId: string) =>
      server.app.db.$client.prepare('SELECT content, error_kind AS errorKind FROM chat_turns WHERE chat_id = ? ORDER BY turn').all(chatId) as Array<{
        content: string;
        errorKind: string | null;
      }>;

    async function streamingChat(socket: TestSocket): Promise<string> {
      let text = '';
      const onDelta = (d: ChatDelta) => {
        text += d.text;
      };
      socket.on('chat:delta', onDelta);
      const reply = await socket.emitWithAck('chat:start', { modelId: 'model-alpha', prompt: '해시 맵이 어떻게 동작하는지 설명해 주세요' });
      if (!reply.ok) throw new Error(reply.error.message);
      await expect.poll(() => text.length).toBeGreaterThan(10);
      socket.off('chat:delta', onDelta);
      return reply.chatId;
    }

    it('a page that reconnects to the other instance gets the answer so far, the rest once, and keeps it alive past the grace', async () => {
      const { one, two } = await twoInstances();
      const voterId = randomUUID();
      const first = await one.connect({ voterId });
      const chatId = await streamingChat(first);
      first.disconnect();

      const second = await two.connect({ voterId });
      const pieces: string[] = [];
      const ends: ChatEnd[] = [];
      second.on('chat:delta', (d) => d.chatId === chatId && pieces.push(d.text));
      second.on('chat:end', (e) => e.chatId === chatId && ends.push(e));
      let afterAck = 0;
      const reply = await new Promise<AckOf<'chat:resume'>>((resolve) =>
        second.emit('chat:resume', { chatId }, (r) => {
          afterAck = pieces.length;
          resolve(r);
        }),
      );
      if (!reply.ok) throw new Error(reply.error.message);
      expect(reply.chat.status).toBe('streaming');
      const soFar = reply.chat.turns[0]!.answer.text;
      expect(soFar.length).toBeGreaterThan(10);

      await expect.poll(() => ends.length, { timeout: 30_000 }).toBe(1);
      expect(ends[0]!.finishReason).toBe('stop');
      const [stored] = chatContent(one, chatId);
      expect(stored!.errorKind).toBeNull();
      expect(soFar + pieces.slice(afterAck).join('')).toBe(stored!.content);
    });

    it('Stop on the other instance cuts the chat where it streams', async () => {
      const { one, two } = await twoInstances(60_000);
      const voterId = randomUUID();
      const first = await one.connect({ voterId });
      const chatId = await streamingChat(first);
      first.disconnect();
      const second = await two.connect({ voterId });
      expect(await second.emitWithAck('chat:resume', { chatId })).toMatchObject({ ok: true });
      const stranger = await two.connect({ voterId: randomUUID() });
      expect(await stranger.emitWithAck('chat:stop', { chatId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await second.emitWithAck('chat:stop', { chatId })).toEqual({ ok: true });
      await expect.poll(() => chatContent(one, chatId)[0]?.errorKind).toBe('stopped');
    });
  });
});
