/**
 * Two instances of one arena on one SQLite file, joined by a real Redis: votes counted on either
 * reach the standings (pushes and HTTP answers) of both, each subscriber gets every frame once,
 * an admin's model switch and a user's role change take effect on the other instance, and an
 * instance that missed its peers' messages catches up from the database.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { battles } from '../../db/schema.ts';
import type { EvalProgress } from '../../protocol/evaluations.ts';
import type { Standings } from '../../protocol/standings.ts';
import type { BtLeaderboard, Leaderboard, Winner } from '../../protocol/types.ts';
import { runImportCli } from '../../server/cli/import.ts';
import { type EloRecord, newEloRecord, recordGame } from '../../server/ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../../server/ratings/outcomes.ts';
import { publicVotesInOrder } from '../../server/standings/ratings-repo.ts';
import { connectCluster } from '../../server/transport/cluster.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, vote as evalVote, jsonl, nextItem, startAndGenerate } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { skipRedis, startRedis } from '../support/services.ts';
import { playBattle, startTestServer, type TestServer, type TestSocket } from '../support/test-server.ts';

const cleanup = useCleanup();
const WINNERS: Winner[] = ['a', 'b', 'tie', 'a', 'bothbad', 'b'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two instances on one database file and one Redis; Bradley-Terry refits quickly. */
async function startPair(opts: { config?: Record<string, unknown> } = {}) {
  const redis = cleanup.add(await startRedis());
  const dir = cleanup.tempDir('arena-xstand-');
  const start = (instanceId: string) => startTestServer({ dir, redisUrl: redis.url, instanceId, deps: { btIntervalMs: 50 }, ...opts });
  const one = cleanup.add(await start('one'));
  const two = cleanup.add(await start('two'));
  return { redis, dir, one, two };
}

/** Everything a watcher of the leaderboard and of the default standings view is pushed. */
interface Frames {
  elo: Leaderboard[];
  bt: BtLeaderboard[];
  views: Standings[];
}

async function watch(server: TestServer): Promise<Frames> {
  const socket = await server.connect();
  const frames: Frames = { elo: [], bt: [], views: [] };
  socket.on('leaderboard:update', ({ leaderboard }) => frames.elo.push(leaderboard));
  socket.on('leaderboard:bt', ({ leaderboard }) => frames.bt.push(leaderboard));
  socket.on('standings:update', ({ standings }) => frames.views.push(standings));
  expect(await socket.emitWithAck('leaderboard:subscribe', {})).toMatchObject({ ok: true });
  expect(await socket.emitWithAck('standings:subscribe', { view: {} })).toMatchObject({ ok: true });
  return frames;
}

const clear = (frames: Frames) => {
  for (const list of Object.values(frames)) list.length = 0;
};

async function battleAndVote(socket: TestSocket, winner: Winner): Promise<void> {
  const battleId = await playBattle(socket);
  const reply = await socket.emitWithAck('battle:vote', { battleId, winner });
  if (!reply.ok) throw new Error(`battle:vote: ${reply.error.message}`);
}

/** The online Elo recomputed from the votes in the database, as the leaderboard rounds it. */
function recomputedElo(server: TestServer): Record<string, { rating: number; games: number }> {
  const state = new Map<string, EloRecord>();
  for (const [a, b, winner] of publicVotesInOrder(server.app.db.$client)) {
    const [ra, rb] = recordGame(state.get(a) ?? newEloRecord(), state.get(b) ?? newEloRecord(), scoreOfA(outcomeFromDbWinner(winner)), 4);
    state.set(a, ra);
    state.set(b, rb);
  }
  return Object.fromEntries([...state].map(([id, r]) => [id, { rating: Math.round(r.rating * 100) / 100, games: r.games }]));
}

