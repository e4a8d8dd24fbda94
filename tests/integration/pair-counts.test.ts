/**
 * The maintained counts (pair_counts, prompt_counts, kept by triggers) against a recount from the
 * votes, after every kind of write a running arena sees: votes over sockets, planted votes with
 * repeated prompts, evaluation votes and an evaluation switched in and out of the public
 * standings, an import, re-flags, deleted votes and re-indexed categories. And the live fit read
 * from the counts is the fit read vote by vote.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReadOnly, type Sqlite } from '../../db/client.ts';
import { runCli } from '../../server/cli/main.ts';
import { importBattleFile } from '../../server/interop/import-battles.ts';
import { type BtFit, fitBt } from '../../server/standings/bt-fit.ts';
import type { IntervalChoice } from '../../server/standings/fit-methods.ts';
import { LiveCounts } from '../../server/standings/live-counts.ts';
import { countDifferences, PairCountsRepo } from '../../server/standings/pair-counts-repo.ts';
import { readBtInput, readBtSnapshot } from '../../server/standings/ratings-repo.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate, vote } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { plantVotes, seeded, simulateVotes } from '../support/plant-votes.ts';
import { playBattle, useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const TOP_SHARE = 0.2;

function expectCountsAgree(sqlite: Sqlite): void {
  const repo = new PairCountsRepo(sqlite);
  expect(countDifferences(repo.maintained(), repo.recount())).toEqual([]);
  expect(repo.maintainedPrompts()).toEqual(repo.recountPrompts());
}

/**
 * The counts the standings worker keeps between refreshes (on its own read-only connection) give
 * the fit the same input as reading them all again, to the last bit, whether they added the new
 * votes or had to read everything after a rewrite.
 */
function expectLiveCountsAgree(live: LiveCounts, reader: Sqlite, sync: 'added' | 'read'): void {
  const options = { intervals: { method: 'bootstrap', clustered: false, priorSd: null } satisfies IntervalChoice, dedupTopShare: TOP_SHARE };
  const kept = readBtInput(reader, options, live);
  expect(live.lastSync).toBe(sync);
  expect(kept).toEqual(readBtInput(reader, options));
}

/** The live fit from maintained counts and from every vote, with the same options. */
function bothFits(sqlite: Sqlite, intervals: IntervalChoice): { counts: BtFit; votes: BtFit; source: string } {
  const options = { bootstrap: 50, seed: 7, intervals, dedupTopShare: TOP_SHARE };
  const input = readBtInput(sqlite, options);
  return { counts: fitBt(input, options), votes: fitBt(readBtSnapshot(sqlite, { prompts: true, voters: true }), options), source: input.source };
}

function expectSameFit(a: BtFit, b: BtFit): void {
  expect(a.votes).toBe(b.votes);
  expect(a.promptDedup).toEqual(b.promptDedup);
  expect(a.models.map((m) => m.id)).toEqual(b.models.map((m) => m.id));
  a.models.forEach((m, i) => {
    const other = b.models[i]!;
    expect(m.rating).toBeCloseTo(other.rating, 1);
    expect(m.ci?.lower ?? null).toBeCloseTo(other.ci?.lower ?? 0, 1);
    expect(m.ci?.upper ?? null).toBeCloseTo(other.ci?.upper ?? 0, 1);
    expect([m.battles, m.wins, m.losses, m.ties]).toEqual([other.battles, other.wins, other.losses, other.ties]);
  });
}

