/**
 * The compose scale profile without containers: two arena processes on one database file and one
 * Redis, behind the committed deploy/nginx-arena.conf run by a real nginx. Clients come from
 * different loopback addresses (127.0.0.x), as different users would.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import { useCleanup } from '../support/hooks.ts';
import { skipNginx, startNginx } from '../support/nginx.ts';
import { type ServerProcess, startServerProcess, writeConfig } from '../support/server-process.ts';
import { skipRedis, startRedis } from '../support/services.ts';
import { fastDemoModels } from '../support/test-server.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const cleanup = useCleanup();
const root = path.resolve(import.meta.dirname, '../..');

/** The committed compose config, with the proxy's address as the test's nginx has it. */
function arenaConfig(): object {
  const committed = JSON.parse(readFileSync(path.join(root, 'deploy/arena.compose.json'), 'utf8')) as { auth: { trustedProxy: { addresses: string[] } } };
  expect(committed.auth.trustedProxy.addresses).toEqual(['172.28.0.10']);
  return {
    ...committed,
    auth: { ...committed.auth, trustedProxy: { addresses: ['127.0.0.1'] } },
    models: fastDemoModels,
    integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 },
    limits: { battlesBurst: 1000, battlesPerMinutePerIp: 1000, turnsBurst: 1000, maxConcurrentBattles: 100 },
  };
}

async function startTopology() {
  const redis = cleanup.add(await startRedis());
  const dir = cleanup.tempDir('arena-proxy-');
  const configFile = writeConfig(dir, arenaConfig());
  const dbFile = path.join(dir, 'arena.db');
  const instances: ServerProcess[] = [];
  for (const id of ['arena-1', 'arena-2']) {
    // One after the other: the first applies the migrations.
    instances.push(cleanup.add(await startServerProcess({ dbFile, configFile, env: { REDIS_URL: redis.url, ARENA_INSTANCE_ID: id } })));
  }
  const upstreams = instances.map((s) => new URL(s.url).host);
  const nginx = cleanup.add(await startNginx(cleanup.tempDir('arena-nginx-'), upstreams));
  return { redis, instances, nginx };
}

/** An HTTP agent whose connections leave from `address` (a client of its own, as nginx sees it). */
function clientAgent(address: string): Agent {
  const agent = new Agent({ keepAlive: false, localAddress: address });
  cleanup.defer(() => agent.destroy());
  return agent;
}

function getJson(url: string, agent: Agent): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function connectThrough(url: string, agent: Agent, transports: string[]): Promise<ClientSocket> {
  const socket: ClientSocket = connectClient(url, { agent: agent as never, transports, reconnection: false, forceNew: true });
  cleanup.defer(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Starts a battle, waits for both answers, votes; resolves with the revealed model ids. */
async function battleAndVote(socket: ClientSocket): Promise<string[]> {
  const ends = new Map<string, number>();
  const finished = new Map<string, () => void>();
  socket.on('battle:end', (end) => {
    const n = (ends.get(end.battleId) ?? 0) + 1;
    ends.set(end.battleId, n);
    if (n === 2) finished.get(end.battleId)?.();
  });
  const started = await socket.emitWithAck('battle:start', { prompt: '프록시 뒤에서 두 모델을 비교해 주세요' });
  if (!started.ok) throw new Error(started.error.message);
  const { battleId } = started;
  if ((ends.get(battleId) ?? 0) < 2) await new Promise<void>((resolve) => finished.set(battleId, resolve));
  const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'a', voteId: randomUUID() });
  if (!vote.ok) throw new Error(vote.error.message);
  return [vote.models.a.id, vote.models.b.id];
}

describe.skipIf(skipRedis || skipNginx)('two instances behind the committed nginx config', () => {
  it('keeps each client on one instance, spreads clients over both, and serves pages, API and both socket.io transports', async () => {
    const { nginx } = await startTopology();
    const seen = new Map<string, string>();
    for (let i = 2; i <= 21; i++) {
      const agent = clientAgent(`127.0.0.${i}`);
      const answers = await Promise.all([1, 2, 3].map(() => getJson(`${nginx.url}/api/health`, agent)));
      for (const a of answers) expect(a).toMatchObject({ status: 200, body: { ok: true } });
      // Sticky: every request of one client reaches the same instance.
      expect(new Set(answers.map((a) => a.body.instance)).size).toBe(1);
      seen.set(`127.0.0.${i}`, String(answers[0]!.body.instance));
    }
    expect(new Set(seen.values())).toEqual(new Set(['arena-1', 'arena-2']));

    // Long-polling only (several HTTP requests that must all reach the session's instance), and WebSocket.
    for (const [address, transports] of [
      ['127.0.0.2', ['polling']],
      ['127.0.0.3', ['polling', 'websocket']],
      ['127.0.0.4', ['websocket']],
    ] as const) {
      const socket = await connectThrough(nginx.url, clientAgent(address), [...transports]);
      const models = await battleAndVote(socket);
      expect(models).toHaveLength(2);
    }
    const page = await fetch(`${nginx.url}/`);
    expect(page.status).toBe(200);
  });

  it('sends a client whose instance stopped to the other one', async () => {
    const { nginx, instances } = await startTopology();
    const agent = clientAgent('127.0.0.7');
    const before = String((await getJson(`${nginx.url}/api/health`, agent)).body.instance);
    const socket = await connectThrough(nginx.url, agent, ['websocket']);
    await battleAndVote(socket);
    socket.disconnect();

    await instances[before === 'arena-1' ? 0 : 1]!.stop();
    const after = await getJson(`${nginx.url}/api/health`, agent);
    expect(after).toMatchObject({ status: 200, body: { instance: before === 'arena-1' ? 'arena-2' : 'arena-1' } });
    const again = await connectThrough(nginx.url, agent, ['websocket']);
    expect(await battleAndVote(again)).toHaveLength(2);
  });
});
