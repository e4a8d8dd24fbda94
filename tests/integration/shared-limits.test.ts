/**
 * Limits shared by the instances of one deployment through a real Redis: the token-bucket script
 * gives exactly what the in-memory bucket gives, the failed sign-ins are counted alike, and a
 * voter hopping between two instances meets one burst, one daily vote cap and one sign-in throttle.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { LoginLimiter, MemoryFailureLog, SharedFailureLog } from '../../server/auth/login-limiter.ts';
import { RateLimiter } from '../../server/limits/rate-limiter.ts';
import { SharedBuckets } from '../../server/limits/shared-buckets.ts';
import { addUser, api, PASSWORD } from '../support/auth.ts';
import { useCleanup } from '../support/hooks.ts';
import { skipRedis, startRedis } from '../support/services.ts';
import { fastDemoModels, playBattle, startTestServer, type TestServer } from '../support/test-server.ts';

const cleanup = useCleanup();

async function redisCommands() {
  const redis = cleanup.add(await startRedis());
  const client = createClient({ url: redis.url });
  await client.connect();
  cleanup.defer(() => client.close());
  return client;
}

/** A deterministic sequence of waits (ms) between takes: bursts, pauses, and pauses that refill. */
function gaps(n: number): number[] {
  let seed = 17;
  return Array.from({ length: n }, () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return [0, 0, 0, 1, 250, 1999, 2000, 7_301, 60_000][seed % 9]!;
  });
}

