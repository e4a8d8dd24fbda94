/**
 * Standings views over real HTTP and sockets: a category's standings equal a fit on just its
 * votes, the vote threshold, live pushes to subscribed views, date and blind/all filters, the
 * deprecated switch, rating history, fronts and warnings in plain words.
 */
import { describe, expect, it } from 'vitest';
import type { Standings } from '../../protocol/standings.ts';
import { outcomeFromDbWinner } from '../../server/ratings/outcomes.ts';
import { rankModels } from '../../server/ratings/summary.ts';
import { api, signedIn } from '../support/auth.ts';
import { type CastVote, castVote, getHistory, getStandings } from '../support/standings.ts';
import { playBattle, type TestSocket, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();
const NAMES: Record<string, string> = { 'model-alpha': 'Alpha Secret', 'model-bravo': 'Bravo Secret', 'model-charlie': 'Charlie Secret' };
const WINNERS = ['a', 'b', 'tie', 'a', 'tie', 'b', 'a', 'tie'] as const;

const battlesOf = (votes: CastVote[]) => votes.map((v) => ({ model_a: v.modelA, model_b: v.modelB, winner: outcomeFromDbWinner(v.winner) }));

/** Resolves with the next `standings:update` the socket receives. */
const nextUpdate = (socket: TestSocket) => new Promise<Standings>((resolve) => socket.once('standings:update', ({ standings }) => resolve(standings)));

describe('a category view', () => {
  it('equals a Bradley-Terry fit (and an online Elo) on just its votes', async () => {
    const server = await startServer({ deps: { btIntervalMs: 0 } });
    const socket = await server.connect();
    const korean: CastVote[] = [];
    for (const [i, winner] of WINNERS.entries()) {
      korean.push(await castVote(socket, `한국어 질문 ${i}번: 좋은 책을 추천해 주세요`, winner));
      await castVote(socket, `English question ${i}: recommend a good book`, WINNERS[(i + 3) % WINNERS.length]!);
    }

    const bt = await getStandings(server, { method: 'bt', category: 'lang:ko', minVotes: 0 });
    const expected = rankModels(battlesOf(korean), { method: 'both', bootstrap: 100, seed: 1, eloOptions: { k: 4 } });
    expect(bt).toMatchObject({ method: 'bt', votes: korean.length, bootstrap: { rounds: 100, seed: 1 }, provisional: [] });
    expect(bt.models.map((m) => m.id)).toEqual(expected.models.map((m) => m.model));
    for (const m of bt.models) {
      const e = expected.models.find((x) => x.model === m.id)!;
      expect(m.rating).toBeCloseTo(e.rating, 2);
      expect(m.elo).toBeCloseTo(e.elo!, 2);
      expect(m).toMatchObject({ name: NAMES[m.id], battles: e.battles, wins: e.wins, losses: e.losses, ties: e.ties, deprecated: false, rankChange: 0 });
      if (e.ci && !m.separated)
        expect(m.ci).toEqual({ lower: expect.closeTo(e.ci.lower, 2), median: expect.closeTo(e.ci.median, 2), upper: expect.closeTo(e.ci.upper, 2) });
      expect(m.winRate).toBeCloseTo((e.wins + e.ties / 2) / e.battles, 4);
    }
    const n = bt.models.length;
    expect(bt.pairs.models).toEqual(bt.models.map((m) => m.id));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const observed = bt.pairs.observed[i]![j] ?? null;
        if (i === j || observed === null) continue;
        expect(observed + bt.pairs.observed[j]![i]!).toBeCloseTo(1, 3);
      }
    }

    const elo = await getStandings(server, { category: 'lang:ko', minVotes: 0 });
    const eloExpected = rankModels(battlesOf(korean), { method: 'elo', eloOptions: { k: 4 } });
    expect(elo.method).toBe('elo');
    expect(elo.models.map((m) => [m.id, m.rating])).toEqual(eloExpected.models.map((m) => [m.model, expect.closeTo(m.rating, 2)]));
    expect(elo.models.every((m) => m.ci === null)).toBe(true);

    // The view of every blind vote is the public leaderboard.
    const all = await getStandings(server, { method: 'bt', minVotes: 0 });
    const board = (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as { models: Array<{ id: string; rating: number; elo: number }> };
    expect(all.votes).toBe(2 * WINNERS.length);
    expect(all.models.map((m) => [m.id, m.rating, m.elo])).toEqual(board.models.map((m) => [m.id, m.rating, m.elo]));
  });

  it('lists models under the vote threshold apart as provisional, never ranked among the rated', async () => {
    const server = await startServer({ config: { standings: { minVotes: 1000 } }, deps: { btIntervalMs: 0 } });
    const socket = await server.connect();
    for (const winner of WINNERS) await castVote(socket, 'Recommend a good book', winner);

    const byDefault = await getStandings(server);
    expect(byDefault.minVotes).toBe(1000);
    expect(byDefault.models).toEqual([]);
    expect(byDefault.provisional.map((m) => m.id).sort()).toEqual(Object.keys(NAMES).sort());

    const any = await getStandings(server, { minVotes: 0 });
    const battles = Object.fromEntries(any.models.map((m) => [m.id, m.battles]));
    const threshold = Math.max(...Object.values(battles));
    const split = await getStandings(server, { minVotes: threshold });
    expect(split.models.length).toBeGreaterThan(0);
    expect(split.models.every((m) => m.battles >= threshold)).toBe(true);
    expect(split.provisional.every((m) => m.battles < threshold)).toBe(true);
    expect([...split.models, ...split.provisional].map((m) => m.id).sort()).toEqual(Object.keys(battles).sort());
    expect(split.models[0]!.rankUB).toBe(1);
    expect(split.pairs.models).toEqual(split.models.map((m) => m.id));
    expect(split.fronts.cost).toEqual([]);
  });
});

