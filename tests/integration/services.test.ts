/** The scale-out tests' servers are real and reachable: a private Redis, a fresh PostgreSQL database. */
import pg from 'pg';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../support/hooks.ts';
import { createPgDatabase, skipPostgres, skipRedis, startRedis } from '../support/services.ts';

const cleanup = useCleanup();

describe.skipIf(skipRedis)('Redis for the tests', () => {
  it('starts a private redis-server that answers PING and keeps no data after stop', async () => {
    const redis = cleanup.add(await startRedis());
    const client = createClient({ url: redis.url });
    await client.connect();
    cleanup.defer(() => client.destroy());
    expect(await client.ping()).toBe('PONG');
    await client.set('arena:probe', '1');
    expect(await client.get('arena:probe')).toBe('1');
  });
});

describe.skipIf(skipPostgres)('PostgreSQL for the tests', () => {
  it('creates an empty database of its own and drops it afterwards', async () => {
    const db = await createPgDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.rows[0].n).toBe(0);
    const version = await client.query('SHOW server_version_num');
    expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(150000);
    await client.end();
    await db.stop();
    const admin = new pg.Client({ connectionString: db.url.replace(`/${db.name}`, '/postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