const eloOf = (board: Leaderboard) => Object.fromEntries(board.models.filter((m) => m.games > 0).map((m) => [m.id, { rating: m.rating, games: m.games }]));
const btOf = (board: Pick<BtLeaderboard, 'models' | 'votes'>) => ({ votes: board.votes, models: board.models.map((m) => [m.id, m.rating]) });
const leaderboard = async (server: TestServer) => (await api<Leaderboard>(server, '/api/leaderboard')).body as unknown as Leaderboard;
const btLeaderboard = async (server: TestServer) => (await api<BtLeaderboard>(server, '/api/leaderboard?method=bt')).body as unknown as BtLeaderboard;
const standingsOf = async (server: TestServer) => (await api<{ standings: Standings }>(server, '/api/standings')).body.standings;

/** Waits until neither instance has a fit running or due, and the pushes' coalescing windows (20 ms) passed. */
async function settle(...servers: TestServer[]): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await sleep(150);
    for (const s of servers) await Promise.all([s.app.btLeaderboard.idle(), s.app.standings.views.idle()]);
  }
}

/** The models the battles of this instance drew (from the database). */
async function drawn(server: TestServer, socket: TestSocket, count: number): Promise<Set<string>> {
  const models = new Set<string>();
  for (let i = 0; i < count; i++) {
    const reply = await socket.emitWithAck('battle:start', { prompt: `Which model are you, take ${i}?` });
    if (!reply.ok) throw new Error(`battle:start: ${reply.error.message}`);
    const row = server.app.db.select().from(battles).where(eq(battles.id, reply.battleId)).get()!;
    models.add(row.modelA);
    models.add(row.modelB);
  }
  return models;
}

