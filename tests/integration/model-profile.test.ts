/**
 * The model page (`GET /api/models/:id/profile`) on a database whose every vote the test chose:
 * Elo and rank per day, record against each opponent, standing, speed and cost distributions,
 * recent battles by visibility, and nothing that moves while a battle waits for its vote.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { VOTER_HEADER } from '../../protocol/headers.ts';
import type { CategorySummary, ModelProfile, Standings } from '../../protocol/standings.ts';
import type { BtLeaderboard, Leaderboard, Winner } from '../../protocol/types.ts';
import { eloUpdate } from '../../server/ratings/elo.ts';
import { api, signedIn } from '../support/auth.ts';
import { fastDemoModels, playBattle, type TestServer, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();
const DAY = 86_400_000;
const START = Date.parse('2026-04-06T09:00:00Z');
const models = fastDemoModels.map((m) => (m.id === 'model-alpha' ? { ...m, pricing: { inputPerMillion: 3, outputPerMillion: 15 } } : m));

const profileOf = async (server: TestServer, id: string, voter?: string) =>
  api<{ profile: ModelProfile }>(server, `/api/models/${id}/profile`, voter ? { headers: { [VOTER_HEADER]: voter } } : {});

/** Nearest-rank quantiles, as the server documents them. */
function quantiles(values: number[], digits: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((q) => Math.round(sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]! * 10 ** digits) / 10 ** digits);
}