describe.skipIf(skipRedis)('shared limits in Redis', () => {
  it('the token-bucket script answers every take exactly as the in-memory bucket does', async () => {
    const client = await redisCommands();
    let now = 1_700_000_000_000;
    const clock = () => now;
    const memory = new RateLimiter(clock);
    const shared = new SharedBuckets(client, { prefix: 'test', now: clock });
    const rules = [
      { capacity: 5, perMinute: 30 },
      { capacity: 1, perMinute: 0.5 },
      { capacity: 20, perMinute: 12 },
    ];
    for (const [r, rule] of rules.entries()) {
      for (const gap of gaps(300)) {
        now += gap;
        expect(await shared.take(`k${r}`, rule)).toBe(memory.take(`k${r}`, rule));
      }
    }
    // A bucket's key lives only as long as it takes to refill (a full bucket needs no key).
    const ttl = await client.pTTL('arena:bucket:test:k0');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);

    // A host whose clock is behind never refills a bucket backwards, nor empties it.
    const rule = { capacity: 2, perMinute: 60 };
    expect([await shared.take('skew', rule), await shared.take('skew', rule)]).toEqual([0, 0]);
    now -= 5_000;
    expect(await shared.take('skew', rule)).toBe(1000);
  });

  it('failed sign-ins in Redis block and slow down exactly as in memory, with keys hashed', async () => {
    const client = await redisCommands();
    let now = 1_700_000_000_000;
    const limiters = [new LoginLimiter(60_000, () => now, new MemoryFailureLog()), new LoginLimiter(60_000, () => now, new SharedFailureLog(client))];
    const rules = [
      { key: 'pair:a@example.com|ip:1', max: 10, progressive: true },
      { key: 'ip:1', max: 4 },
    ];
    for (const gap of gaps(60)) {
      now += gap;
      const waits = await Promise.all(limiters.map((l) => l.retryAfterMs(rules)));
      expect(waits[1]).toBe(waits[0]);
      if (waits[0] === 0) await Promise.all(limiters.map((l) => l.fail(rules.map((r) => r.key))));
    }
    await Promise.all(limiters.map((l) => l.clear('ip:1')));
    expect(await limiters[1]!.retryAfterMs(rules)).toBe(await limiters[0]!.retryAfterMs(rules));
    const keys = await client.keys('arena:login:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/example\.com|ip:/);
  });

  describe('two instances on one database', () => {
    async function twoInstances(config: Record<string, unknown>): Promise<[TestServer, TestServer]> {
      const redis = cleanup.add(await startRedis());
      const dir = cleanup.tempDir('arena-shared-limits-');
      const one = cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'one', config }));
      const two = cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'two', config }));
      return [one, two];
    }

    it('a voter hopping between instances gets one burst of battles and one daily vote cap', async () => {
      const limits = { battlesBurst: 3, battlesPerMinute: 1, battlesPerMinutePerIp: 1000, maxConcurrentBattles: 100, votesPerDay: 2 };
      const [one, two] = await twoInstances({ limits });
      // The browser's voter id (a UUID) is its identity on either instance.
      const hopper = randomUUID();
      const onOne = await one.connect({ voterId: hopper });
      const onTwo = await two.connect({ voterId: hopper });
      const battles = [await playBattle(onOne, 'first'), await playBattle(onTwo, 'second'), await playBattle(onOne, 'third')];
      for (const socket of [onTwo, onOne]) {
        const refused = await socket.emitWithAck('battle:start', { prompt: 'one too many' });
        expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      }
      // Someone else is not limited by the hopper's bucket.
      expect(await playBattle(await two.connect({ voterId: randomUUID() }), 'mine')).toBeTruthy();

      expect(await onTwo.emitWithAck('battle:vote', { battleId: battles[0]!, winner: 'a' })).toMatchObject({ ok: true });
      expect(await onOne.emitWithAck('battle:vote', { battleId: battles[1]!, winner: 'b' })).toMatchObject({ ok: true });
      const third = await onTwo.emitWithAck('battle:vote', { battleId: battles[2]!, winner: 'tie' });
      expect(third).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/daily vote limit/) } });
    });

    it('counts a voter’s battles and chats streaming on the other instance against the concurrency limit', async () => {
      const redis = cleanup.add(await startRedis());
      const dir = cleanup.tempDir('arena-shared-concurrency-');
      const slow = fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 20 }));
      const opts = { dir, redisUrl: redis.url, models: slow, config: { limits: { maxConcurrentBattles: 1, battlesBurst: 100, turnsBurst: 100 } } };
      const one = cleanup.add(await startTestServer({ ...opts, instanceId: 'one' }));
      const two = cleanup.add(await startTestServer({ ...opts, instanceId: 'two' }));
      const voter = randomUUID();
      const [onOne, onTwo] = [await one.connect({ voterId: voter }), await two.connect({ voterId: voter })];

      expect(await onOne.emitWithAck('battle:start', { prompt: 'a long one, please' })).toMatchObject({ ok: true });
      expect(await onTwo.emitWithAck('battle:start', { prompt: 'and another' })).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', message: expect.stringMatching(/at most 1 battles may stream at once/) },
      });
      expect(await onOne.emitWithAck('chat:start', { modelId: 'model-alpha', prompt: 'a long answer, please' })).toMatchObject({ ok: true });
      expect(await onTwo.emitWithAck('chat:start', { modelId: 'model-bravo', prompt: 'and one more' })).toMatchObject({
        ok: false,
        error: { code: 'rate_limited' },
      });
      // Someone else streams freely on either instance.
      expect(await (await two.connect({ voterId: randomUUID() })).emitWithAck('battle:start', { prompt: 'mine' })).toMatchObject({ ok: true });
    });

    it('a guesser hopping between instances meets one sign-in throttle', async () => {
      const [one, two] = await twoInstances({ auth: { trustedProxy: { addresses: ['127.0.0.1'] } } });
      await addUser(one, 'owner@example.com', 'admin');
      const attempt = (server: TestServer, password: string) =>
        api(server, '/api/auth/login', { body: { email: 'owner@example.com', password }, headers: { 'x-forwarded-for': '10.0.0.66' } });
      // Two free failures, a third that starts the delays: each on the other instance than the last.
      expect((await attempt(one, 'guess 1')).status).toBe(401);
      expect((await attempt(two, 'guess 2')).status).toBe(401);
      expect((await attempt(one, 'guess 3')).status).toBe(401);
      const throttled = await attempt(two, PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.body.error!.retryAfterMs).toBeGreaterThan(0);
      expect(throttled.body.error!.retryAfterMs).toBeLessThanOrEqual(1000);
    });

    it('refuses new battles with unavailable, not a hang, while Redis does not answer', async () => {
      const redis = cleanup.add(await startRedis());
      const server = cleanup.add(await startTestServer({ redisUrl: redis.url, instanceId: 'cut-off' }));
      const page = await server.connect({ voterId: randomUUID() });
      redis.process.kill('SIGSTOP'); // Redis hangs: connected, answering nothing
      cleanup.defer(() => redis.process.kill('SIGCONT'));
      const started = Date.now();
      const reply = await page.emitWithAck('battle:start', { prompt: 'anyone there?' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(Date.now() - started).toBeLessThan(5000);
      redis.process.kill('SIGCONT');
      expect(await playBattle(page, 'and now?')).toBeTruthy();
    });

    it('refuses a sign-in with unavailable, not a hang, while Redis does not answer', async () => {
      const redis = cleanup.add(await startRedis());
      const server = cleanup.add(await startTestServer({ redisUrl: redis.url, instanceId: 'cut-off-login' }));
      await addUser(server, 'owner@example.com', 'admin');
      redis.process.kill('SIGSTOP');
      cleanup.defer(() => redis.process.kill('SIGCONT'));
      const started = Date.now();
      const refused = await api(server, '/api/auth/login', { body: { email: 'owner@example.com', password: PASSWORD } });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'unavailable', retryAfterMs: 2000 });
      expect(Date.now() - started).toBeLessThan(5000);
      redis.process.kill('SIGCONT');
      expect((await api(server, '/api/auth/login', { body: { email: 'owner@example.com', password: PASSWORD } })).status).toBe(200);
    });
  });
});