describe('maintained vote counts', () => {
  it('equal a recount from the votes after socket votes, planted votes, evaluations, an import, re-flags and deletions', async () => {
    const server = await startServer({
      config: { evaluations: { retryDelayMs: 5, bootstrapRounds: 10 }, standings: { promptDedup: { topShare: TOP_SHARE } } },
    });
    const sqlite = server.app.db.$client;
    expectCountsAgree(sqlite);
    const reader = cleanup.add(openReadOnly(server.dbFile));
    const live = new LiveCounts(reader);
    expectLiveCountsAgree(live, reader, 'read');

    // Votes over real sockets, with their categories (Korean and English prompts, code).
    const socket = await server.connect();
    for (const [prompt, winner] of [
      ['파이썬으로 퀵정렬을 구현해줘', 'a'],
      ['Explain how binary search works', 'b'],
      ['Explain how binary search works', 'tie'],
      ['서울의 인구는 얼마나 되나요?', 'bothbad'],
    ] as const) {
      const battleId = await playBattle(socket, prompt);
      const ack = await socket.emitWithAck('battle:vote', { battleId, winner });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'added');
    expect(new PairCountsRepo(sqlite).tallies('lang:ko').reduce((s, t) => s + t.firstWins + t.secondWins + t.ties, 0)).toBe(2);

    // Many planted votes, some on a few prompts asked far more often than the rest (deduplicated).
    const random = seeded(11);
    const strengths = { 'model-alpha': 0.6, 'model-bravo': 0.1, 'model-charlie': -0.2 };
    const planted = simulateVotes(strengths, 600, random).map((v, k) => ({ ...v, prompt: k % 5 === 0 ? `hello ${k % 3}` : `question ${k}` }));
    plantVotes(sqlite, planted);
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'added');
    // More votes on the frequent prompts, which the live counts now keep per pair.
    plantVotes(
      sqlite,
      simulateVotes(strengths, 90, random).map((v, k) => ({ ...v, prompt: `hello ${k % 3}` })),
    );
    expectLiveCountsAgree(live, reader, 'added');
    const bootstrap = bothFits(sqlite, { method: 'bootstrap', clustered: false, priorSd: null });
    expect(bootstrap.source).toBe('counts');
    expect(bootstrap.counts.promptDedup?.prompts).toBeGreaterThan(0);
    expectSameFit(bootstrap.counts, bootstrap.votes);

    // Evaluation votes: one evaluation public, one not; then they swap.
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const models = ['model-alpha', 'model-bravo'];
    const prompts = { format: 'jsonl' as const, content: jsonl([{ prompt: '한국어로 시를 써줘', category: '창작' }, { prompt: 'Write a haiku' }]) };
    const shown = await createEvaluation(server, admin, { models, prompts, votesPerItem: 1, countInPublicLeaderboard: true });
    const internal = await createEvaluation(server, admin, { models, prompts, votesPerItem: 1, countInPublicLeaderboard: false });
    await startAndGenerate(server, admin, shown.id);
    await startAndGenerate(server, admin, internal.id);
    const member = await connectWith(server, { cookie: await signedIn(server, 'member@example.com', 'member') });
    for (const id of [shown.id, internal.id]) {
      for (const winner of ['a', 'tie'] as const) await vote(member, (await nextItem(member, id))!, winner);
    }
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'added');
    // The app lets this change only on a draft; the counts follow any write, e.g. an operator's SQL.
    sqlite.exec('UPDATE evaluations SET count_in_public = 1 - count_in_public');
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'read');

    // An import into the running arena's database.
    const file = path.join(cleanup.tempDir('arena-pair-counts-'), 'battles.jsonl');
    writeFileSync(
      file,
      jsonl(
        simulateVotes(strengths, 300, random).map((v, k) => ({
          model_a: v.a,
          model_b: v.b,
          winner: { a: 'model_a', b: 'model_b', tie: 'tie', bothbad: 'tie (bothbad)' }[v.winner],
          tstamp: 1_700_100_000 + k,
          language: k % 2 ? 'Korean' : 'English',
          ...(k % 7 === 0 && { anony: false }),
        })),
      ),
    );
    const summary = await importBattleFile(sqlite, file, { skipInvalid: false, eloK: 4 });
    expect(summary.imported).toBe(300);
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'added');

    // Re-flags both ways, a changed prompt hash, deleted votes, categories dropped and indexed again.
    sqlite.exec(`UPDATE votes SET counted = 0 WHERE id % 9 = 0`);
    sqlite.exec(`UPDATE votes SET counted = 1 WHERE id % 27 = 0`);
    sqlite.exec(`UPDATE votes SET prompt_hash = 'same-prompt' WHERE id % 13 = 0`);
    sqlite.exec(`DELETE FROM vote_categories WHERE source = 0 AND vote_id % 4 = 0`);
    sqlite.exec(`INSERT INTO vote_categories (category, source, vote_id) SELECT 'coding', 0, id FROM votes WHERE id % 8 = 0`);
    sqlite.exec(`DELETE FROM vote_categories WHERE source = 0 AND vote_id IN (SELECT id FROM votes WHERE id % 11 = 0)`);
    sqlite.exec(`DELETE FROM votes WHERE id % 11 = 0`);
    sqlite.exec(`DELETE FROM vote_categories WHERE source = 1`);
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'read');
    // Each kind of rewrite alone sends the live counts back to a full read.
    for (const rewrite of [
      'UPDATE votes SET counted = 1 - counted WHERE id = (SELECT max(id) FROM votes WHERE counted = 1)',
      "UPDATE votes SET winner = 'b' WHERE id = (SELECT min(id) FROM votes WHERE counted = 1 AND winner = 'a')",
      "UPDATE votes SET prompt_hash = 'moved' WHERE id = (SELECT min(id) FROM votes WHERE counted = 1)",
      `DELETE FROM vote_categories WHERE source = 0 AND vote_id = (SELECT min(id) FROM votes WHERE counted = 1);
       DELETE FROM votes WHERE id = (SELECT min(id) FROM votes WHERE counted = 1)`,
      "UPDATE eval_votes SET winner = 'b' WHERE id = (SELECT min(id) FROM eval_votes)",
      `DELETE FROM vote_categories WHERE source = 1 AND vote_id = (SELECT min(id) FROM eval_votes);
       DELETE FROM eval_votes WHERE id = (SELECT min(id) FROM eval_votes)`,
      // No path of the app deletes an evaluation; an operator's SQL may (its rows left behind count nowhere).
      `PRAGMA foreign_keys = OFF; DELETE FROM evaluations WHERE id = '${internal.id}'; PRAGMA foreign_keys = ON`,
    ]) {
      expectLiveCountsAgree(live, reader, 'added');
      sqlite.exec(rewrite);
      expectCountsAgree(sqlite);
      expectLiveCountsAgree(live, reader, 'read');
    }
    // Re-flagging a vote that does not count (nor will) changes no count.
    sqlite.exec(`UPDATE votes SET winner = 'tie' WHERE id = (SELECT min(id) FROM votes WHERE counted = 0)`);
    expectLiveCountsAgree(live, reader, 'added');

    for (const intervals of [
      { method: 'bootstrap', clustered: false, priorSd: null },
      { method: 'fisher', clustered: false, priorSd: 400 },
      { method: 'sandwich', clustered: true, priorSd: 400 },
    ] satisfies IntervalChoice[]) {
      const fits = bothFits(sqlite, intervals);
      // Clustered or weighted model-based intervals need one row per vote: read from the votes.
      expect(fits.source).toBe(intervals.method === 'bootstrap' ? 'counts' : 'votes');
      expectSameFit(fits.counts, fits.votes);
    }

    // The live standings are the fit from the counts.
    const standings = await api<{ votes: number }>(server, '/api/leaderboard?method=bt');
    expect(standings.body.votes).toBe(bothFits(sqlite, { method: 'bootstrap', clustered: false, priorSd: null }).votes.votes);

    // `arena recount` finds a cell that drifted, and --fix rebuilds the counts.
    const recount = async (...argv: string[]) => {
      let stdout = '';
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stdout += t) } };
      return { code: await runCli(['recount', '--db', server.dbFile, ...argv], io), stdout };
    };
    expect(await recount()).toEqual({ code: 0, stdout: 'The maintained counts equal a recount from the votes.\n' });
    sqlite.exec(
      "UPDATE pair_counts SET n = n + 2 WHERE (category, model_a, model_b, winner) = (SELECT category, model_a, model_b, winner FROM pair_counts WHERE category = 'all' AND n > 0 LIMIT 1)",
    );
    const drifted = await recount();
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/^1 cell\(s\) and 0 prompt count\(s\) differ from a recount:\n {2}all \/ .+: maintained \d+, recounted \d+\n$/);
    expect((await recount('--fix')).code).toBe(0);
    expectCountsAgree(sqlite);
    expectLiveCountsAgree(live, reader, 'read');

    // A rebuild from the votes changes nothing.
    const repo = new PairCountsRepo(sqlite);
    const before = repo.maintained();
    repo.rebuild();
    expect(countDifferences(repo.maintained(), before)).toEqual([]);
  });
});
