import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { io as connectClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { type TestSocket, useTestServer } from '../support/test-server.ts';

const models = [
  { id: 'ident-north', name: 'Northwind Ultra', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0, organization: 'Northwind Labs' },
  { id: 'ident-south', name: 'Southgate Mini', provider: 'demo' as const, model: 'verse', tokensPerSecond: 0, organization: 'Southgate AI' },
];
const identifying = ['ident-north', 'ident-south', 'Northwind', 'Southgate', 'sage', 'verse'];

const startServer = useTestServer();

describe('anonymity before the vote', () => {
  it('sends nothing that identifies either model until the vote, then reveals both', async () => {
    const server = await startServer({ models });
    const received: unknown[] = [];
    const socket: TestSocket = await server.connect();
    socket.onAny((event, ...args) => received.push({ event, args }));

    // The page itself: HTML and every asset it loads (built client served by a second app).
    const page = await fetch(`${server.url}/`);
    received.push(await page.text());

    const ends: string[] = [];
    const twoEnds = new Promise<void>((resolve) =>
      socket.on('battle:end', (e) => {
        ends.push(e.side);
        if (ends.length === 2) resolve();
      }),
    );
    const start = await socket.emitWithAck('battle:start', { prompt: 'Who are you and who made you? Also explain sorting.' });
    received.push(start);
    if (!start.ok) throw new Error('start failed');
    await twoEnds;
    const cont = twoMoreEnds(socket);
    received.push(await socket.emitWithAck('battle:continue', { battleId: start.battleId, prompt: 'Tell me your name.' }));
    await cont;
    received.push(await socket.emitWithAck('battle:resume', { battleId: start.battleId }));
    const early = await socket.emitWithAck('battle:vote', { battleId: 'not-a-battle', winner: 'a' });
    received.push(early);

    const text = JSON.stringify(received);
    expect(text).toContain('battle:delta');
    for (const s of identifying) expect(text, `payload leaked "${s}"`).not.toMatch(new RegExp(`\\b${s}\\b`, 'i'));

    const vote = await socket.emitWithAck('battle:vote', { battleId: start.battleId, winner: 'a' });
    if (!vote.ok) throw new Error('vote failed');
    expect([vote.models.a.name, vote.models.b.name].sort()).toEqual(['Northwind Ultra', 'Southgate Mini']);
  });

  it('serves a page whose HTML and scripts name no model', async () => {
    const distDir = path.resolve('dist/client');
    if (!existsSync(distDir)) execFileSync('npx', ['vite', 'build', '--logLevel', 'error']);
    const server = await startServer({ models, deps: { staticDir: distDir } });
    const html = await (await fetch(`${server.url}/`)).text();
    const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    let all = html;
    for (const src of scripts) all += await (await fetch(`${server.url}${src}`)).text();
    for (const s of ['ident-north', 'ident-south', 'Northwind', 'Southgate']) expect(all).not.toContain(s);
    // The socket handshake answers no model either.
    const client = connectClient(server.url, { transports: ['websocket'], forceNew: true });
    const seen: unknown[] = [];
    client.onAny((...args) => seen.push(args));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    client.disconnect();
    for (const s of identifying) expect(JSON.stringify(seen)).not.toContain(s);
  });
});

function twoMoreEnds(socket: TestSocket): Promise<void> {
  let n = 0;
  return new Promise((resolve) => {
    const onEnd = () => {
      if (++n === 2) {
        socket.off('battle:end', onEnd);
        resolve();
      }
    };
    socket.on('battle:end', onEnd);
  });
}