describe('GET /api/models/:id/profile', () => {
  it('reports the numbers of a known database', async () => {
    const clock = { now: START };
    const server = await startServer({ models, deps: { now: () => clock.now, btIntervalMs: 0 } });
    const socket = await server.connect({ voterId: 'profile-voter' });
    const sqlite = new Database(server.dbFile, { readonly: true });
    const pairOf = (id: string) => sqlite.prepare('SELECT model_a AS a, model_b AS b FROM battles WHERE id = ?').get(id) as { a: string; b: string };

    // Alpha beats everyone except every third game (a tie); bravo beats charlie.
    const expected = new Map<string, { battles: number; wins: number; losses: number; ties: number }>();
    const elo = new Map<string, number>();
    const days: Array<{ day: string; elo: number; rank: number }> = [];
    const alphaBattles: string[] = [];
    // The categories in which alpha drew at least once: only there is its rating finite (pairs are random).
    const drawnIn = new Set<string>();
    for (let i = 0; i < 12; i++) {
      clock.now = START + Math.floor(i / 4) * DAY + i * 60_000;
      // Every other prompt in Korean: two language categories.
      const battleId = await playBattle(socket, i % 2 === 0 ? `힙 자료구조가 무엇인지 설명해 주세요 (${i}번)` : `Question ${i}: what is a heap?`);
      const { a, b } = pairOf(battleId);
      const alphaSide = a === 'model-alpha' ? 'a' : b === 'model-alpha' ? 'b' : null;
      const winner: Winner = alphaSide ? (i % 3 === 0 ? 'tie' : alphaSide) : a === 'model-bravo' ? 'a' : 'b';
      expect((await socket.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
      const score = winner === 'a' ? 1 : winner === 'b' ? 0 : 0.5;
      const [ra, rb] = eloUpdate(elo.get(a) ?? 1000, elo.get(b) ?? 1000, score, 4);
      elo.set(a, ra);
      elo.set(b, rb);
      if (alphaSide) {
        alphaBattles.unshift(battleId);
        const other = alphaSide === 'a' ? b : a;
        const r = expected.get(other) ?? { battles: 0, wins: 0, losses: 0, ties: 0 };
        r.battles++;
        if (winner === 'tie') {
          r.ties++;
          drawnIn.add(i % 2 === 0 ? 'lang:ko' : 'lang:en');
        } else r.wins++;
        expected.set(other, r);
      }
      if (i % 4 === 3 && elo.has('model-alpha')) {
        const mine = elo.get('model-alpha')!;
        days.push({
          day: new Date(clock.now).toISOString().slice(0, 10),
          elo: Math.round(mine * 100) / 100,
          rank: 1 + [...elo.values()].filter((r) => r > mine).length,
        });
      }
    }

    const res = await profileOf(server, 'model-alpha', 'profile-voter');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body.profile;
    expect(p.model).toEqual({ id: 'model-alpha', name: 'Alpha Secret', demo: true, organization: null, license: null, deprecated: false });
    expect(p.history).toEqual(days);
    const stored = (await api<Leaderboard>(server, '/api/leaderboard')).body.models.find((m) => m.id === 'model-alpha')!;
    expect(p.history.at(-1)!.elo).toBe(stored.rating);
    expect(p.history.at(-1)!.rank).toBe(stored.rank);

    expect(p.opponents.map(({ id, battles, wins, losses, ties }) => ({ id, battles, wins, losses, ties }))).toEqual(
      [...expected].map(([id, r]) => ({ id, ...r })).sort((x, y) => y.battles - x.battles || x.id.localeCompare(y.id)),
    );
    for (const o of p.opponents) {
      expect(o.name).toMatch(/Secret$/);
      expect(o.winRate).toBeCloseTo((o.wins + o.ties / 2) / o.battles, 4);
    }

    const bt = (await api<BtLeaderboard>(server, '/api/leaderboard?method=bt')).body.models.find((m) => m.id === 'model-alpha')!;
    expect(p.standing).toMatchObject({ id: 'model-alpha', rating: bt.rating, ci: bt.ci, battles: bt.battles, wins: bt.wins, ties: bt.ties, deprecated: false });
    expect(p.standing!.winRate).toBeCloseTo((bt.wins + bt.ties / 2) / bt.battles, 4);
    // Each category it has votes in: its row in that category's Bradley-Terry view, as the leaderboard shows it.
    const summary = (await api<{ categories: CategorySummary[] }>(server, '/api/standings/categories')).body.categories;
    const expectedCategories: ModelProfile['categories'] = [];
    for (const { id, votes } of summary) {
      if (id === 'all' || votes === 0) continue;
      const view = (await api<{ standings: Standings }>(server, `/api/standings?method=bt&deprecated=1&category=${encodeURIComponent(id)}`)).body.standings;
      const rated = view.models.find((m) => m.id === 'model-alpha');
      const row = rated ?? view.provisional.find((m) => m.id === 'model-alpha');
      // Won (or lost) every vote of the category: no finite rating to show yet.
      const placed = row && !row.separated;
      if (row)
        expectedCategories.push({ category: id, rating: placed ? row.rating : null, ci: placed ? row.ci : null, votes: row.battles, provisional: !rated });
    }
    expect(p.categories.map((c) => c.category)).toEqual(expect.arrayContaining(['lang:ko', 'lang:en']));
    expect(p.categories).toEqual(expectedCategories);
    // Twelve votes in all: under the threshold of 20 in every category.
    for (const c of p.categories) expect(c.provisional).toBe(true);
    // Where alpha drew, a rating inside its interval; where it won every vote, none.
    for (const c of p.categories.filter((c) => c.category.startsWith('lang:'))) {
      if (!drawnIn.has(c.category)) expect(c.ci, c.category).toBeNull();
      else expect(c.ci !== null && c.ci.lower <= c.rating! && c.rating! <= c.ci.upper, c.category).toBe(true);
    }

    const answers = sqlite.prepare("SELECT total_ms AS totalMs, cost_usd AS costUsd FROM answers WHERE model_id = 'model-alpha'").all() as Array<{
      totalMs: number;
      costUsd: number;
    }>;
    expect(p.speed).toMatchObject({ answers: answers.length, errorRate: 0 });
    expect(p.distributions.latencyMs).toEqual(
      quantiles(
        answers.map((a) => a.totalMs),
        1,
      ),
    );
    expect(p.distributions.costUsd).toEqual(
      quantiles(
        answers.map((a) => a.costUsd),
        6,
      ),
    );
    expect(p.distributions.costUsd[0]).toBeGreaterThan(0);
    expect(p.standing!.costPer1kAnswersUsd).toBeCloseTo((answers.reduce((s, a) => s + a.costUsd, 0) / answers.length) * 1000, 3);
    expect((await profileOf(server, 'model-bravo')).body.profile.distributions.costUsd).toEqual([]);

    // Recent battles: the asker's own (newest first), named; another browser sees none of them.
    expect(p.recentBattles.map((b) => b.id)).toEqual(alphaBattles.slice(0, 10));
    for (const b of p.recentBattles) expect([b.models!.a.id, b.models!.b.id]).toContain('model-alpha');
    const stranger = (await profileOf(server, 'model-alpha', 'someone-else-1')).body.profile;
    expect(stranger.recentBattles).toEqual([]);
    expect({ ...stranger, recentBattles: p.recentBattles }).toEqual(p);
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    expect((await api<{ profile: ModelProfile }>(server, '/api/models/model-alpha/profile', { cookie: admin })).body.profile.recentBattles).toHaveLength(
      Math.min(10, alphaBattles.length),
    );
    sqlite.close();

    // Deprecated: the page says so, and still shows where the model stood.
    const switched = await api(server, '/api/admin/models/model-alpha/deprecated', { cookie: admin, method: 'PATCH', body: { deprecated: true } });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    const deprecated = (await profileOf(server, 'model-alpha', 'profile-voter')).body.profile;
    expect(deprecated.model.deprecated).toBe(true);
    expect(deprecated.standing!.deprecated).toBe(true);
    expect(deprecated.categories).toEqual(p.categories);

    expect((await profileOf(server, 'no-such-model')).body.error).toMatchObject({ code: 'not_found', field: 'id' });
    expect((await profileOf(server, '%20bad%20id')).body.error).toMatchObject({ code: 'invalid_input', field: 'id' });
  });

  it('does not move while a finished battle waits for its vote, for its voter or anyone', async () => {
    const server = await startServer({ deps: { btIntervalMs: 0 } });
    const socket = await server.connect({ voterId: 'profile-voter-2' });
    for (const winner of ['a', 'tie', 'b', 'tie'] as const) {
      const battleId = await playBattle(socket, 'Which sort is stable?');
      expect((await socket.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
    }
    const settled = async () => {
      await api(server, '/api/leaderboard?method=bt');
      await server.app.btLeaderboard.idle();
      return Promise.all(
        fastDemoModels.flatMap((m) => ['profile-voter-2', 'someone-else-2'].map(async (voter) => (await profileOf(server, m.id, voter)).body)),
      );
    };
    const before = await settled();
    await playBattle(socket, 'A battle left waiting for its vote');
    expect(await settled()).toEqual(before);
  });

  it('shows guests the public figures and no battles', async () => {
    const server = await startServer({ config: { auth: { mode: 'accounts' } }, deps: { btIntervalMs: 0 } });
    const res = await profileOf(server, 'model-alpha', 'browser-0001');
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ standing: null, history: [], opponents: [], recentBattles: [], speed: null });
  });
});
