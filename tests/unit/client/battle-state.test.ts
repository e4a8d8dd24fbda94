import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BattleState } from '../../../client/src/lib/battle.svelte.ts';
import type { BattleView } from '../../../protocol/types.ts';
import { deferred, FakeSocket, MemoryStorage } from './fake-socket.ts';

const revealed = { a: { id: 'm1', name: 'Model One' }, b: { id: 'm2', name: 'Model Two' } };

/** A socket whose server starts battle `b1` and counts every vote. */
function arena(): FakeSocket {
  return new FakeSocket()
    .serve('battle:start', () => ({ ok: true, battleId: 'b1' }))
    .serve('battle:continue', () => ({ ok: true }))
    .serve('battle:vote', () => ({ ok: true, models: revealed, counted: true, flags: [] }));
}

/** A battle on `b1` whose first turn has been answered in full on both sides. */
async function answered(socket: FakeSocket): Promise<BattleState> {
  const battle = new BattleState(socket.asSocket());
  expect(await battle.send('Explain binary search')).toBe(true);
  socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'a', text: 'Halve' });
  socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'b', text: 'Split' });
  socket.push('battle:end', { battleId: 'b1', turn: 1, side: 'a', finishReason: 'stop' });
  socket.push('battle:end', { battleId: 'b1', turn: 1, side: 'b', finishReason: 'stop' });
  return battle;
}

