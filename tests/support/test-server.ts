/** A real arena for tests: real Fastify on port 0, a temp SQLite file, real socket.io clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import { type App, type AppDeps, buildApp } from '../../server/app.ts';
import { parseFileConfig } from '../../server/config/load.ts';
import type { AppConfig } from '../../server/config/schema.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { type Cleanup, useCleanup, useShared } from './hooks.ts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Demo models that stream as fast as possible, with names a leak check can search for. */
export const fastDemoModels: ModelConfigInput[] = [
  { id: 'model-alpha', name: 'Alpha Secret', provider: 'demo', model: 'sage', tokensPerSecond: 0 },
  { id: 'model-bravo', name: 'Bravo Secret', provider: 'demo', model: 'brisk', tokensPerSecond: 0 },
  { id: 'model-charlie', name: 'Charlie Secret', provider: 'demo', model: 'muddle', tokensPerSecond: 0 },
];

export interface TestServer {
  app: App;
  url: string;
  dir: string;
  dbFile: string;
  connect(opts?: { voterId?: string; transports?: string[] }): Promise<TestSocket>;
  /** Closes the server but keeps the database, for restart tests. */
  close(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  models?: ModelConfigInput[];
  config?: Record<string, unknown>;
  dir?: string;
  /** Listen on this port (a restart test reopens the same one); any free port by default. */
  port?: number;
  deps?: Partial<AppDeps>;
  loadTest?: boolean;
  /** Connect this instance to its peers through this Redis (several apps on one database file: same `dir`). */
  redisUrl?: string;
  instanceId?: string;
  /** The drain budget on close (ARENA_DRAIN_SECONDS); 0 by default: running answers are cut at once. */
  drainSeconds?: number;
  /** Runs after the app is built, before it listens: a test may add routes and socket events of its own. */
  beforeListen?: (app: App) => void | Promise<void>;
}

export function testConfig(dbFile: string, opts: TestServerOptions = {}): AppConfig {
  // Tests vote the instant answers end and start many battles: rules are opted into per test.
  const file = parseFileConfig({
    models: opts.models ?? fastDemoModels,
    leaderboardIntervalMs: 20,
    integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 },
    limits: { battlesBurst: 1000, battlesPerMinutePerIp: 1000, turnsBurst: 1000, maxConcurrentBattles: 100 },
    ...opts.config,
  });
  return {
    ...file,
    port: 0,
    host: '127.0.0.1',
    databasePath: dbFile,
    configPath: null,
    usingDemoModels: false,
    loadTest: opts.loadTest ?? false,
    synchronous: 'normal',
    redisUrl: opts.redisUrl ?? null,
    instanceId: opts.instanceId ?? `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    // Closing a test server cuts its answers at once, as a restart without a drain budget does.
    drainSeconds: opts.drainSeconds ?? 0,
  };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'arena-test-'));
  const dbFile = path.join(dir, 'arena.db');
  const app = await buildApp({ config: testConfig(dbFile, opts), staticDir: null, ...opts.deps });
  await opts.beforeListen?.(app);
  await app.fastify.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  const sockets: TestSocket[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const s of sockets) s.disconnect();
    await app.fastify.close();
  };
  return {
    app,
    url,
    dir,
    dbFile,
    async connect(c = {}) {
      const socket: TestSocket = connectClient(url, {
        auth: c.voterId ? { voterId: c.voterId } : {},
        transports: c.transports ?? ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    close,
    async stop() {
      await close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a file whose tests each start their own server: call it at the top (it registers the
 * afterEach, or joins the given cleanup); every server the returned function starts is stopped
 * after its test.
 */
export function useTestServer(cleanup: Cleanup = useCleanup()): (opts?: TestServerOptions) => Promise<TestServer> {
  return async (opts) => cleanup.add(await startTestServer(opts));
}

/** One server for every test of the calling file or block (started in beforeAll, stopped in afterAll). */
export function useSharedServer(opts: TestServerOptions = {}): TestServer {
  return useShared(
    () => startTestServer(opts),
    (server) => server.stop(),
  );
}

/**
 * Resolves when both sides of the given turn have ended; returns the collected text per side.
 * Call it before emitting: a fast model can finish before the ack's continuation runs. Without a
 * battleId it follows the first battle it hears from.
 */
export function waitForTurn(
  socket: TestSocket,
  battleId: string | undefined,
  turn: number,
): Promise<{ a: string; b: string; ends: Parameters<ServerToClientEvents['battle:end']>[0][] }> {
  return new Promise((resolve) => {
    const text = { a: '', b: '' };
    const ends: Parameters<ServerToClientEvents['battle:end']>[0][] = [];
    const onDelta: ServerToClientEvents['battle:delta'] = (d) => {
      battleId ??= d.battleId;
      if (d.battleId === battleId && d.turn === turn) text[d.side] += d.text;
    };
    const onEnd: ServerToClientEvents['battle:end'] = (e) => {
      battleId ??= e.battleId;
      if (e.battleId !== battleId || e.turn !== turn) return;
      ends.push(e);
      if (ends.length === 2) {
        socket.off('battle:delta', onDelta);
        socket.off('battle:end', onEnd);
        resolve({ ...text, ends });
      }
    };
    socket.on('battle:delta', onDelta);
    socket.on('battle:end', onEnd);
  });
}

/** Starts a battle and waits for both answers of turn 1. */
export async function playBattle(socket: TestSocket, prompt = 'Explain how binary search works') {
  const ended = new Promise<string>((resolve) => {
    const seen: string[] = [];
    const onEnd: ServerToClientEvents['battle:end'] = (e) => {
      seen.push(e.battleId);
      if (seen.filter((id) => id === e.battleId).length === 2) {
        socket.off('battle:end', onEnd);
        resolve(e.battleId);
      }
    };
    socket.on('battle:end', onEnd);
  });
  const reply = await socket.emitWithAck('battle:start', { prompt });
  if (!reply.ok) throw new Error(`battle:start failed: ${reply.error.message}`);
  await ended;
  return reply.battleId;
}
