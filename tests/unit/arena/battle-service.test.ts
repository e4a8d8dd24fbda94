/**
 * The BattleService on its own: a real SQLite database with the real migrations, but no HTTP and no
 * sockets. Models are scripted adapters, time is a fake clock and the pair is a scripted draw, so
 * every rule is checked at the exact moment it applies (see tests/support/battle-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../server/providers/types.ts';
import { AppError } from '../../../server/transport/errors.ts';
import { type BattleHarness, useBattleHarness, VOTER } from '../../support/battle-harness.ts';
import { answer, gate } from '../../support/fake-adapters.ts';

const build = useBattleHarness();

/** The error code a service call is refused with (thrown at once or as a rejected promise). */
async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('the call was not refused');
}

const status = (h: BattleHarness, battleId: string) => h.repo.getBattle(battleId)?.status;
const count = (h: BattleHarness, table: 'votes' | 'ratings') => (h.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Starts a battle whose models stop after one piece and wait (until the arena cuts them). */
async function streamingBattle(h: BattleHarness): Promise<string> {
  for (const id of ['alpha', 'bravo']) h.scripts.set(id, [{ type: 'text', text: 'Once upon' }, { hang: true }]);
  const { battleId } = await h.service.start(VOTER, 'Tell me a long story');
  await expect.poll(() => h.deltas.filter((d) => d.battleId === battleId).length).toBe(2);
  return battleId;
}

async function readyBattle(h: BattleHarness, prompt = 'Explain the tides'): Promise<string> {
  const { battleId } = await h.service.start(VOTER, prompt);
  await h.settled(battleId);
  expect(status(h, battleId)).toBe('ready');
  return battleId;
}

describe('starting a battle', () => {
  it('streams both sides to the room (pieces of one turn in one delta) and stores both answers', async () => {
    const h = await build();
    h.scripts.set('alpha', answer(['Hello ', 'from ', 'the left.'], { inputTokens: 20, outputTokens: 7 }));
    h.scripts.set('bravo', answer(['And ', 'the right.']));
    const { battleId } = await h.service.start(VOTER, 'Explain the tides');
    await h.settled(battleId);

    // No draws scripted: the first two models, in order.
    expect(h.repo.getBattle(battleId)).toMatchObject({ modelA: 'alpha', modelB: 'bravo', voterId: VOTER.voterId, status: 'ready', turns: 1 });
    expect(h.deltas.every((d) => d.battleId === battleId && d.turn === 1)).toBe(true);
    // Pieces that arrive in the same turn of the event loop go out as one delta, in order.
    expect(h.deltas.filter((d) => d.side === 'a').map((d) => d.text)).toEqual(['Hello from the left.']);
    expect(h.deltas.filter((d) => d.side === 'b').map((d) => d.text)).toEqual(['And the right.']);
    expect(h.ends.map((e) => e.end)).toEqual(
      expect.arrayContaining([
        { battleId, turn: 1, side: 'a', finishReason: 'stop' },
        { battleId, turn: 1, side: 'b', finishReason: 'stop' },
      ]),
    );
    expect(h.repo.getAnswers(battleId).map((a) => [a.side, a.modelId, a.content, a.inputTokens, a.outputTokens, a.tokensEstimated, a.errorKind])).toEqual([
      ['a', 'alpha', 'Hello from the left.', 20, 7, false, null],
      ['b', 'bravo', 'And the right.', 12, 6, false, null],
    ]);
    expect(h.requests).toEqual([
      { modelId: 'alpha', messages: [{ role: 'user', content: 'Explain the tides' }] },
      { modelId: 'bravo', messages: [{ role: 'user', content: 'Explain the tides' }] },
    ]);
    // What the owner sees before voting names no model.
    const view = h.service.view(VOTER.voterId, battleId);
    expect(view.turns[0]).toMatchObject({ a: { text: 'Hello from the left.' }, b: { text: 'And the right.' } });
    expect(view.vote).toBeNull();
    expect(JSON.stringify(view)).not.toMatch(/alpha|bravo/i);
  });

  it('is ready only once both answers are stored, and says so before the last end goes out', async () => {
    const h = await build();
    const late = gate();
    h.scripts.set('bravo', [{ wait: late.promise }, ...answer(['Late.'])]);
    const { battleId } = await h.service.start(VOTER, 'Explain the tides');
    await expect.poll(() => h.ends.length).toBe(1);
    expect(h.ends[0]).toMatchObject({ end: { side: 'a', finishReason: 'stop' }, status: 'streaming', answersStored: 1 });
    expect(await refusal(() => h.service.vote(VOTER, battleId, 'a'))).toBe('not_finished');

    late.open();
    await h.settled(battleId);
    expect(h.ends[1]).toMatchObject({ end: { side: 'b', finishReason: 'stop' }, status: 'ready', answersStored: 2 });
    expect((await h.service.vote(VOTER, battleId, 'b')).counted).toBe(true);
  });
});

describe('voting', () => {
  it('reveals both models and records a voteId exactly once', async () => {
    const h = await build();
    const battleId = await readyBattle(h);
    const outcome = await h.service.vote(VOTER, battleId, 'a', 'vote-0001');
    expect(outcome).toEqual({ models: { a: { id: 'alpha', name: 'Alpha' }, b: { id: 'bravo', name: 'Bravo' } }, counted: true, flags: [] });

    // The same vote again (a lost ack): the same answer, nothing counted twice.
    expect(await h.service.vote(VOTER, battleId, 'a', 'vote-0001')).toEqual(outcome);
    expect(count(h, 'votes')).toBe(1);
    expect(h.db.$client.prepare('SELECT model_id, games FROM ratings ORDER BY model_id').all()).toEqual([
      { model_id: 'alpha', games: 1 },
      { model_id: 'bravo', games: 1 },
    ]);

    // The same id for a different vote is a conflict; a new id on a voted battle is a second vote.
    expect(await refusal(() => h.service.vote(VOTER, battleId, 'b', 'vote-0001'))).toBe('conflict');
    expect(await refusal(() => h.service.vote({ ...VOTER, voterId: 'voter-2' }, battleId, 'a', 'vote-0001'))).toBe('conflict');
    expect(await refusal(() => h.service.vote(VOTER, battleId, 'b', 'vote-0002'))).toBe('already_voted');
    expect(await refusal(() => h.service.vote({ ...VOTER, voterId: 'voter-2' }, battleId, 'b', 'vote-0003'))).toBe('not_found');
    expect(count(h, 'votes')).toBe(1);
    expect(h.service.view(VOTER.voterId, battleId).vote).toEqual({ winner: 'a', models: outcome.models, counted: true, flags: [] });
  });

  it('flags a vote cast faster than the answers can be read, by the fake clock, and keeps it out of the ratings', async () => {
    // At least 3 s for any vote (the answers here are far too short for the per-character rule).
    const h = await build({ reading: { secondsPer1kChars: 2, minSeconds: 3 } });
    const atOnce = await readyBattle(h, 'First question');
    expect(await h.service.vote(VOTER, atOnce, 'a')).toMatchObject({ counted: false, flags: ['too_fast'] });

    const almost = await readyBattle(h, 'Second question');
    h.advance(2_999);
    expect(await h.service.vote(VOTER, almost, 'a')).toMatchObject({ counted: false, flags: ['too_fast'] });
    expect(count(h, 'votes')).toBe(2);
    expect(count(h, 'ratings')).toBe(0);

    const read = await readyBattle(h, 'Third question');
    h.advance(3_000);
    expect(await h.service.vote(VOTER, read, 'a')).toMatchObject({ counted: true, flags: [] });
    expect(count(h, 'ratings')).toBe(2);
  });

  it('abandons a finished battle left unvoted past the vote window', async () => {
    const h = await build();
    const voted = await readyBattle(h, 'Voted at once');
    await h.service.vote(VOTER, voted, 'tie');
    const waiting = await readyBattle(h, 'Left waiting');

    h.advance(h.voteWindowMs - 1);
    expect(h.service.expireUnvoted()).toBe(0);
    expect(status(h, waiting)).toBe('ready');

    h.advance(2);
    expect(h.service.expireUnvoted()).toBe(1);
    expect(status(h, waiting)).toBe('abandoned');
    expect(status(h, voted)).toBe('voted');
    expect(await refusal(() => h.service.vote(VOTER, waiting, 'a'))).toBe('battle_closed');
  });
});

describe('when a battle does not finish', () => {
  it('fails the battle when a side fails, and a retry draws a pair without the model that failed', async () => {
    const h = await build();
    h.scripts.set('alpha', [{ type: 'text', text: 'Half an' }, { fail: new ProviderError('upstream', 'alpha is overloaded') }]);
    const { battleId } = await h.service.start(VOTER, 'Explain recursion');
    await h.settled(battleId);

    expect(status(h, battleId)).toBe('failed');
    expect(h.repo.getAnswers(battleId).map((a) => [a.modelId, a.content, a.errorKind, a.errorMessage])).toEqual([
      ['alpha', 'Half an', 'upstream', 'alpha is overloaded'],
      ['bravo', 'A plain answer.', null, null],
    ]);
    // The voter is told what kind of failure it was, never the service's own words.
    const failedEnd = h.ends.find((e) => e.end.side === 'a')!.end;
    expect(failedEnd).toMatchObject({ finishReason: 'error', error: "This model's service answered with an error." });
    expect(await refusal(() => h.service.vote(VOTER, battleId, 'b'))).toBe('battle_failed');

    // The same draw (0, 0) would give alpha and bravo again; the retry leaves alpha out.
    const retry = await h.service.start(VOTER, 'Explain recursion', { retryOf: battleId });
    expect(h.repo.getBattle(retry.battleId)).toMatchObject({ modelA: 'bravo', modelB: 'charlie' });
    const fresh = await h.service.start(VOTER, 'Explain recursion');
    expect(h.repo.getBattle(fresh.battleId)).toMatchObject({ modelA: 'alpha', modelB: 'bravo' });
    await Promise.all([h.settled(retry.battleId), h.settled(fresh.battleId)]);
  });

  it('stop cuts both sides: stored as stopped, the battle abandoned, a vote refused', async () => {
    const h = await build();
    const battleId = await streamingBattle(h);
    expect(h.runner.streamingFor(VOTER.voterId)).toBe(1);

    await h.service.stop(VOTER, battleId);
    expect(h.repo.getAnswers(battleId).map((a) => [a.side, a.content, a.errorKind])).toEqual([
      ['a', 'Once upon', 'stopped'],
      ['b', 'Once upon', 'stopped'],
    ]);
    expect(status(h, battleId)).toBe('abandoned');
    expect(h.ends).toHaveLength(2);
    for (const { end } of h.ends) expect(end).toMatchObject({ finishReason: 'error', interruption: 'stopped' });
    expect(h.runner.streamingFor(VOTER.voterId)).toBe(0);
    expect(await refusal(() => h.service.vote(VOTER, battleId, 'a'))).toBe('battle_closed');
    await h.service.stop(VOTER, battleId); // again: nothing left to cut
    expect(status(h, battleId)).toBe('abandoned');
  });

  it('shutdown without a drain budget stores running answers as interrupted and refuses new work with unavailable', async () => {
    const h = await build();
    const waiting = await readyBattle(h, 'Finished before the restart');
    const running = await streamingBattle(h);

    await h.service.drain(0);
    expect(h.repo.getAnswers(running).map((a) => [a.content, a.errorKind])).toEqual([
      ['Once upon', 'interrupted'],
      ['Once upon', 'interrupted'],
    ]);
    expect(status(h, running)).toBe('failed');
    expect(h.ends.filter((e) => e.end.battleId === running).map((e) => e.end.interruption)).toEqual(['restart', 'restart']);

    expect(await refusal(() => h.service.start(VOTER, 'Anything new?'))).toBe('unavailable');
    expect(await refusal(() => h.service.continue(VOTER, waiting, 'And then?'))).toBe('unavailable');
    // The vote is refused, not lost: the battle stays votable for the next process.
    expect(await refusal(() => h.service.vote(VOTER, waiting, 'a', 'vote-late'))).toBe('unavailable');
    expect(status(h, waiting)).toBe('ready');
    expect(count(h, 'votes')).toBe(0);
  });
});

describe('draining (SIGTERM with a budget)', () => {
  it('refuses new battles and turns at once, lets running answers finish and takes votes until the end', async () => {
    const h = await build();
    const waiting = await readyBattle(h, 'Finished before the drain');
    const late = gate();
    for (const id of ['alpha', 'bravo']) h.scripts.set(id, [{ type: 'text', text: 'Almost ' }, { wait: late.promise }, ...answer(['done.'])]);
    const { battleId: running } = await h.service.start(VOTER, 'Finish me');
    await expect.poll(() => h.deltas.filter((d) => d.battleId === running).length).toBe(2);

    const drained = h.service.drain(60_000);
    expect(await refusal(() => h.service.start(VOTER, 'Anything new?'))).toBe('unavailable');
    expect(await refusal(() => h.service.continue(VOTER, waiting, 'And then?'))).toBe('unavailable');
    // A vote sent during the drain is committed (and acknowledged).
    expect((await h.service.vote(VOTER, waiting, 'a', 'vote-in-drain')).counted).toBe(true);

    late.open();
    await drained;
    expect(h.repo.getAnswers(running).map((a) => [a.content, a.errorKind])).toEqual([
      ['Almost done.', null],
      ['Almost done.', null],
    ]);
    expect(status(h, running)).toBe('ready');
    // Once drained, votes are refused (the page sends them to the next instance), not lost.
    expect(await refusal(() => h.service.vote(VOTER, running, 'b', 'vote-after'))).toBe('unavailable');
    expect(status(h, running)).toBe('ready');
  });

  it('cuts the answers still running when the budget ends, stored as interrupted', async () => {
    const h = await build();
    const running = await streamingBattle(h);
    await h.service.drain(50);
    expect(h.repo.getAnswers(running).map((a) => a.errorKind)).toEqual(['interrupted', 'interrupted']);
    expect(status(h, running)).toBe('failed');
  });
});
