/** Instances of one deployment, connected through a real Redis: they find each other and share broadcasts. */
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/load.ts';
import { askPeers } from '../../server/transport/cluster.ts';
import { useCleanup } from '../support/hooks.ts';
import { freePort, skipRedis, startRedis } from '../support/services.ts';
import { startTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();

describe.skipIf(skipRedis)('instances connected by Redis', () => {
  it('answer who is up, and a broadcast on one instance reaches the sockets of the other', async () => {
    const redis = cleanup.add(await startRedis());
    const dir = cleanup.tempDir('arena-cluster-');
    const one = cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'one' }));
    const two = cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'two' }));
    expect(one.app.cluster.shared).toBe(true);
    expect(await (await fetch(`${two.url}/api/health`)).json()).toMatchObject({ ok: true, instance: 'two' });

    expect(await askPeers(one.app.io, one.app.cluster, 'cluster:who', {})).toEqual([{ instanceId: 'two' }]);
    expect(await askPeers(two.app.io, two.app.cluster, 'cluster:who', {})).toEqual([{ instanceId: 'one' }]);

    const watcher = await two.connect();
    const heard = new Promise<number>((resolve) => watcher.once('server:restarting', (p) => resolve(p.retryAfterMs)));
    one.app.io.emit('server:restarting', { retryAfterMs: 1234 });
    expect(await heard).toBe(1234);

    // An instance that stopped no longer answers, and asking does not wait for it.
    await two.close();
    const started = Date.now();
    expect(await askPeers(one.app.io, one.app.cluster, 'cluster:who', {})).toEqual([]);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('refuses to start a second live instance with the same id, and waits out a crashed one’s heartbeat', async () => {
    const redis = cleanup.add(await startRedis());
    const dir = cleanup.tempDir('arena-cluster-dup-');
    cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'twin' }));
    await expect(startTestServer({ dir, redisUrl: redis.url, instanceId: 'twin' })).rejects.toThrow(
      /ARENA_INSTANCE_ID: another running instance is already named "twin"/,
    );

    // A heartbeat nobody renews (its process was killed) runs down; the new instance then starts.
    const client = createClient({ url: redis.url });
    await client.connect();
    cleanup.defer(() => client.close());
    await client.set('arena:instance:phoenix', '12345', { expiration: { type: 'PX', value: 1500 } });
    const started = Date.now();
    cleanup.add(await startTestServer({ dir, redisUrl: redis.url, instanceId: 'phoenix' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('an instance alone answers at once that it has no peers', async () => {
    const alone = cleanup.add(await startTestServer());
    expect(alone.app.cluster.shared).toBe(false);
    expect(await (await fetch(`${alone.url}/api/health`)).json()).not.toHaveProperty('instance');
    expect(await askPeers(alone.app.io, alone.app.cluster, 'cluster:who', {})).toEqual([]);
  });
});

describe('REDIS_URL', () => {
  it('must be a redis:// or rediss:// URL', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://localhost:6379' }, '/nonexistent')).toThrow(/REDIS_URL: expected redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'not a url' }, '/nonexistent')).toThrow(/REDIS_URL: not a URL/);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, '/nonexistent').redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('an unreachable Redis stops the instance at start with the address, its password hidden', async () => {
    const port = await freePort();
    await expect(startTestServer({ redisUrl: `redis://:hunter2@127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`REDIS_URL: cannot connect to redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
  });
});