describe('live views', () => {
  it('pushes a subscribed view after a vote that belongs to it, and only then; rank changes count from the previous fit', async () => {
    const server = await startServer({ deps: { btIntervalMs: 0 } });
    const voter = await server.connect();
    const koWatcher = await server.connect();
    const codeWatcher = await server.connect();
    await castVote(voter, '좋은 책을 추천해 주세요', 'a');

    const ack = await koWatcher.emitWithAck('standings:subscribe', { view: { category: 'lang:ko', minVotes: 0 } });
    expect(ack).toMatchObject({ ok: true, standings: { votes: 1, view: { category: 'lang:ko', method: 'elo', votes: 'blind' } } });
    expect(await codeWatcher.emitWithAck('standings:subscribe', { view: { category: 'coding', minVotes: 0 } })).toMatchObject({
      ok: true,
      standings: { votes: 0 },
    });
    const koPushes: Standings[] = [];
    const codePushes: Standings[] = [];
    koWatcher.on('standings:update', ({ standings }) => koPushes.push(standings));
    codeWatcher.on('standings:update', ({ standings }) => codePushes.push(standings));

    await castVote(voter, 'Recommend a good book', 'b');
    await server.app.standings.views.idle();
    expect(koPushes).toEqual([]);

    const pushed = nextUpdate(koWatcher);
    await castVote(voter, '여름 휴가지를 추천해 주세요', 'b');
    const update = await pushed;
    expect(update.votes).toBe(2);
    // Against the fit the subscriber got first: a model new to the view has none.
    const before = new Set(ack.ok ? ack.standings.models.map((m) => m.id) : []);
    for (const m of update.models) expect(m.rankChange === null, m.id).toBe(!before.has(m.id));
    // The first fit had nothing to compare with: no model was marked.
    if (ack.ok) for (const m of ack.standings.models) expect(m.rankChange, m.id).toBe(0);
    expect(codePushes).toEqual([]);

    expect(await koWatcher.emitWithAck('standings:unsubscribe', {})).toEqual({ ok: true });
    await castVote(voter, '가을에 읽을 시를 추천해 주세요', 'a');
    await server.app.standings.views.idle();
    expect(koPushes).toHaveLength(1);
    expect(await koWatcher.emitWithAck('standings:subscribe', { view: { category: 'cooking' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'view.category' },
    });
  });
});

describe('filters', () => {
  it('counts only the votes of the view dates (UTC days, both included)', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const server = await startServer({ deps: { now: () => clock, btIntervalMs: 0 } });
    const socket = await server.connect();
    for (const winner of ['a', 'b', 'tie']) await castVote(socket, 'Recommend a good book', winner as 'a');
    clock = Date.parse('2026-03-02T23:59:00Z');
    for (const winner of ['a', 'a']) await castVote(socket, 'Recommend a good film', winner as 'a');
    clock = Date.parse('2026-03-04T00:00:00Z');
    await castVote(socket, 'Recommend a good song', 'b');

    const votes = async (from?: string, to?: string) => (await getStandings(server, { minVotes: 0, ...(from ? { from } : {}), ...(to ? { to } : {}) })).votes;
    expect(await votes()).toBe(6);
    expect(await votes('2026-03-01', '2026-03-01')).toBe(3);
    expect(await votes('2026-03-02', '2026-03-02')).toBe(2);
    expect(await votes('2026-03-02')).toBe(3);
    expect(await votes(undefined, '2026-03-03')).toBe(5);
    expect(await votes('2026-03-05')).toBe(0);

    const points = await getHistory(server);
    expect(points.map((p) => [p.day, p.votes])).toEqual([
      ['2026-03-01', 3],
      ['2026-03-02', 2],
      ['2026-03-04', 1],
    ]);
    const last = points.at(-1)!;
    const board = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as {
      models: Array<{ id: string; rating: number; rank: number; games: number }>;
    };
    for (const m of board.models.filter((x) => x.games > 0))
      expect(last).toMatchObject({ elo: { [m.id]: expect.closeTo(m.rating, 2) }, rank: { [m.id]: m.rank } });
  });

  it('counts flagged votes only in views of all votes', async () => {
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const server = await startServer({
      config: { integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 30 } },
      deps: { now: () => clock, btIntervalMs: 0 },
    });
    const socket = await server.connect();
    // Voted the instant the answers ended: too fast to have read them, kept but not counted.
    await castVote(socket, 'Recommend a good book', 'a');
    const battleId = (await castVote(socket, 'Recommend a good film', 'b')).battleId;
    expect(server.app.db.$client.prepare('SELECT counted FROM votes WHERE battle_id = ?').get(battleId)).toEqual({ counted: 0 });
    clock += 60_000;
    expect((await getStandings(server, { minVotes: 0 })).votes).toBe(0);
    expect((await getStandings(server, { votes: 'all', minVotes: 0 })).votes).toBe(2);
    expect((await getStandings(server, { votes: 'all', category: 'lang:en', minVotes: 0 })).votes).toBe(2);
  });
});

