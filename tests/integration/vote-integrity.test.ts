import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { votes } from '../../db/schema.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { fastDemoModels, playBattle, type TestServer, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

const voteRows = (s: TestServer) => s.app.db.select().from(votes).all();
const totalVotes = async (s: TestServer) => ((await (await fetch(`${s.url}/api/leaderboard`)).json()) as { totalVotes: number }).totalVotes;

describe('exactly-once votes', () => {
  it('answers a re-sent voteId with the same result and counts it once', async () => {
    const server = await startServer();
    const socket = await server.connect({ voterId: 'resend-voter' });
    const battleId = await playBattle(socket);
    const first = await socket.emitWithAck('battle:vote', { battleId, winner: 'a', voteId: 'vote-0000001' });
    const again = await socket.emitWithAck('battle:vote', { battleId, winner: 'a', voteId: 'vote-0000001' });
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(voteRows(server)).toHaveLength(1);
    expect(await totalVotes(server)).toBe(1);
    const other = await socket.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'vote-0000002' });
    expect(other).toMatchObject({ ok: false, error: { code: 'already_voted' } });
    const reused = await socket.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'vote-0000001' });
    expect(reused).toMatchObject({ ok: false, error: { code: 'conflict', field: 'voteId' } });
    expect(voteRows(server)).toHaveLength(1);
  });

  it('survives a connection lost right after sending: the resent vote on reconnect is counted once', async () => {
    const server = await startServer();
    const socket = await server.connect({ voterId: 'flaky-voter' });
    const battleId = await playBattle(socket);
    // Send and drop the connection before the ack can arrive.
    socket.emit('battle:vote', { battleId, winner: 'b', voteId: 'lost-ack-01' }, () => {});
    socket.disconnect();
    const back = await server.connect({ voterId: 'flaky-voter' });
    const resent = await back.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'lost-ack-01' });
    expect(resent.ok).toBe(true);
    const resentAgain = await back.emitWithAck('battle:vote', { battleId, winner: 'b', voteId: 'lost-ack-01' });
    expect(resentAgain).toEqual(resent);
    expect(server.app.db.select({ n: count() }).from(votes).where(eq(votes.battleId, battleId)).get()!.n).toBe(1);
    expect(await totalVotes(server)).toBe(1);
  });
});

describe('integrity rules', () => {
  it('flags a battle whose answer names a vendor, keeps the vote for admins, leaves the ratings alone', async () => {
    const server = await startServer();
    const socket = await server.connect();
    // The demo models echo the prompt's topic, as a real model naming its maker would.
    const battleId = await playBattle(socket, 'Tell me about OpenAI and Anthropic');
    const vote = await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
    expect(vote.ok).toBe(true); // the voter still sees the reveal
    expect(voteRows(server)[0]).toMatchObject({ flags: ['self_identified'], counted: false });
    expect(await totalVotes(server)).toBe(0);
    const clean = await playBattle(socket, 'Explain photosynthesis');
    await socket.emitWithAck('battle:vote', { battleId: clean, winner: 'a' });
    expect(await totalVotes(server)).toBe(1);
  });

  it('flags a model that says its own configured name', async () => {
    const server = await startServer({ models: fastDemoModels.map((m) => ({ ...m, model: 'sage' })) });
    const socket = await server.connect();
    const battleId = await playBattle(socket, 'Is model-bravo any good?'); // the id, as a model might say it
    await socket.emitWithAck('battle:vote', { battleId, winner: 'tie' });
    expect(voteRows(server)[0]!.flags).toEqual(['self_identified']);
  });

  it('flags votes cast faster than both answers can be read', async () => {
    const server = await startServer({ config: { integrity: { readingSecondsPer1kChars: 2, minReadingSeconds: 3 } } });
    const socket = await server.connect();
    const battleId = await playBattle(socket, 'Describe the water cycle');
    await socket.emitWithAck('battle:vote', { battleId, winner: 'b' });
    expect(voteRows(server)[0]).toMatchObject({ flags: ['too_fast'], counted: false });
    expect(await totalVotes(server)).toBe(0);
  });
});

