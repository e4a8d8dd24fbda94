/** The state of the named side-by-side page (BattleState in its own slot, NamedPicks) and of the direct chat page (ChatState). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BattleState } from '../../../client/src/lib/battle.svelte.ts';
import { ChatState } from '../../../client/src/lib/chat.svelte.ts';
import { NamedPicks } from '../../../client/src/lib/named.svelte.ts';
import type { ChatView } from '../../../protocol/chat.ts';
import type { BattleView } from '../../../protocol/types.ts';
import { fakeFetch } from './fake-http.ts';
import { FakeSocket, MemoryStorage } from './fake-socket.ts';

const named = { a: { id: 'm1', name: 'Model One' }, b: { id: 'm2', name: 'Model Two' } };
const noFeedback = { rating: null, flagged: false, reason: null };

beforeEach(() => {
  vi.stubGlobal('sessionStorage', new MemoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('named battles in BattleState', () => {
  it('send the chosen pair with the first prompt only, keep their battle in their own slot, and learn the names on resume', async () => {
    const view: BattleView = { battleId: 'n1', status: 'ready', turns: [], vote: null, named };
    const socket = new FakeSocket()
      .serve('battle:start', () => ({ ok: true, battleId: 'n1' }))
      .serve('battle:continue', () => ({ ok: true }))
      .serve('battle:resume', () => ({ ok: true, battle: view }));
    const battle = new BattleState(socket.asSocket(), { storage: 'arena.named' });
    expect(await battle.send('Compare', { models: { a: 'm1', b: 'm2' } })).toBe(true);
    expect(socket.sentOf('battle:start')).toEqual([{ prompt: 'Compare', models: { a: 'm1', b: 'm2' } }]);
    expect(sessionStorage.getItem('arena.named.currentBattle')).toBe('n1');
    expect(sessionStorage.getItem('arena.currentBattle')).toBeNull(); // the blind page's battle is left alone

    const again = new BattleState(socket.asSocket(), { storage: 'arena.named' });
    expect(again.named).toBeNull();
    await again.resume();
    expect(again.named).toEqual(named);
    again.reset();
    expect(again.named).toBeNull();
    expect(sessionStorage.getItem('arena.named.currentBattle')).toBeNull();
  });
});

describe('NamedPicks', () => {
  it('chooses the first two public models until the person picks, and refuses the same model twice', async () => {
    fakeFetch(() => ({ json: { models: [named.a, named.b, { id: 'm3', name: 'Model Three' }].map((m) => ({ ...m, demo: true })) } }));
    const picks = new NamedPicks();
    await picks.load();
    expect([picks.a, picks.b, picks.pair]).toEqual(['m1', 'm2', { a: 'm1', b: 'm2' }]);
    picks.choose('b', 'm1');
    expect([picks.valid, picks.pair]).toEqual([false, null]);
    picks.choose('b', 'm3');
    expect(picks.nameOf('b')).toBe('Model Three');
  });

  it('keeps the server error when the list cannot be loaded', async () => {
    fakeFetch(() => ({ status: 503, json: { ok: false, error: { code: 'unavailable', message: 'down' } } }));
    const picks = new NamedPicks();
    await picks.load();
    expect(picks.error).toMatchObject({ code: 'unavailable' });
    expect(picks.models).toBeNull();
  });
});

/** A server with one chat `c1` with model m1. */
function chatServer(): FakeSocket {
  return new FakeSocket()
    .serve('chat:models', () => ({ ok: true, models: [{ ...named.a, demo: true, enabled: true }] }))
    .serve('chat:start', () => ({ ok: true, chatId: 'c1' }))
    .serve('chat:send', () => ({ ok: true }))
    .serve('chat:stop', () => ({ ok: true }))
    .serve('chat:feedback', (p) => ({
      ok: true,
      feedback: { rating: p.rating ?? null, flagged: p.flagged ?? false, reason: p.reason ?? null },
    }));
}