describe.skipIf(skipRedis)('standings across instances', () => {
  it('converge on both instances from concurrent votes, equal to a recompute, and push each frame once to each subscriber', async () => {
    const { one, two } = await startPair();
    const watchers = [await watch(one), await watch(two)];
    const voters = [await one.connect(), await two.connect()];
    const perInstance = 6;
    await Promise.all(
      voters.map(async (voter, v) => {
        for (let i = 0; i < perInstance; i++) await battleAndVote(voter, WINNERS[(i + v) % WINNERS.length]!);
      }),
    );
    const total = 2 * perInstance;

    // HTTP answers of both instances: the same ratings, and those a recompute from the votes gives.
    const expected = recomputedElo(one);
    await expect.poll(async () => eloOf(await leaderboard(two))).toEqual(expected);
    expect(eloOf(await leaderboard(one))).toEqual(expected);
    expect((await leaderboard(two)).totalVotes).toBe(total);

    // Pushes: every watcher's latest frame is its instance's answer, and both instances agree.
    for (const [i, server] of [one, two].entries()) {
      const frames = watchers[i]!;
      await expect.poll(() => frames.elo.at(-1)?.totalVotes).toBe(total);
      expect(eloOf(frames.elo.at(-1)!)).toEqual(expected);
      // One instance's frames only: the count never goes back.
      const counts = frames.elo.map((f) => f.totalVotes);
      expect(counts).toEqual([...counts].sort((x, y) => x - y));
      await expect.poll(() => frames.bt.at(-1)?.votes, { timeout: 10_000 }).toBe(total);
      await expect.poll(() => frames.views.at(-1)?.votes, { timeout: 10_000 }).toBe(total);
      await settle(server);
      expect(btOf(frames.bt.at(-1)!)).toEqual(btOf(await btLeaderboard(server)));
    }
    expect(btOf(watchers[1]!.bt.at(-1)!)).toEqual(btOf(watchers[0]!.bt.at(-1)!));
    expect(btOf(await standingsOf(two))).toEqual(btOf(await standingsOf(one)));

    // One more vote, on instance one: each watcher, on either instance, gets exactly one frame of each kind.
    await settle(one, two);
    for (const frames of watchers) clear(frames);
    await battleAndVote(voters[0]!, 'a');
    for (const frames of watchers) {
      await expect.poll(() => frames.elo.at(-1)?.totalVotes).toBe(total + 1);
      await expect.poll(() => frames.bt.at(-1)?.votes, { timeout: 10_000 }).toBe(total + 1);
      await expect.poll(() => frames.views.at(-1)?.votes, { timeout: 10_000 }).toBe(total + 1);
    }
    await settle(one, two);
    for (const frames of watchers) expect([frames.elo.length, frames.bt.length, frames.views.length]).toEqual([1, 1, 1]);
    expect(eloOf(await leaderboard(two))).toEqual(recomputedElo(two));
  });

  it('a model switched off through the admin API on one instance is drawn by neither, from the moment the answer comes', async () => {
    const { one, two } = await startPair();
    const admin = await signedIn(one, 'admin@example.com', 'admin');
    const voter = await two.connect();
    expect(await drawn(two, voter, 12)).toContain('model-charlie');

    const off = await api(one, '/api/admin/models/model-charlie', { method: 'PATCH', cookie: admin, body: { enabled: false } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    // No waiting: the admin's answer came after the peers re-read the pool.
    const models = (await api<{ models: Array<{ id: string }> }>(two, '/api/models')).body.models.map((m) => m.id);
    expect(models).toEqual(['model-alpha', 'model-bravo']);
    expect(await drawn(two, voter, 8)).toEqual(new Set(['model-alpha', 'model-bravo']));
    expect((await leaderboard(two)).models.map((m) => m.id)).not.toContain('model-charlie');

    // The other way round, and the deprecated switch and a new model too.
    const on = await api(two, '/api/admin/models/model-charlie', { method: 'PATCH', cookie: admin, body: { enabled: true } });
    expect(on.status).toBe(200);
    expect(one.app.registry.get('model-charlie')?.enabled).toBe(true);
    expect((await api(two, '/api/admin/models/model-alpha/deprecated', { method: 'PATCH', cookie: admin, body: { deprecated: true } })).status).toBe(200);
    expect(one.app.registry.isDeprecated('model-alpha')).toBe(true);
    const added = await api(one, '/api/admin/models', { cookie: admin, body: { id: 'model-delta', name: 'Delta', provider: 'demo', tokensPerSecond: 0 } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(two.app.registry.get('model-delta')).toMatchObject({ name: 'Delta', enabled: true });

    // A snapshot published on one instance is served by the other (it lives in the database).
    const snapshot = await api<{ snapshot: { id: string } }>(one, '/api/admin/snapshots', { cookie: admin, body: { name: 'Now', view: { method: 'elo' } } });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
    expect((await api(two, `/api/snapshots/${snapshot.body.snapshot.id}`)).body).toMatchObject({ ok: true, snapshot: { name: 'Now' } });
  });

  it('a role change or a disabled account on one instance takes the rights away from a socket on the other', async () => {
    const { one, two } = await startPair();
    const admin = await signedIn(one, 'admin@example.com', 'admin');
    const socket = await connectWith(two, { cookie: await signedIn(one, 'ops@example.com', 'admin') });
    const watchX = async () => (await socket.emitWithAck('eval:watch', { evaluationId: 'x' })) as { ok: boolean; error?: { code: string } };
    expect((await watchX()).error?.code).toBe('not_found');

    const users = await api<{ users: Array<{ id: number; email: string }> }>(one, '/api/admin/users', { cookie: admin });
    const id = users.body.users.find((u) => u.email === 'ops@example.com')!.id;
    expect((await api(one, `/api/admin/users/${id}`, { method: 'PATCH', cookie: admin, body: { role: 'member' } })).status).toBe(200);
    await expect.poll(async () => (await watchX()).error?.code).toBe('forbidden');
    expect((await api(one, `/api/admin/users/${id}`, { method: 'PATCH', cookie: admin, body: { disabled: true } })).status).toBe(200);
    // In public mode a signed-out socket is an anonymous visitor: no longer a user at all.
    await expect.poll(async () => (await watchX()).error?.code).toBe('unauthorized');
  });

  it('sends an evaluation’s progress to its voters on either instance, once per vote', async () => {
    const { one, two } = await startPair({ config: { evaluations: { retryDelayMs: 5, bootstrapRounds: 20 } } });
    const admin = await signedIn(one, 'admin@example.com', 'admin');
    const ev = await createEvaluation(one, admin, {
      models: ['model-alpha', 'model-bravo'],
      votesPerItem: 2,
      prompts: { format: 'jsonl', content: jsonl([{ prompt: 'One' }, { prompt: 'Two' }]) },
    });
    await startAndGenerate(one, admin, ev.id);
    const voters = [
      await connectWith(one, { cookie: await signedIn(one, 'a@example.com', 'member') }),
      await connectWith(two, { cookie: await signedIn(two, 'b@example.com', 'member') }),
    ];
    const seen: EvalProgress[][] = [[], []];
    for (const [i, voter] of voters.entries()) {
      voter.on('eval:progress', (p) => seen[i]!.push(p));
      expect(await voter.emitWithAck('eval:subscribe', { evaluationId: ev.id })).toMatchObject({ ok: true });
    }
    await sleep(200);
    for (const list of seen) list.length = 0;
    for (const [cast, voter] of [voters[1]!, voters[0]!].entries()) {
      const item = await nextItem(voter, ev.id);
      await evalVote(voter, item!, 'a');
      for (const list of seen) await expect.poll(() => list.at(-1)?.votes.cast).toBe(cast + 1);
    }
    await sleep(200);
    expect(seen.map((list) => list.map((p) => p.votes.cast))).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });
});

describe.skipIf(skipRedis)('an instance that missed its peers', () => {
  it('catches up once its Redis subscription is back: votes, the model pool and accounts', async () => {
    const { redis, one, two } = await startPair();
    const admin = await signedIn(one, 'admin@example.com', 'admin');
    const [watcher, voter] = [await watch(two), await one.connect()];
    const member = await connectWith(two, { cookie: await signedIn(one, 'ops@example.com', 'admin') });
    await battleAndVote(voter, 'a');
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(1);

    // Cut instance two's subscription and keep it out (no room for another connection) while one writes.
    const control = createClient({ url: redis.url });
    await control.connect();
    cleanup.add(control);
    const clients = await control.sendCommand(['CLIENT', 'LIST']);
    const subscriber = String(clients)
      .split('\n')
      .find((line) => line.includes(' name=arena:two:subscriber '))!;
    const connected = String(clients).trim().split('\n').length;
    await control.sendCommand(['CONFIG', 'SET', 'maxclients', String(connected - 1)]);
    await control.sendCommand(['CLIENT', 'KILL', 'ID', subscriber.match(/\bid=(\d+)/)![1]!]);

    for (const winner of ['b', 'tie', 'a'] as const) await battleAndVote(voter, winner);
    expect((await api(one, '/api/admin/models/model-charlie', { method: 'PATCH', cookie: admin, body: { enabled: false } })).status).toBe(200);
    const users = await api<{ users: Array<{ id: number; email: string }> }>(one, '/api/admin/users', { cookie: admin });
    const id = users.body.users.find((u) => u.email === 'ops@example.com')!.id;
    expect((await api(one, `/api/admin/users/${id}`, { method: 'PATCH', cookie: admin, body: { role: 'member' } })).status).toBe(200);
    await sleep(300);
    // Nothing of it reached instance two.
    expect((await leaderboard(two)).totalVotes).toBe(1);
    expect(two.app.registry.get('model-charlie')?.enabled).toBe(true);

    await control.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
    await expect.poll(async () => (await leaderboard(two)).totalVotes, { timeout: 10_000 }).toBe(4);
    expect(eloOf(await leaderboard(two))).toEqual(recomputedElo(two));
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(4);
    await expect.poll(() => watcher.bt.at(-1)?.votes, { timeout: 10_000 }).toBe(4);
    expect(two.app.registry.get('model-charlie')?.enabled).toBe(false);
    expect(await drawn(two, await two.connect(), 6)).toEqual(new Set(['model-alpha', 'model-bravo']));
    await expect
      .poll(async () => ((await member.emitWithAck('eval:watch', { evaluationId: 'x' })) as { error?: { code: string } }).error?.code)
      .toBe('forbidden');

    // Heard again from then on.
    await battleAndVote(voter, 'b');
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(5);
  });

  it('catches up on its periodic check with votes no peer told it of (a process outside the deployment wrote them)', async () => {
    const { dir, one, two } = await startPair();
    const [watcher, voter] = [await watch(two), await one.connect()];
    await battleAndVote(voter, 'a');
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(1);

    // An instance without REDIS_URL on the same file: its votes are told to nobody.
    const outsider = cleanup.add(await startTestServer({ dir }));
    const stranger = await outsider.connect();
    for (const winner of ['b', 'a'] as const) await battleAndVote(stranger, winner);
    await sleep(200);
    expect((await leaderboard(two)).totalVotes).toBe(1);

    two.app.cluster.resync('periodic');
    expect((await leaderboard(two)).totalVotes).toBe(3);
    expect(eloOf(await leaderboard(two))).toEqual(recomputedElo(two));
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(3);
    await expect.poll(() => watcher.views.at(-1)?.votes, { timeout: 10_000 }).toBe(3);

    // A check that finds nothing new pushes nothing.
    await settle(two);
    clear(watcher);
    two.app.cluster.resync('periodic');
    await sleep(200);
    expect([watcher.elo.length, watcher.bt.length, watcher.views.length]).toEqual([0, 0, 0]);
  });

  it('reloads at once when the CLI announces what it wrote (arena import with REDIS_URL), not at the next periodic check', async () => {
    const { redis, dir, one, two } = await startPair();
    const watcher = await watch(two);
    await battleAndVote(await one.connect(), 'a');
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(1);

    const file = path.join(dir, 'outside.jsonl');
    const record = (winner: string, i: number) => ({ model_a: 'model-alpha', model_b: 'model-bravo', winner, anony: true, tstamp: 1_700_000_000 + i });
    writeFileSync(file, `${['model_a', 'model_b', 'tie', 'model_a'].map((w, i) => JSON.stringify(record(w, i))).join('\n')}\n`);
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } };
    const env = { REDIS_URL: redis.url, DATABASE_PATH: one.dbFile };
    expect(await runImportCli([`battles`, file], io, env, dir), out.join('')).toBe(0);
    expect(out.join('')).toContain('Told the running instances');

    // The periodic check is 30 s away: what the instances show now came from the announcement.
    for (const server of [one, two]) await expect.poll(async () => (await leaderboard(server)).totalVotes, { timeout: 5_000 }).toBe(5);
    expect(eloOf(await leaderboard(two))).toEqual(recomputedElo(two));
    await expect.poll(() => watcher.elo.at(-1)?.totalVotes).toBe(5);

    // Unreachable Redis: the import still succeeds, and says when the instances will see it.
    out.length = 0;
    writeFileSync(file, `${JSON.stringify(record('model_b', 9))}\n`);
    expect(await runImportCli([`battles`, file], io, { ...env, REDIS_URL: 'redis://127.0.0.1:1' }, dir)).toBe(0);
    expect(out.join('')).toMatch(/could not reach Redis at redis:\/\/127\.0\.0\.1:1; running instances see the change within 30 s/);
  });

  it('runs the periodic check on its timer, and never when alone', async () => {
    const redis = cleanup.add(await startRedis());
    const cluster = await connectCluster({ redisUrl: redis.url, instanceId: 'timer', onError: (err) => console.error(err), resyncIntervalMs: 30 });
    cleanup.add({ stop: () => cluster.close() });
    const reasons: string[] = [];
    cluster.onResync((reason) => reasons.push(reason));
    await expect.poll(() => reasons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reasons)).toEqual(new Set(['periodic']));

    const alone = await connectCluster({ redisUrl: null, instanceId: 'alone', onError: () => undefined, resyncIntervalMs: 30 });
    let called = 0;
    alone.onResync(() => called++);
    alone.resync('periodic');
    await sleep(100);
    expect(called).toBe(0);
  });
});
