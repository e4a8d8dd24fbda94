/**
 * `arena import battles` row by row: a small file into a real SQLite file, every stored row checked
 * against what the file says (battle ids as the import has always derived them, so files imported
 * by earlier versions stay recognised), then re-imports that add nothing or only what is new.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/main.ts';
import { computeOnlineElo } from '../../server/ratings/elo.ts';
import { useTempDir } from '../support/hooks.ts';
import { query } from '../support/read-db.ts';

type Io = Parameters<typeof runCli>[1];
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** The battle id of the n-th (from 0) record with this content: sha256 of its sorted-key JSON. */
function expectedId(record: Record<string, unknown>, seen: number): string {
  const canonical = `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`)
    .join(',')}}`;
  return `imp-${createHash('sha256').update(`${canonical}\n${seen}`).digest('base64url').slice(0, 24)}`;
}
const voterOf = (judge: string) => `import:${createHash('sha256').update(judge).digest('hex').slice(0, 16)}`;

const dir = useTempDir('import-rows-');
const DB_WINNER: Record<string, string> = { model_a: 'a', model_b: 'b', tie: 'tie', 'tie (bothbad)': 'bothbad' };

const RECORDS: Array<Record<string, unknown>> = [
  { model_a: 'alpha', model_b: 'beta', winner: 'model_a', judge: 'u1', turn: 1, anony: true, language: 'English', tstamp: 1_700_000_001 },
  { model_a: 'beta', model_b: 'gamma', winner: 'tie', judge: 'u2', turn: 1, anony: true, language: 'Korean', tstamp: 1_700_000_002 },
  // The same content twice: two battles, told apart by how many came before.
  { model_a: 'gamma', model_b: 'alpha', winner: 'model_b', judge: 'u1', turn: 2, anony: true, language: 'English', tstamp: 1_700_000_003 },
  { model_a: 'gamma', model_b: 'alpha', winner: 'model_b', judge: 'u1', turn: 2, anony: true, language: 'English', tstamp: 1_700_000_003 },
  // Keys in another order: the same canonical JSON as the first record would have, different values here.
  { tstamp: 1_700_000_004, winner: 'tie (bothbad)', model_b: 'beta', model_a: 'alpha', anony: false, language: 'English', judge: 'u3' },
  { model_a: 'beta', model_b: 'alpha', winner: 'model_a', anony: true, is_code: true, category_tag: { 'math_v0.1': { math: true } }, tstamp: 1_700_000_005 },
  { model_a: 'alpha', model_b: 'alpha', winner: 'tie', tstamp: 1_700_000_006 },
];
const jsonl = (records: Array<Record<string, unknown>>) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('arena import battles: the stored rows', () => {
  it('stores each battle, vote, category and model as the file says; a re-import adds nothing; appended lines add only themselves', async () => {
    const file = path.join(dir, 'small.jsonl');
    await writeFile(file, jsonl(RECORDS));
    const db = path.join(dir, 'small.db');
    const first = await run(['import', 'battles', file, '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Imported 6 of 7 battles .*\(1 named, kept but not counted\)/);
    expect(first.stdout).toMatch(/skipped self-battles: 1/);
    expect(first.stdout).toMatch(/new models: 3 /);

    const imported = RECORDS.filter((r) => r.model_a !== r.model_b);
    const ids = imported.map((r, i) => expectedId(r, imported.slice(0, i).filter((o) => JSON.stringify(o) === JSON.stringify(r)).length));
    expect(new Set(ids).size).toBe(6);
    const battles = query<Record<string, unknown>>(
      db,
      'SELECT id, mode, model_a, model_b, status, voter_id, turns, created_at, updated_at FROM battles ORDER BY rowid',
    );
    expect(battles).toEqual(
      imported.map((r, i) => ({
        id: ids[i],
        mode: 'arena',
        model_a: r.model_a,
        model_b: r.model_b,
        status: 'voted',
        voter_id: typeof r.judge === 'string' ? voterOf(r.judge) : 'import:unknown',
        turns: r.turn ?? 0,
        created_at: (r.tstamp as number) * 1000,
        updated_at: (r.tstamp as number) * 1000,
      })),
    );
    const votes = query<Record<string, unknown>>(
      db,
      'SELECT id, battle_id, voter_id, winner, model_a, model_b, flags, counted, categories, prompt_hash, created_at FROM votes ORDER BY id',
    );
    expect(votes.map((v) => v.battle_id)).toEqual(ids);
    expect(votes.map((v) => v.winner)).toEqual(imported.map((r) => DB_WINNER[r.winner as string]));
    expect(votes.map((v) => [v.flags, v.counted])).toEqual(imported.map((r) => (r.anony === false ? ['["named"]', 0] : ['[]', 1])));
    expect(votes.map((v) => JSON.parse(v.categories as string))).toEqual([
      ['lang:en'],
      ['lang:ko'],
      ['lang:en', 'multi_turn'],
      ['lang:en', 'multi_turn'],
      ['lang:en'],
      expect.arrayContaining(['coding', 'tag:math']),
    ]);
    expect(votes.every((v) => v.prompt_hash === '' && v.voter_id === battles[votes.indexOf(v)]!.voter_id)).toBe(true);
    // The category index holds each vote under each of its categories.
    const indexed = query<{ category: string; vote_id: number }>(
      db,
      'SELECT category, vote_id FROM vote_categories WHERE source = 0 ORDER BY vote_id, category',
    );
    expect(indexed).toEqual(votes.flatMap((v) => (JSON.parse(v.categories as string) as string[]).sort().map((category) => ({ category, vote_id: v.id }))));
    expect(query(db, 'SELECT count(*) AS n FROM turns UNION ALL SELECT count(*) FROM answers')).toEqual([{ n: 0 }, { n: 0 }]);

    const models = query<{ id: string; enabled: number }>(db, 'SELECT id, enabled FROM models ORDER BY id');
    expect(models).toEqual(['alpha', 'beta', 'gamma'].map((id) => ({ id, enabled: 0 })));
    // The online Elo of the counted votes in file (= time) order.
    const counted = imported.filter((r) => r.anony !== false) as Array<{ model_a: string; model_b: string; winner: 'model_a' }>;
    const elo = computeOnlineElo(counted, { k: 4 });
    const ratings = query<{ model_id: string; rating: number; games: number }>(db, 'SELECT model_id, rating, games FROM ratings ORDER BY model_id');
    expect(ratings.map((r) => r.model_id)).toEqual(['alpha', 'beta', 'gamma']);
    for (const r of ratings) {
      expect(r.rating).toBeCloseTo(elo.get(r.model_id)!, 9);
      expect(r.games).toBe(counted.filter((c) => c.model_a === r.model_id || c.model_b === r.model_id).length);
    }

    const snapshot = () =>
      query(db, 'SELECT * FROM votes ORDER BY id').concat(query(db, 'SELECT model_id, rating, games, wins, losses, ties FROM ratings ORDER BY model_id'));
    const before = snapshot();
    const again = await run(['import', 'battles', file, '--db', db]);
    expect(again.stdout).toMatch(/Imported 0 of 7 battles/);
    expect(again.stdout).toMatch(/already present: 6/);
    expect(again.stdout).toMatch(/Nothing new: ratings unchanged/);
    expect(snapshot()).toEqual(before);

    // The same file with two more lines (one a third copy of a duplicated record): only those are new.
    const extra = [RECORDS[2]!, { model_a: 'delta', model_b: 'beta', winner: 'model_b', judge: 'u2', tstamp: 1_700_000_007 }];
    await writeFile(file, jsonl([...RECORDS, ...extra]));
    const grown = await run(['import', 'battles', file, '--db', db]);
    expect(grown.stdout).toMatch(/Imported 2 of 9 battles/);
    expect(grown.stdout).toMatch(/already present: 6/);
    expect(grown.stdout).toMatch(/new models: 1 /);
    const newIds = query<{ battle_id: string }>(db, 'SELECT battle_id FROM votes WHERE id > 6 ORDER BY id').map((v) => v.battle_id);
    expect(newIds).toEqual([expectedId(RECORDS[2]!, 2), expectedId(extra[1]!, 0)]);
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM ratings')[0]!.n).toBe(4);
  });
});
