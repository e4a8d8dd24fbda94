/**
 * Hostile input: thousands of random and malformed payloads at every socket event and HTTP route.
 * The server must keep serving, answer every one with a clear error (never `internal`, never 500)
 * and write nothing invalid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fastDemoModels, type TestServer, type TestSocket, useSharedServer } from '../support/test-server.ts';

/** Small deterministic PRNG so a failure can be replayed from its seed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['prompt', 'battleId', 'winner', 'voteId', 'evaluationId', 'id', 'email', 'password', 'role', '__proto__', 'constructor', 'models', 'name'];
const STRINGS = [
  '',
  ' ',
  'a',
  'tie',
  'bothbad',
  'a'.repeat(70),
  'x'.repeat(25_000),
  '<script>alert(1)</script>',
  "'; DROP TABLE votes; --",
  '\u0000\u202e',
  '🙂'.repeat(50),
  '{"ok":true}',
  '../../etc/passwd',
  'NaN',
];

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.15) return STRINGS[Math.floor(rand() * STRINGS.length)];
  if (r < 0.25) return Math.floor(rand() * 2 ** 40) * (rand() < 0.5 ? -1 : 1);
  if (r < 0.3) return rand() * 1e308;
  if (r < 0.35) return rand() < 0.5;
  if (r < 0.4) return null;
  if (r < 0.45) return Buffer.from([1, 2, 3, Math.floor(rand() * 255)]);
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    // defineProperty: an own "__proto__" key, as JSON.parse would make, not a prototype change.
    Object.defineProperty(obj, FIELDS[Math.floor(rand() * FIELDS.length)]!, {
      value: randomValue(rand, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return obj;
}

function text(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return s.replace(/[\uD800-\uDFFF]/g, '?'); // slices can split surrogate pairs
}

const server = useSharedServer({ models: fastDemoModels });
let events: string[];

beforeAll(async () => {
  const probe = await server.connect();
  // Every event the server listens to on a connection (including ones added by later features).
  const serverSide = [...server.app.io.sockets.sockets.values()][0]!;
  events = serverSide.eventNames().filter((e): e is string => typeof e === 'string' && e.includes(':'));
  probe.disconnect();
});

function assertDatabaseSound(s: TestServer) {
  const sql = s.app.db.$client;
  expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(sql.pragma('foreign_key_check')).toEqual([]);
  const orphanVotes = sql
    .prepare(
      "SELECT count(*) AS n FROM votes v JOIN battles b ON b.id = v.battle_id WHERE b.status != 'voted' OR v.model_a != b.model_a OR v.model_b != b.model_b",
    )
    .get() as { n: number };
  expect(orphanVotes.n).toBe(0);
  const badBattles = sql.prepare("SELECT count(*) AS n FROM battles WHERE model_a = model_b OR status NOT IN ('streaming','ready','failed','voted')").get() as {
    n: number;
  };
  expect(badBattles.n).toBe(0);
  const badVotes = sql.prepare("SELECT count(*) AS n FROM votes WHERE winner NOT IN ('a','b','tie','bothbad')").get() as { n: number };
  expect(badVotes.n).toBe(0);
}

describe('fuzzing', () => {
  it('answers thousands of random socket payloads with clear errors and keeps serving', async () => {
    expect(events).toEqual(expect.arrayContaining(['battle:start', 'battle:continue', 'battle:vote', 'battle:resume', 'leaderboard:subscribe']));
    const rand = prng(20261128);
    const sockets: TestSocket[] = [await server.connect(), await server.connect({ transports: ['polling'] })];
    const codes = new Map<string, number>();
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const socket = sockets[i % sockets.length]!;
      const event = events[Math.floor(rand() * events.length)]!;
      const payload = randomValue(rand);
      if (rand() < 0.05) {
        // No ack at all, or extra arguments: must not crash the handler.
        (socket.emit as (...args: unknown[]) => void)(event, payload, randomValue(rand));
        continue;
      }
      const reply = (await socket.timeout(5000).emitWithAck(event as 'battle:start', payload as never)) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      answered++;
      expect(typeof reply.ok).toBe('boolean');
      if (!reply.ok) {
        expect(reply.error?.code, JSON.stringify({ event, payload: text(payload).slice(0, 100) })).not.toBe('internal');
        expect(reply.error?.message.length).toBeGreaterThan(0);
        codes.set(reply.error!.code, (codes.get(reply.error!.code) ?? 0) + 1);
      }
    }
    expect(answered).toBeGreaterThan(2500);
    expect(codes.get('invalid_input')).toBeGreaterThan(1000);
    for (const s of sockets) expect(s.connected).toBe(true);
    assertDatabaseSound(server);
  });

  it('answers random requests to every HTTP route without a 500', async () => {
    const rand = prng(42);
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
    const routes = server.app.routes;
    expect(routes.length).toBeGreaterThanOrEqual(3);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1500; i++) {
      const route = routes[Math.floor(rand() * routes.length)]!;
      const path = route.url.replace(/:[A-Za-z]+/g, () => encodeURIComponent(text(randomValue(rand)).slice(0, 80))).replace('*', 'x');
      const query =
        rand() < 0.5 ? `?${encodeURIComponent(FIELDS[Math.floor(rand() * FIELDS.length)]!)}=${encodeURIComponent(text(randomValue(rand)).slice(0, 200))}` : '';
      const method = rand() < 0.6 ? route.method : methods[Math.floor(rand() * methods.length)]!;
      const hasBody = !['GET', 'HEAD'].includes(method) && rand() < 0.8;
      const kind = rand();
      const body = !hasBody ? undefined : kind < 0.6 ? JSON.stringify(randomValue(rand)) : kind < 0.8 ? '{"broken": ' : 'a=1&b=2';
      const headers: Record<string, string> = {};
      if (hasBody) headers['content-type'] = kind < 0.8 ? 'application/json' : rand() < 0.5 ? 'application/x-www-form-urlencoded' : 'text/plain';
      const res = await fetch(`${server.url}${path}${query}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${path}${query}`).toBeLessThan(500);
      if (res.status >= 400 && method !== 'HEAD') {
        const json = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
        expect(json.ok).toBe(false);
        expect(json.error.message.length).toBeGreaterThan(0);
      } else {
        await res.arrayBuffer();
      }
    }
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    assertDatabaseSound(server);
  });
});