describe('abuse and cost limits', () => {
  it('rate-limits starting battles per voter with a retry time', async () => {
    const server = await startServer({ config: { limits: { battlesBurst: 2, battlesPerMinute: 1, maxConcurrentBattles: 100 } } });
    const socket = await server.connect();
    await playBattle(socket);
    await playBattle(socket);
    const third = await socket.emitWithAck('battle:start', { prompt: 'one more' });
    expect(third).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!third.ok) expect(third.error.retryAfterMs).toBeGreaterThan(50_000);
    // Another voter is not affected.
    const other = await server.connect();
    expect((await other.emitWithAck('battle:start', { prompt: 'mine' })).ok).toBe(true);
  });

  it('limits battles per IP across voters', async () => {
    const server = await startServer({ config: { limits: { battlesBurst: 1, battlesPerMinutePerIp: 2 } } });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await (await server.connect()).emitWithAck('battle:start', { prompt: `p${i}` }));
    expect(replies.map((r) => r.ok)).toEqual([true, true, false]);
  });

  it('counts per-IP limits by the client address a trusted proxy forwards, not the proxy', async () => {
    const server = await startServer({
      config: { limits: { battlesBurst: 1, battlesPerMinutePerIp: 1 }, auth: { trustedProxy: { addresses: ['127.0.0.1'] } } },
    });
    const viaProxy = (client: string) => connectWith(server, { 'x-forwarded-for': client });
    const alice = await viaProxy('203.0.113.9');
    const battleId = await playBattle(alice);
    await alice.emitWithAck('battle:vote', { battleId, winner: 'a' });
    expect(voteRows(server)[0]!.ip).toBe('203.0.113.9');
    // Another client behind the same proxy has its own budget...
    expect((await (await viaProxy('198.51.100.7')).emitWithAck('battle:start', { prompt: 'hi' })).ok).toBe(true);
    // ...while the same client is limited.
    expect(await (await viaProxy('203.0.113.9')).emitWithAck('battle:start', { prompt: 'hi' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('limits prompt length, turns per battle and concurrent battles', async () => {
    let server = await startServer({
      config: { limits: { maxPromptChars: 50, maxTurns: 2, maxConcurrentBattles: 1, battlesBurst: 100, turnsBurst: 100 } },
    });
    const socket = await server.connect();
    const long = await socket.emitWithAck('battle:start', { prompt: 'x'.repeat(51) });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'prompt' } });
    const battleId = await playBattle(socket, 'short');
    const ends = new Promise<void>((resolve) => {
      let n = 0;
      socket.on('battle:end', () => ++n === 2 && resolve());
    });
    expect(await socket.emitWithAck('battle:continue', { battleId, prompt: 'second' })).toEqual({ ok: true });
    await ends;
    const third = await socket.emitWithAck('battle:continue', { battleId, prompt: 'third' });
    expect(third).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'prompt' } });

    await server.stop();
    server = await startServer({
      models: fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 20 })),
      config: { limits: { maxConcurrentBattles: 1, battlesBurst: 100 } },
    });
    const slow = await server.connect();
    expect((await slow.emitWithAck('battle:start', { prompt: 'first' })).ok).toBe(true);
    expect(await slow.emitWithAck('battle:start', { prompt: 'second' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('caps votes per voter per day', async () => {
    const server = await startServer({ config: { limits: { votesPerDay: 1, battlesBurst: 100 } } });
    const socket = await server.connect();
    const one = await playBattle(socket);
    const two = await playBattle(socket);
    expect((await socket.emitWithAck('battle:vote', { battleId: one, winner: 'a' })).ok).toBe(true);
    const capped = await socket.emitWithAck('battle:vote', { battleId: two, winner: 'a' });
    expect(capped).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!capped.ok) expect(capped.error.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(voteRows(server)).toHaveLength(1);
  });

  it('ARENA_LOAD_TEST switches off rate limits, vote caps and the reading rule, and says so', async () => {
    const server = await startServer({
      config: {
        limits: { battlesBurst: 1, battlesPerMinute: 1, battlesPerMinutePerIp: 1, votesPerDay: 1, maxPromptChars: 50 },
        integrity: { minReadingSeconds: 30 },
      },
      loadTest: true,
    });
    const socket = await server.connect();
    for (let i = 0; i < 3; i++) {
      const battleId = await playBattle(socket, `prompt number ${i}`);
      expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'a' })).ok).toBe(true);
    }
    expect(voteRows(server).every((v) => v.counted)).toBe(true);
    // Size limits are not rate limits: they stay on.
    expect(await socket.emitWithAck('battle:start', { prompt: 'x'.repeat(51) })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, loadTest: true });
    expect(String(health.warning)).toMatch(/rate limits.*OFF/);
  });
});

describe('integrity review for admins', () => {
  it('shows each rule with its counts and recomputes the leaderboard with or without it', async () => {
    const server = await startServer({ config: { integrity: { readingSecondsPer1kChars: 0, minReadingSeconds: 0 } } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const member = await signedIn(server, 'member@example.com', 'member');
    const socket = await server.connect();
    for (const prompt of ['Explain tides', 'Explain volcanoes', 'Tell me about Google search']) {
      const battleId = await playBattle(socket, prompt);
      await socket.emitWithAck('battle:vote', { battleId, winner: 'a' });
    }
    expect((await api(server, '/api/admin/integrity', { cookie: member })).status).toBe(403);

    const report = await api<{
      totalVotes: number;
      countedVotes: number;
      rules: Array<{ rule: string; flagged: number }>;
      recentFlagged: Array<{ flags: string[] }>;
    }>(server, '/api/admin/integrity', { cookie: admin });
    expect(report.body).toMatchObject({ totalVotes: 3, countedVotes: 2 });
    expect(report.body.rules).toEqual([
      { rule: 'self_identified', flagged: 1 },
      { rule: 'too_fast', flagged: 0 },
      { rule: 'named', flagged: 0 },
    ]);
    expect(report.body.recentFlagged).toHaveLength(1);

    const without = await api<{ leaderboard: { votesUsed: number; battles: number } }>(server, '/api/admin/integrity/leaderboard', { cookie: admin });
    expect(without.body.leaderboard.votesUsed).toBe(2);
    const withFlagged = await api<{ leaderboard: { votesUsed: number; models: Array<{ model: string; elo: number }> } }>(
      server,
      '/api/admin/integrity/leaderboard?include=self_identified',
      { cookie: admin },
    );
    expect(withFlagged.body.leaderboard.votesUsed).toBe(3);
    expect(withFlagged.body.leaderboard.models.length).toBeGreaterThanOrEqual(2);
    const bad = await api(server, '/api/admin/integrity/leaderboard?include=bogus', { cookie: admin });
    expect(bad.status).toBe(400);
  });
});