beforeEach(() => {
  vi.stubGlobal('sessionStorage', new MemoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('BattleState', () => {
  it('appends each streamed piece to the side it belongs to, reasoning apart from the answer', async () => {
    const socket = arena();
    const battle = new BattleState(socket.asSocket());
    await battle.send('Explain binary search');
    socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'a', text: 'Hal' });
    socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'b', text: 'Split ' });
    socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'a', text: 've' });
    socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'b', text: '', reasoning: 'think' });
    socket.push('battle:delta', { battleId: 'other', turn: 1, side: 'a', text: 'not ours' });
    const turn = battle.current!;
    expect(turn.prompt).toBe('Explain binary search');
    expect(turn.a.text).toBe('Halve');
    expect(turn.b.text).toBe('Split ');
    expect(turn.b.reasoning).toBe('think');
    expect(battle.streaming).toBe(true);
    expect(battle.canVote).toBe(false);
    expect(sessionStorage.getItem('arena.currentBattle')).toBe('b1');
  });

  it('records how each answer ended, and an interruption makes the battle one that cannot be voted on', async () => {
    const socket = arena();
    const battle = await answered(socket);
    expect(battle.finished).toBe(true);
    expect(battle.current!.a.finishReason).toBe('stop');
    expect(battle.ending).toBeNull();
    expect(battle.canVote).toBe(true);

    expect(await battle.send('And in a linked list?')).toBe(true);
    socket.push('battle:end', { battleId: 'b1', turn: 2, side: 'a', finishReason: 'stop', reasoningMs: 1200 });
    socket.push('battle:end', { battleId: 'b1', turn: 2, side: 'b', finishReason: 'error', error: 'server restarted', interruption: 'restart' });
    expect(battle.current!.a.reasoningMs).toBe(1200);
    expect(battle.current!.b).toMatchObject({ finishReason: 'error', error: 'server restarted', interruption: 'restart' });
    expect(battle.ending).toBe('restart');
    expect(battle.failed).toBe(true);
    expect(battle.canVote).toBe(false);
    expect(battle.canPrompt).toBe(false);
  });

  it('tells a model failure (no interruption) from a stop', async () => {
    const failed = arena();
    const one = new BattleState(failed.asSocket());
    await one.send('p');
    failed.push('battle:end', { battleId: 'b1', turn: 1, side: 'a', finishReason: 'error', error: 'HTTP 500 from upstream' });
    failed.push('battle:end', { battleId: 'b1', turn: 1, side: 'b', finishReason: 'error', interruption: 'stopped' });
    expect(one.ending).toBe('model_failed');

    const stopped = arena();
    const two = new BattleState(stopped.asSocket());
    await two.send('p');
    stopped.push('battle:end', { battleId: 'b1', turn: 1, side: 'a', finishReason: 'stop', interruption: 'stopped' });
    expect(two.ending).toBe('stopped');
  });

  it('keeps nothing of a start the server refused, and says why', async () => {
    const socket = arena().serve('battle:start', () => ({ ok: false, error: { code: 'rate_limited', message: 'Too many battles; wait a minute.' } }));
    const battle = new BattleState(socket.asSocket());
    expect(await battle.send('Explain binary search')).toBe(false);
    expect(battle.turns).toEqual([]);
    expect(battle.battleId).toBeNull();
    expect(battle.error).toMatchObject({ code: 'rate_limited', message: 'Too many battles; wait a minute.' });
    expect(battle.busy).toBe(false);
    expect(sessionStorage.getItem('arena.currentBattle')).toBeNull();
    // Pieces of a battle it never joined do not land anywhere.
    socket.push('battle:delta', { battleId: 'b1', turn: 1, side: 'a', text: 'late' });
    expect(battle.turns).toEqual([]);
  });

  it('reveals the models after the vote, and notCounted follows the ack', async () => {
    const socket = arena().serve('battle:vote', () => ({ ok: true, models: revealed, counted: false, flags: ['too_fast'] }));
    const battle = await answered(socket);
    await battle.vote('a');
    expect(battle.winner).toBe('a');
    expect(battle.revealed).toEqual(revealed);
    expect(battle.notCounted).toEqual(['too_fast']);
    expect(sessionStorage.getItem('arena.pendingVote')).toBeNull();
    expect(sessionStorage.getItem('arena.currentBattle')).toBeNull();

    const counted = arena();
    const other = await answered(counted);
    await other.vote('tie');
    expect(other.notCounted).toBeNull();
    expect(counted.sentOf('battle:vote')).toEqual([{ battleId: 'b1', winner: 'tie', voteId: expect.any(String) }]);
  });

  it('re-sends a vote cast as the connection dropped, with the same voteId, once reconnected', async () => {
    const socket = arena();
    const battle = await answered(socket);
    const lost = deferred<never>();
    socket.serve('battle:vote', () => lost.promise);
    const voting = battle.vote('b');
    await vi.waitFor(() => expect(socket.sentOf('battle:vote')).toHaveLength(1));
    const pending = JSON.parse(sessionStorage.getItem('arena.pendingVote')!);
    expect(pending).toMatchObject({ battleId: 'b1', winner: 'b' });

    socket.serve('battle:vote', () => ({ ok: true, models: revealed, counted: true, flags: [] }));
    // The new connection also picks the battle up again (it is not in the battle's room yet).
    socket.serve('battle:resume', () => ({ ok: true, battle: readyView('Halve', 'Split') }));
    socket.drop();
    await Promise.resolve();
    expect(socket.sentOf('battle:vote')).toHaveLength(1);
    expect(battle.busy).toBe(true);
    socket.reconnect();
    await voting;

    const votes = socket.sentOf('battle:vote');
    expect(votes).toHaveLength(2);
    expect(votes[1]!.voteId).toBe(votes[0]!.voteId);
    expect(votes[0]!.voteId).toBe(pending.voteId);
    expect(battle.revealed).toEqual(revealed);
    expect(battle.busy).toBe(false);
    expect(battle.current!.a.text).toBe('Halve');
  });

  it('keeps a vote the restarting server answered `unavailable` and sends it again', async () => {
    const socket = arena();
    const battle = await answered(socket);
    let calls = 0;
    socket.serve('battle:vote', () =>
      ++calls === 1
        ? { ok: false, error: { code: 'unavailable', message: 'The server is restarting.', retryAfterMs: 5 } }
        : { ok: true, models: revealed, counted: true, flags: [] },
    );
    await battle.vote('a');
    const votes = socket.sentOf('battle:vote');
    expect(votes).toHaveLength(2);
    expect(votes[1]!.voteId).toBe(votes[0]!.voteId);
    expect(battle.error).toBeNull();
    expect(battle.revealed).toEqual(revealed);
  });

  it('says so and keeps the vote for a reload when the server never answers', async () => {
    const socket = arena().serve('battle:vote', () => {
      throw new Error('operation has timed out');
    });
    const battle = await answered(socket);
    await battle.vote('a');
    expect(socket.sentOf('battle:vote')).toHaveLength(6);
    expect(battle.error).toEqual({ unreachable: 'vote' });
    expect(battle.revealed).toBeNull();
    expect(sessionStorage.getItem('arena.pendingVote')).not.toBeNull();
  });

  it('resumes the battle of this tab after a reload and delivers the vote left pending', async () => {
    const view = readyView('A', 'B');
    sessionStorage.setItem('arena.currentBattle', 'b1');
    sessionStorage.setItem('arena.pendingVote', JSON.stringify({ battleId: 'b1', winner: 'bothbad', voteId: 'vote-0001' }));
    const socket = arena().serve('battle:resume', () => ({ ok: true, battle: view }));
    const battle = new BattleState(socket.asSocket());
    await battle.resume();
    expect(battle.current!.a.text).toBe('A');
    expect(socket.sentOf('battle:vote')).toEqual([{ battleId: 'b1', winner: 'bothbad', voteId: 'vote-0001' }]);
    expect(battle.winner).toBe('bothbad');
  });

  it('stops listening when the page leaves', () => {
    const socket = arena();
    const battle = new BattleState(socket.asSocket());
    expect(socket.listenerCount('battle:delta')).toBe(1);
    battle.destroy();
    expect(socket.listenerCount('battle:delta')).toBe(0);
    expect(socket.listenerCount('battle:end')).toBe(0);
    expect(socket.listenerCount('connect')).toBe(0);
  });
});

/** Battle `b1` as the server keeps it: one turn, both answers finished, no vote yet. */
function readyView(a: string, b: string): BattleView {
  const answer = (text: string) => ({ text, reasoning: '', reasoningMs: null, finishReason: 'stop' as const, error: null, failure: null, interruption: null });
  return { battleId: 'b1', status: 'ready', turns: [{ turn: 1, prompt: 'Explain binary search', a: answer(a), b: answer(b) }], vote: null };
}