describe('deprecated models', () => {
  it('are hidden unless the view shows them; the switch is an audited admin route, and watchers are told', async () => {
    const server = await startServer({ deps: { btIntervalMs: 0 } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const socket = await server.connect();
    for (const winner of WINNERS) await castVote(socket, 'Recommend a good book', winner);
    const watcher = await server.connect();
    await watcher.emitWithAck('standings:subscribe', { view: { minVotes: 0 } });

    const refused = await api(server, '/api/admin/models/model-alpha/deprecated', { method: 'PATCH', body: { deprecated: true } });
    expect(refused.status).toBe(401);
    const pushed = nextUpdate(watcher);
    const res = await api(server, '/api/admin/models/model-alpha/deprecated', { method: 'PATCH', cookie: admin, body: { deprecated: true } });
    expect(res.body).toEqual({ ok: true, deprecated: true });
    expect((await pushed).models.map((m) => m.id)).not.toContain('model-alpha');

    const hidden = await getStandings(server, { minVotes: 0 });
    expect([...hidden.models, ...hidden.provisional].map((m) => m.id)).not.toContain('model-alpha');
    expect(hidden.pairs.models).not.toContain('model-alpha');
    const shown = await getStandings(server, { minVotes: 0, deprecated: '1' });
    expect(shown.models.find((m) => m.id === 'model-alpha')).toMatchObject({ deprecated: true, name: 'Alpha Secret' });
    expect(shown.votes).toBe(hidden.votes);

    const registry = await api<{ models: Array<{ id: string; deprecated: boolean }> }>(server, '/api/admin/models', { cookie: admin });
    expect(registry.body.models.find((m) => m.id === 'model-alpha')?.deprecated).toBe(true);
    const audit = await api<{ entries: Array<{ action: string; target: string }> }>(server, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries.find((e) => e.action === 'model.deprecate')).toMatchObject({ target: 'model-alpha' });
    const missing = await api(server, '/api/admin/models/nobody/deprecated', { method: 'PATCH', cookie: admin, body: { deprecated: true } });
    expect(missing.status).toBe(404);
    const bad = await api<{ error: { field: string } }>(server, '/api/admin/models/model-alpha/deprecated', {
      method: 'PATCH',
      cookie: admin,
      body: { deprecated: 'yes' },
    });
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', field: 'deprecated' });

    await api(server, '/api/admin/models/model-alpha/deprecated', { method: 'PATCH', cookie: admin, body: { deprecated: false } });
    expect((await getStandings(server, { minVotes: 0 })).models.map((m) => m.id)).toContain('model-alpha');
  });
});

describe('warnings', () => {
  it('say in plain words, by model name, why a rating is not an estimate yet', async () => {
    const models = [
      { id: 'model-alpha', name: 'Alpha Secret', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0 },
      { id: 'model-bravo', name: 'Bravo Secret', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 0 },
    ];
    const server = await startServer({ models, deps: { btIntervalMs: 0 } });
    const socket = await server.connect();
    for (let i = 0; i < 3; i++) {
      const battleId = await playBattle(socket, `Recommend a good book, number ${i}`);
      // Peeking at the sides (a test may): Alpha wins every time.
      const { modelA } = server.app.db.$client.prepare('SELECT model_a AS modelA FROM battles WHERE id = ?').get(battleId) as { modelA: string };
      expect(await socket.emitWithAck('battle:vote', { battleId, winner: modelA === 'model-alpha' ? 'a' : 'b' })).toMatchObject({ ok: true });
    }
    const bt = await getStandings(server, { method: 'bt', minVotes: 0 });
    expect(bt.converged).toBe(false);
    expect(bt.warnings).toEqual([
      'Alpha Secret has never lost, so its rating has no upper bound yet.',
      'Bravo Secret has never won, so its rating has no lower bound yet.',
    ]);
    expect((await getStandings(server, { minVotes: 0 })).warnings).toEqual([]);
  });
});
