/**
 * The production container without Docker (the engine does not run on these machines): the runtime
 * stage's files, copied exactly as the Dockerfile lists them, started with its CMD and environment,
 * answer its HEALTHCHECK and serve the page; the `arena` CLI works from the same layout. If the
 * Dockerfile stops copying something the server needs, this fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCleanup } from '../support/hooks.ts';
import { startServerProcess, writeConfig } from '../support/server-process.ts';
import { createPgDatabase, skipPostgres } from '../support/services.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));

/** `COPY --from=build /app/<path> ./<path>` lines of the runtime stage. */
function copiedPaths(): string[] {
  return [...runtimeStage.matchAll(/^COPY --from=build \/app\/(\S+) \.\/(\S+)$/gm)].map((m) => {
    expect(m[2]).toBe(m[1]);
    return m[1]!;
  });
}

/** The node arguments of an exec-form command (`CMD ["node", …]`): the image's own, or the health check's. */
function nodeArgs(which: 'image' | 'healthcheck'): string[] {
  const pattern = which === 'image' ? /^CMD (\[.+\])$/m : /^HEALTHCHECK .*\\\n\s+CMD (\[.+\])$/m;
  const args = JSON.parse(pattern.exec(runtimeStage)![1]!) as string[];
  expect(args[0]).toBe('node');
  return args.slice(1);
}

const imageEnv = Object.fromEntries([...(/^ENV (.+)$/m.exec(runtimeStage)?.[1] ?? '').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as const));

describe('production container layout', () => {
  const cleanup = useCleanup();
  beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: root, stdio: 'pipe' });
  });

  it('starts from the runtime stage files alone, passes the health check and serves the client', async () => {
    const app = cleanup.tempDir('arena-image-');
    const paths = copiedPaths();
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'node_modules', 'dist', 'bin', 'db/migrations', 'db/migrations-pg']));
    for (const p of paths) {
      // node_modules: the build stage prunes dev dependencies; here the installed tree stands in for it.
      if (p === 'node_modules') symlinkSync(path.join(root, p), path.join(app, p));
      else cpSync(path.join(root, p), path.join(app, p), { recursive: true });
    }
    const data = path.join(app, 'data');
    mkdirSync(data);
    expect(imageEnv).toMatchObject({ NODE_ENV: 'production', DATABASE_PATH: '/data/arena.db' });

    const server = await startServerProcess({
      dbFile: path.join(data, 'arena.db'),
      configFile: writeConfig(data, {}),
      env: { NODE_ENV: imageEnv.NODE_ENV! },
      command: { cwd: app, args: nodeArgs('image') },
    });
    cleanup.add(server);

    const health = spawnSync(process.execPath, nodeArgs('healthcheck'), {
      env: { ...process.env, PORT: new URL(server.url).port },
      timeout: 10_000,
    });
    expect(health.status).toBe(0);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ demo: boolean }> };
    expect(models.models.length).toBeGreaterThan(1);
    expect(models.models.every((m) => m.demo)).toBe(true);

    await server.stop();
    const seeded = execFileSync(process.execPath, ['bin/arena.js', 'seed', '--demo'], {
      cwd: app,
      env: { ...process.env, DATABASE_PATH: path.join(data, 'arena.db'), ARENA_CONFIG: path.join(data, 'arena.config.json') },
    }).toString();
    expect(seeded).toMatch(/vote/i);

    // `arena migrate-db` finds the PostgreSQL migrations in the image's layout too.
    if (skipPostgres) return;
    const target = cleanup.add(await createPgDatabase());
    const moved = spawnSync(process.execPath, ['bin/arena.js', 'migrate-db', '--from', `sqlite:${path.join(data, 'arena.db')}`, '--to', target.url], {
      cwd: app,
      env: { ...process.env, ARENA_CONFIG: path.join(data, 'arena.config.json') },
      timeout: 60_000,
    });
    expect(moved.status, moved.stderr.toString()).toBe(0);
    expect(moved.stdout.toString()).toContain('The copy matches the source.');
  });
});
