import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/main.ts';
import { playBattle, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

function capture() {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, out: () => out, err: () => err };
}

describe('arena backup', () => {
  it('copies the live database while the server keeps serving and voting', async () => {
    const server = await startServer();
    const socket = await server.connect();
    for (let i = 0; i < 3; i++) {
      const battleId = await playBattle(socket, `backup question ${i}`);
      await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
    }
    // A battle streams and a vote lands while the copy is taken.
    const during = playBattle(socket, 'during the backup');
    const target = path.join(server.dir, 'copy.db');
    const c = capture();
    const code = await runCli(['backup', target, '--db', server.dbFile], c.io);
    expect(code, c.err()).toBe(0);
    expect(c.out()).toMatch(/integrity ok/);
    const duringId = await during;
    expect((await socket.emitWithAck('battle:vote', { battleId: duringId, winner: 'b' })).ok).toBe(true);

    const copy = new Database(target, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM votes').get() as { n: number }).n).toBeGreaterThanOrEqual(3);
    expect(copy.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: expect.any(Number) });
    copy.close();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

    // Refuses to overwrite without --force, and explains a missing database.
    const again = capture();
    expect(await runCli(['backup', target, '--db', server.dbFile], again.io)).toBe(1);
    expect(again.err()).toMatch(/exists/);
    const missing = capture();
    expect(await runCli(['backup', path.join(server.dir, 'x.db'), '--db', path.join(server.dir, 'nope.db')], missing.io)).toBe(1);
    expect(missing.err()).toMatch(/no database/);
    expect(existsSync(path.join(server.dir, 'x.db'))).toBe(false);
  });
});