describe('ChatState', () => {
  it('starts a chat with the chosen model, streams each turn into its own answer, and continues it', async () => {
    const socket = chatServer();
    const chat = new ChatState(socket.asSocket());
    await chat.loadModels();
    expect(chat.modelId).toBe('m1');
    expect(await chat.send('안녕하세요')).toBe(true);
    expect(socket.sentOf('chat:start')).toEqual([{ modelId: 'm1', prompt: '안녕하세요' }]);
    expect(chat.model).toEqual({ id: 'm1', name: 'Model One' });
    socket.push('chat:delta', { chatId: 'c1', turn: 1, text: '반갑' });
    socket.push('chat:delta', { chatId: 'c1', turn: 1, text: '', reasoning: 'think' });
    socket.push('chat:delta', { chatId: 'other', turn: 1, text: 'not ours' });
    socket.push('chat:delta', { chatId: 'c1', turn: 1, text: '습니다' });
    expect(chat.streaming).toBe(true);
    expect(chat.canPrompt).toBe(false);
    socket.push('chat:end', { chatId: 'c1', turn: 1, finishReason: 'stop' });
    expect(chat.turns[0]!.answer).toMatchObject({ text: '반갑습니다', reasoning: 'think', finishReason: 'stop' });
    expect(chat.canPrompt).toBe(true);

    expect(await chat.send('Next')).toBe(true);
    expect(socket.sentOf('chat:send')).toEqual([{ chatId: 'c1', prompt: 'Next' }]);
    expect(chat.turns.map((t) => t.turn)).toEqual([1, 2]);
    expect(sessionStorage.getItem('arena.currentChat')).toBe('c1');
  });

  it('takes back a refused message and keeps the reason', async () => {
    const socket = chatServer().serve('chat:start', () => ({ ok: false, error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 900 } }));
    const chat = new ChatState(socket.asSocket());
    await chat.loadModels();
    expect(await chat.send('Hello')).toBe(false);
    expect(chat.turns).toEqual([]);
    expect(chat.error).toMatchObject({ code: 'rate_limited' });
  });

  it('toggles thumbs, flags with a trimmed reason or none, and unflags', async () => {
    const socket = chatServer();
    const chat = new ChatState(socket.asSocket());
    await chat.loadModels();
    await chat.send('Hello');
    socket.push('chat:end', { chatId: 'c1', turn: 1, finishReason: 'stop' });
    await chat.rate(1, 'up');
    expect(chat.turns[0]!.feedback.rating).toBe('up');
    await chat.rate(1, 'up'); // the same thumb again clears it
    expect(chat.turns[0]!.feedback.rating).toBeNull();
    await chat.flag(1, '  틀린 정보  ');
    await chat.flag(1, '   ');
    await chat.unflag(1);
    expect(socket.sentOf('chat:feedback').map(({ chatId: _, ...p }) => p)).toEqual([
      { turn: 1, rating: 'up' },
      { turn: 1, rating: null },
      { turn: 1, flagged: true, reason: '틀린 정보' },
      { turn: 1, flagged: true },
      { turn: 1, flagged: false },
    ]);
    expect(chat.turns[0]!.feedback).toEqual(noFeedback);
  });

  it('resumes the tab’s chat after a reload, and a new chat stops the answer still coming', async () => {
    const view: ChatView = {
      chatId: 'c1',
      model: named.b,
      status: 'streaming',
      turns: [
        {
          turn: 1,
          prompt: 'Hi',
          answer: { text: 'Hel', reasoning: '', reasoningMs: null, finishReason: null, error: null, failure: null, interruption: null },
          feedback: noFeedback,
        },
      ],
    };
    const socket = chatServer().serve('chat:resume', () => ({ ok: true, chat: view }));
    sessionStorage.setItem('arena.currentChat', 'c1');
    const chat = new ChatState(socket.asSocket());
    await chat.resume();
    expect(chat.model).toEqual(named.b);
    socket.push('chat:delta', { chatId: 'c1', turn: 1, text: 'lo' });
    expect(chat.turns[0]!.answer.text).toBe('Hello');
    await chat.newChat();
    expect(socket.sentOf('chat:stop')).toEqual([{ chatId: 'c1' }]);
    expect([chat.chatId, chat.turns.length, sessionStorage.getItem('arena.currentChat')]).toEqual([null, 0, null]);
    chat.destroy();
    expect(socket.listenerCount('chat:delta')).toBe(0);
  });
});
