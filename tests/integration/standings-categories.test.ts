/**
 * Categories, decided when a vote is recorded and stored with it: arena votes on known prompts,
 * evaluation votes, imported FastChat battles, and the start-up backfill of votes recorded before
 * categories existed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { importBattleFile } from '../../server/interop/import-battles.ts';
import { CategoryBackfill } from '../../server/standings/backfill.ts';
import { VoteCategoriesRepo } from '../../server/standings/vote-categories-repo.ts';
import { api, connectWith, signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl, nextItem, startAndGenerate, vote } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { castVote, getCategories, getStandings, storedCategories } from '../support/standings.ts';
import { useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);

const KOREAN = '오늘 저녁 메뉴 추천해줘';
const CODE = 'Write a python function that reverses a list';
const MULTI = ['What is the capital of France?', 'And the capital of Korea?'];

describe('categories of arena votes', () => {
  it('files a Korean prompt, a code prompt and a multi-turn battle under their categories, stored with the vote and counted per category', async () => {
    const server = await startServer();
    const socket = await server.connect();
    const korean = await castVote(socket, KOREAN, 'a');
    const code = await castVote(socket, CODE, 'b');
    const multi = await castVote(socket, MULTI, 'tie');

    const stored = storedCategories(server);
    expect(stored[korean.battleId]).toEqual(['lang:ko']);
    expect(stored[code.battleId]).toEqual(['lang:en', 'coding']);
    expect(stored[multi.battleId]).toEqual(['lang:en', 'multi_turn']);
    // The index beside the column holds the same, one row per category.
    const indexed = server.app.db.$client.prepare('SELECT count(*) AS n FROM vote_categories WHERE source = 0').get() as { n: number };
    expect(indexed.n).toBe(5);

    const counts = await getCategories(server);
    expect(counts).toMatchObject({ all: 3, 'lang:ko': 1, 'lang:en': 2, coding: 1, multi_turn: 1, math: 0, long: 0, evaluation: 0 });
    const ko = await getStandings(server, { category: 'lang:ko', minVotes: 0 });
    expect(ko.votes).toBe(1);
    expect(ko.models.map((m) => m.id).sort()).toEqual([korean.modelA, korean.modelB].sort());
  });

  it('files a long prompt under long, by the configured token count', async () => {
    const server = await startServer({ config: { standings: { longPromptTokens: 20 } } });
    const socket = await server.connect();
    const long = await castVote(
      socket,
      'Tell me about the history of the printing press and what it changed in Europe, in detail, with dates, people and places.',
      'a',
    );
    const short = await castVote(socket, 'Tell me a joke', 'b');
    const stored = storedCategories(server);
    expect(stored[long.battleId]).toContain('long');
    expect(stored[short.battleId]).not.toContain('long');
  });
});

describe('categories of evaluation votes', () => {
  it('files them under evaluation and their prompt file category; the public standings see only evaluations that count in public', async () => {
    const server = await startServer({ config: { evaluations: { retryDelayMs: 5, bootstrapRounds: 10 } } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const models = ['model-alpha', 'model-bravo'];
    const prompts = { format: 'jsonl' as const, content: jsonl([{ prompt: '파이썬으로 피보나치 수열을 구현해줘', category: '코딩' }]) };
    const shown = await createEvaluation(server, admin, { models, prompts, votesPerItem: 1, countInPublicLeaderboard: true });
    const internal = await createEvaluation(server, admin, { models, prompts, votesPerItem: 1, countInPublicLeaderboard: false });
    await startAndGenerate(server, admin, shown.id);
    await startAndGenerate(server, admin, internal.id);
    const member = await connectWith(server, { cookie: await signedIn(server, 'member@example.com', 'member') });
    for (const id of [shown.id, internal.id]) await vote(member, (await nextItem(member, id))!, 'a');

    const rows = server.app.db.$client.prepare('SELECT evaluation_id AS evaluationId, categories FROM eval_votes').all() as Array<{
      evaluationId: string;
      categories: string;
    }>;
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(JSON.parse(row.categories)).toEqual(['lang:ko', 'coding', 'evaluation', 'tag:코딩']);

    const counts = await getCategories(server);
    expect(counts).toMatchObject({ all: 1, 'lang:ko': 1, evaluation: 1, 'tag:코딩': 1 });
    // The backfill (here one vote per batch) decides an older evaluation vote the same way, from its prompt set and answers.
    const sqlite = server.app.db.$client;
    sqlite.exec('UPDATE eval_votes SET categories = NULL; DELETE FROM vote_categories WHERE source = 1;');
    expect(await new CategoryBackfill(new VoteCategoriesRepo(sqlite), server.app.standings.categorize, { batch: 1 }).run()).toBe(2);
    expect(sqlite.prepare('SELECT categories FROM eval_votes').all()).toEqual(rows.map((r) => ({ categories: r.categories })));
    expect((await getStandings(server, { category: 'tag:코딩', minVotes: 0 })).votes).toBe(1);
    expect((await getStandings(server, { category: 'evaluation', votes: 'all', minVotes: 0 })).votes).toBe(1);
  });
});

describe('categories of imported battles', () => {
  it("takes FastChat's language, is_code and category_tag where present, and decides the rest from the conversation", async () => {
    const dir = cleanup.tempDir('arena-import-categories-');
    const file = path.join(dir, 'battles.jsonl');
    const conversation = (prompt: string, answer: string) => [
      { role: 'user', content: prompt },
      { role: 'assistant', content: answer },
    ];
    writeFileSync(
      file,
      jsonl([
        {
          model_a: 'a',
          model_b: 'b',
          winner: 'model_a',
          tstamp: 1,
          language: 'Korean',
          is_code: true,
          category_tag: { 'math_v0.1': { math: true }, 'criteria_v0.1': { specificity: true, complexity: false }, 'if_v0.1': { if: false, score: 3 } },
          conversation_a: conversation('Hello there', 'Hi!'),
          conversation_b: conversation('Hello there', 'Hello!'),
        },
        {
          model_a: 'a',
          model_b: 'b',
          winner: 'tie',
          tstamp: 2,
          conversation_a: conversation('이 문장을 번역해줘', '네'),
          conversation_b: conversation('이 문장을 번역해줘', '좋아요'),
        },
        { model_a: 'b', model_b: 'a', winner: 'model_b', tstamp: 3, language: 'unknown', turn: 2 },
        // An arena export says its votes' categories: they are kept; a list that is not all category ids is not.
        { model_a: 'a', model_b: 'b', winner: 'tie', tstamp: 4, language: 'English', categories: ['lang:ja', 'tag:요리', 'lang:ja'] },
        { model_a: 'a', model_b: 'b', winner: 'tie', tstamp: 5, language: 'English', categories: ['cooking'] },
      ]),
    );
    const db = openDb(path.join(dir, 'arena.db'));
    try {
      await importBattleFile(db.$client, file, { skipInvalid: false, eloK: 4 });
      const rows = db.$client.prepare('SELECT categories FROM votes ORDER BY created_at').all() as Array<{ categories: string }>;
      expect(rows.map((r) => JSON.parse(r.categories))).toEqual([
        ['lang:ko', 'coding', 'tag:criteria.specificity', 'tag:math'],
        ['lang:ko'],
        ['lang:other', 'multi_turn'],
        ['lang:ja', 'tag:요리'],
        ['lang:en'],
      ]);
      const indexed = db.$client.prepare("SELECT count(*) AS n FROM vote_categories WHERE category = 'lang:ko'").get() as { n: number };
      expect(indexed.n).toBe(2);
    } finally {
      db.$client.close();
    }
  });
});

describe('the categories backfill', () => {
  it('files votes recorded before categories existed at start-up, in batches, and again changes nothing', async () => {
    const dir = cleanup.tempDir('arena-backfill-');
    const first = await startServer({ dir });
    const socket = await first.connect();
    const cast = [await castVote(socket, KOREAN, 'a'), await castVote(socket, CODE, 'b'), await castVote(socket, MULTI, 'a')];
    const before = storedCategories(first);
    const countsBefore = await getCategories(first);
    await first.close();

    // The database as it was before this feature: no categories anywhere.
    const old = openDb(path.join(dir, 'arena.db'));
    old.$client.exec('UPDATE votes SET categories = NULL; DELETE FROM vote_categories;');
    old.$client.close();

    const second = await startServer({ dir });
    expect(await second.app.standings.backfilled).toBe(3);
    expect(storedCategories(second)).toEqual(before);
    expect(await getCategories(second)).toEqual(countsBefore);
    expect((await getStandings(second, { category: 'coding', minVotes: 0 })).votes).toBe(1);
    expect(Object.keys(before).sort()).toEqual(cast.map((c) => c.battleId).sort());
    await second.close();

    const third = await startServer({ dir });
    expect(await third.app.standings.backfilled).toBe(0);
    expect(storedCategories(third)).toEqual(before);
  });

  it('refuses unknown categories and bad views with the field named', async () => {
    const server = await startServer();
    for (const [q, field] of [
      ['category=cooking', 'category'],
      ['method=glicko', 'method'],
      ['votes=some', 'votes'],
      ['from=2026-13-01', 'from'],
      ['from=2026-02-02&to=2026-02-01', 'to'],
      ['minVotes=-1', 'minVotes'],
    ]) {
      const res = await api<{ error: { field: string } }>(server, `/api/standings?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error, q).toMatchObject({ code: 'invalid_input', field });
    }
    expect((await api(server, '/api/standings/history?category=nope')).status).toBe(400);
  });
});
