/**
 * The production build (`npm start` runs it): the server and CLI bundled by esbuild run as plain
 * JavaScript, with no TypeScript loader in the process, and do the real work: a battle, a vote,
 * the Bradley-Terry standings from the bundled worker, and the compiled CLI.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCleanup } from '../support/hooks.ts';
import { startServerProcess, writeConfig } from '../support/server-process.ts';
import type { TestSocket } from '../support/test-server.ts';
import { fastDemoModels, playBattle } from '../support/test-server.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('compiled build', () => {
  const cleanup = useCleanup();
  beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: root, stdio: 'pipe' });
  });

  it('serves a battle, takes the vote and fits Bradley-Terry with no TypeScript loader', async () => {
    const dir = cleanup.tempDir('arena-compiled-');
    const server = await startServerProcess({
      dbFile: path.join(dir, 'a.db'),
      configFile: writeConfig(dir, { models: fastDemoModels, integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 } }),
      compiled: true,
    });
    cleanup.add(server);
    const socket: TestSocket = connect(server.url, { transports: ['websocket'], forceNew: true, auth: { voterId: 'compiled-voter' } });
    cleanup.defer(() => void socket.disconnect());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const battleId = await playBattle(socket);
    expect(await socket.emitWithAck('battle:vote', { battleId, winner: 'a' })).toMatchObject({ ok: true, counted: true });
    const bt = (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as { votes: number; models: unknown[] };
    expect(bt.votes).toBe(1);
    expect(bt.models).toHaveLength(2);
    expect(server.output()).not.toMatch(/tsx|ERR_/);
  });

  it('runs the CLI from the bundle', () => {
    const out = execFileSync(process.execPath, ['bin/arena.js', 'ratings', '--battles', '../shared/data/genai_arena_t2i_20240220.jsonl', '--format', 'json'], {
      cwd: root,
    }).toString();
    expect(JSON.parse(out).models).toHaveLength(6);
  });
});
