/** Heartbeat expiry: when an instance holding work is taken for dead, and when a Redis that lost its keys says nothing. */
import { describe, expect, it } from 'vitest';
import { CONFIRM_MS, DeadPeers, Liveness, type LivenessRedis } from '../../../server/transport/liveness.ts';

describe('DeadPeers', () => {
  it('takes an instance for dead once its heartbeat stayed gone for the confirmation time', () => {
    const verdict = new DeadPeers(2000);
    expect(verdict.judge([{ instanceId: 'b', alive: false }], 0)).toEqual([]);
    expect(verdict.judge([{ instanceId: 'b', alive: false }], 1999)).toEqual([]);
    expect(verdict.judge([{ instanceId: 'b', alive: false }], 2000)).toEqual(['b']);
  });

  it('starts over when the heartbeat comes back, and forgets an instance that no longer holds work', () => {
    const verdict = new DeadPeers(2000);
    verdict.judge([{ instanceId: 'b', alive: false }], 0);
    verdict.judge([{ instanceId: 'b', alive: true }], 1000); // a late beat: alive after all
    expect(verdict.judge([{ instanceId: 'b', alive: false }], 2500)).toEqual([]);
    expect(verdict.judge([{ instanceId: 'b', alive: false }], 4500)).toEqual(['b']);

    verdict.judge([{ instanceId: 'c', alive: false }], 0);
    verdict.judge([], 1000); // c's work ended (another survivor reaped it)
    expect(verdict.judge([{ instanceId: 'c', alive: false }], 2500)).toEqual([]);
  });
});

/** An in-memory stand-in for the Redis commands (keys never expire here), whose keys can be dropped (a Redis restart). */
function fakeRedis() {
  const keys = new Map<string, string>();
  const redis: LivenessRedis = {
    set: async (key, value) => void keys.set(key, value),
    mGet: async (list) => list.map((k) => keys.get(k) ?? null),
    del: async (key) => void keys.delete(key),
    pTTL: async (key) => (keys.has(key) ? -1 : -2),
  };
  return { keys, redis };
}

describe('Liveness', () => {
  it('reaps the work of a peer whose heartbeat is gone, and never its own or a live peer’s', async () => {
    const { keys, redis } = fakeRedis();
    const me = new Liveness(redis, 'a', () => undefined);
    await me.start();
    await me.stop().then(() => me.start()); // stop removes the heartbeat; start sets it again
    keys.set('arena:instance:b', '1');
    const reaped: string[][] = [];
    me.watch({ holders: () => ['a', 'b', 'c'], reap: (dead) => reaped.push(dead) });

    expect(await me.check(0)).toEqual([]);
    expect(await me.check(CONFIRM_MS)).toEqual(['c']);
    expect(reaped).toEqual([['c']]);
    await me.stop();
  });

  it('judges nobody while Redis has lost every key (its own heartbeat missing), and beats again', async () => {
    const { keys, redis } = fakeRedis();
    const me = new Liveness(redis, 'a', () => undefined);
    await me.start();
    me.watch({ holders: () => ['b'], reap: () => undefined });
    keys.clear(); // Redis restarted empty: b's heartbeat is not back yet, nor ours
    expect(await me.check(0)).toEqual([]);
    expect(await me.check(CONFIRM_MS * 10)).toEqual([]);
    expect(keys.has('arena:instance:a')).toBe(true);
    await me.stop();
  });
});
