/**
 * Direct chats on either database: the same checks on SQLite and PostgreSQL through the ChatStore
 * interface. Turns read back in order with their answers (Hangul included), an answer is stored
 * once, one send takes a turn (also when sends race for it, on PostgreSQL on separate
 * connections, or on another instance), feedback is written whole, and a restart or a dead
 * instance leaves its chats answered as interrupted and ready to go on.
 */
import { describe, expect, it } from 'vitest';
import { PgChatRepo } from '../../server/chat/pg-repo.ts';
import { ChatRepo } from '../../server/chat/repo.ts';
import type { ChatAnswer, ChatStore } from '../../server/chat/store.ts';
import { PgModelsRepo } from '../../server/models/pg-repo.ts';
import { ModelRegistry } from '../../server/models/registry.ts';
import { ModelsRepo } from '../../server/models/repo.ts';
import type { ModelStore } from '../../server/models/store.ts';
import { DIALECTS, type Opened, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();
const T0 = 1_764_000_000_000;
const now = () => T0;

const answer = (content: string): ChatAnswer => ({
  finishReason: 'stop',
  content,
  reasoning: '',
  inputTokens: 12,
  outputTokens: 7,
  tokensEstimated: false,
  ttftMs: 120.5,
  totalMs: 900.25,
  reasoningMs: null,
  errorKind: null,
  errorMessage: null,
  costUsd: 0.000123,
});

/** This instance's and another's store on one fresh database, which knows the model `alpha`. */
async function open(dialect: (typeof DIALECTS)[number]): Promise<{ here: ChatStore; there: ChatStore }> {
  const opened: Opened = await dialect.open(cleanup);
  const models = storeOn<ModelStore>(opened, { sqlite: (db) => new ModelsRepo(db, now), pg: (db) => new PgModelsRepo(db, now) });
  await new ModelRegistry(models, {}).syncFromConfig([{ id: 'alpha', name: 'Alpha', provider: 'demo', model: 'sage' }], 'config');
  const chatsOf = (instance: string) =>
    storeOn<ChatStore>(opened, { sqlite: (db) => new ChatRepo(db, now, instance), pg: (db) => new PgChatRepo(db, now, instance) });
  return { here: chatsOf('one'), there: chatsOf('two') };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`direct chats on ${dialect.name}`, () => {
    it('keeps turns in order, stores an answer once, takes each turn once, and writes feedback whole', async () => {
      const { here, there } = await open(dialect);
      await here.createChat({ id: 'c1', voterId: 'v1', modelId: 'alpha', prompt: '힙이 무엇인가요?' });
      expect(await here.getChat('c1')).toMatchObject({ status: 'streaming', turns: 1, instanceId: 'one', voterId: 'v1' });
      expect(await there.streamingElsewhere('v1')).toBe(1);
      expect(await here.streamingElsewhere('v1')).toBe(0);
      expect(await there.streamingInstances()).toEqual(['one']);
      // No second turn while the first streams.
      expect(await there.addTurn('c1', 2, 'too early')).toBe(false);

      await here.saveAnswer('c1', 1, answer('힙은 우선순위 큐를 구현하는 트리입니다.'));
      await here.saveAnswer('c1', 1, answer('a second store of the same turn'));
      expect(await here.getChat('c1')).toMatchObject({ status: 'ready', turns: 1 });
      expect(await there.streamingInstances()).toEqual([]);

      // Sends race for turn 2: one takes it.
      const raced = await Promise.all(['a', 'b', 'c', 'd'].map((p, i) => (i % 2 ? there : here).addTurn('c1', 2, `follow-up ${p}`)));
      expect(raced.filter(Boolean)).toHaveLength(1);
      await here.saveAnswer('c1', 2, answer('두 번째 답'));
      const turns = await there.getTurns('c1');
      expect(turns.map((t) => [t.turn, t.content, t.finishReason])).toEqual([
        [1, '힙은 우선순위 큐를 구현하는 트리입니다.', 'stop'],
        [2, '두 번째 답', 'stop'],
      ]);
      expect(turns[0]).toMatchObject({
        prompt: '힙이 무엇인가요?',
        inputTokens: 12,
        outputTokens: 7,
        tokensEstimated: false,
        ttftMs: 120.5,
        totalMs: 900.25,
        costUsd: 0.000123,
      });
      expect(turns[0]!.answeredAt?.getTime()).toBe(T0);
      expect(turns[1]!.prompt).toMatch(/^follow-up [a-d]$/);

      await here.setFeedback('c1', 1, { rating: 'up', flagged: true, reason: '부정확함' });
      await here.setFeedback('c1', 1, { rating: null, flagged: false, reason: null });
      await here.setFeedback('c1', 2, { rating: 'down', flagged: false, reason: null });
      const feedback = (await there.getFeedback('c1')).sort((x, y) => x.turn - y.turn);
      expect(feedback.map(({ turn, rating, flagged, reason }) => ({ turn, rating, flagged, reason }))).toEqual([
        { turn: 1, rating: null, flagged: false, reason: null },
        { turn: 2, rating: 'down', flagged: false, reason: null },
      ]);
    });

    it('lets the instance that left a chat streaming go on with it, and never lets a late answer finish a newer turn', async () => {
      const { here, there } = await open(dialect);
      // Turn 1's answer could not be stored: the chat is left streaming by `one`.
      await here.createChat({ id: 'c', voterId: 'v', modelId: 'alpha', prompt: 'first' });
      expect(await there.addTurn('c', 2, 'from another instance')).toBe(false);
      expect(await here.addTurn('c', 2, 'second')).toBe(true);
      // Turn 2 streams; turn 1's answer arrives late: stored on its turn, the chat still streaming.
      await here.saveAnswer('c', 1, answer('late'));
      expect(await here.getChat('c')).toMatchObject({ status: 'streaming', turns: 2 });
      expect(await there.addTurn('c', 3, 'too early')).toBe(false);
      expect((await here.getTurns('c')).map((t) => [t.turn, t.finishReason])).toEqual([
        [1, 'stop'],
        [2, null],
      ]);
      await here.saveAnswer('c', 2, answer('on time'));
      expect(await here.getChat('c')).toMatchObject({ status: 'ready', turns: 2 });
    });

    it('stores answers while a survivor reaps the same chats, without a deadlock or a lost answer', async () => {
      const { here, there } = await open(dialect);
      for (let round = 0; round < 30; round++) {
        const ids = [0, 1, 2].map((i) => `r${round}-${i}`);
        for (const id of ids) await here.createChat({ id, voterId: 'v', modelId: 'alpha', prompt: 'p' });
        // The answers are stored as the survivor (wrongly) finds `one` dead: each turn ends one way.
        await Promise.all([...ids.map((id) => here.saveAnswer(id, 1, answer(`answer ${id}`))), there.failStreamingOf(['one'])]);
        for (const id of ids) {
          expect((await here.getChat(id))!.status).toBe('ready');
          const [turn] = await here.getTurns(id);
          expect(turn!.finishReason === 'stop' ? turn!.content : turn!.errorKind).toMatch(new RegExp(`^(answer ${id}|interrupted)$`));
        }
      }
    });

    it("answers a restarted instance's chats and a dead instance's as interrupted, and leaves the others' streaming", async () => {
      const { here, there } = await open(dialect);
      await here.createChat({ id: 'mine', voterId: 'v1', modelId: 'alpha', prompt: 'one' });
      await there.createChat({ id: 'theirs', voterId: 'v2', modelId: 'alpha', prompt: 'two' });
      await there.createChat({ id: 'theirs-too', voterId: 'v2', modelId: 'alpha', prompt: 'three' });

      expect(await here.failInterrupted({ alone: false })).toBe(1);
      expect(await here.getChat('mine')).toMatchObject({ status: 'ready' });
      expect((await here.getTurns('mine'))[0]).toMatchObject({ finishReason: 'error', errorKind: 'interrupted' });
      expect((await here.getChat('theirs'))!.status).toBe('streaming');
      // The interrupted chat goes on.
      expect(await here.addTurn('mine', 2, 'again')).toBe(true);

      expect(await here.failStreamingOf([])).toBe(0);
      expect(await here.failStreamingOf(['two'])).toBe(2);
      for (const id of ['theirs', 'theirs-too']) {
        expect((await here.getChat(id))!.status).toBe('ready');
        expect((await here.getTurns(id))[0]).toMatchObject({ finishReason: 'error', errorKind: 'interrupted', content: '' });
      }
      expect(await here.streamingInstances()).toEqual([]);
      // Alone, a restart takes every streaming chat.
      expect(await there.failInterrupted()).toBe(1);
      expect((await here.getChat('mine'))!.status).toBe('ready');
    });
  });
}
