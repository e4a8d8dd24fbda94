/**
 * The import's reader thread (server/interop/import-worker.ts through import-reader.ts) hands the
 * writer exactly what deriving the file on the writer's own thread gives: the same battles in the
 * same order across many batches, the same counts of skipped records, and the same errors.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanBattleFile } from '../../server/interop/battle-file.ts';
import { BattleFileError } from '../../server/interop/battle-record.ts';
import { BATCH_ROWS } from '../../server/interop/import-batch.ts';
import { BattleDeriver, type DerivedBattle } from '../../server/interop/import-derive.ts';
import { readDerivedBattles } from '../../server/interop/import-reader.ts';
import { useTempDir } from '../support/hooks.ts';

const dir = useTempDir('import-reader-');
const IMPORTED_AT = 1_790_000_000_000;

/** Lines of every kind: plain, conversations (Korean included), hints, exported rows with ids and categories, named, repeats, self-battles, invalid ones. */
function lines(count: number): string[] {
  const models = ['gpt-4-0613', 'GPT 3.5 Turbo', '한국어 모델', 'claude-2'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = models[i % 4]!;
    const b = models[(i * 7 + 1) % 4]!;
    const r: Record<string, unknown> = { model_a: a, model_b: b, winner: ['model_a', 'model_b', 'tie', 'tie (bothbad)'][i % 4], judge: `judge_${i % 97}` };
    if (i % 5 !== 0) r.tstamp = 1_700_000_000 + i / 8;
    if (i % 11 === 0) r.anony = false;
    if (i % 13 === 0) {
      r.conversation_a = [
        { role: 'user', content: `서울의 날씨는 어때요? ${i % 3}` },
        { role: 'assistant', content: `맑아요 ${i}` },
      ];
      r.conversation_b = [
        { role: 'user', content: `서울의 날씨는 어때요? ${i % 3}` },
        { role: 'assistant', content: [{ type: 'text', text: 'def f(x):\n  return x' }] },
      ];
    }
    if (i % 17 === 0) r.language = ['Korean', 'English', 'zh-CN'][i % 3];
    if (i % 19 === 0) Object.assign(r, { question_id: `battle-${i}`, categories: ['lang:ko', 'coding'] });
    if (i % 23 === 0) r.is_code = true;
    out.push(JSON.stringify(r));
    if (i % 29 === 0) out.push(JSON.stringify(r)); // a repeat: the next id of the same content
    if (i % 31 === 0) out.push(JSON.stringify({ ...r, model_b: a })); // a self-battle
    if (i % 37 === 0) out.push('{"model_a": "x", "winner": "model_a"'); // invalid JSON
    if (i % 41 === 0) out.push(JSON.stringify({ ...r, model_a: 'm'.repeat(121) })); // a name too long
  }
  return out;
}

async function fileOf(name: string, content: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `${content.join('\n')}\n`);
  return file;
}

/** What the writer's thread would derive itself. */
async function deriveHere(file: string, skipInvalid: boolean) {
  const deriver = new BattleDeriver({ longPromptTokens: 300, skipInvalid, importedAt: IMPORTED_AT });
  const battles: DerivedBattle[] = [];
  const read = await scanBattleFile(
    file,
    (record) => {
      const battle = deriver.derive(record);
      if (battle) battles.push(battle);
    },
    { skipInvalid },
  );
  return { battles, read, derived: deriver.summary };
}

async function deriveOnReader(file: string, skipInvalid: boolean, onBattle: (b: DerivedBattle) => void = () => {}) {
  const battles: DerivedBattle[] = [];
  const result = await readDerivedBattles({ file, skipInvalid, longPromptTokens: 300, importedAt: IMPORTED_AT }, (b) => {
    onBattle(b);
    battles.push(b);
  });
  return { battles, ...result };
}

describe("the import's reader thread", () => {
  it('hands on the battles, in order, across batches, exactly as deriving them here', async () => {
    const file = await fileOf('mixed.jsonl', lines(3 * BATCH_ROWS + 123));
    const here = await deriveHere(file, true);
    const reader = await deriveOnReader(file, true);
    expect(here.battles.length).toBeGreaterThan(3 * BATCH_ROWS);
    expect(reader.battles).toEqual(here.battles);
    expect(reader.read).toEqual(here.read);
    expect(reader.derived).toEqual(here.derived);
    // The file had every kind of record.
    expect(reader.read.skipped).toBeGreaterThan(0);
    expect(reader.derived).toMatchObject({ selfBattles: expect.any(Number), skippedInvalid: expect.any(Number) });
    expect(reader.derived.selfBattles).toBeGreaterThan(0);
    expect(reader.derived.skippedInvalid).toBeGreaterThan(0);
    expect(new Set(reader.battles.map((b) => b.id)).size).toBe(reader.battles.length);
    expect(reader.battles.filter((b) => b.conversation.length > 0).length).toBeGreaterThan(0);
    expect(reader.battles.filter((b) => b.questionId !== null && b.categories.includes('coding')).length).toBeGreaterThan(0);
    expect(reader.battles.filter((b) => b.named).length).toBeGreaterThan(0);
  });

  it('stops at the first invalid record with the error reading it here gives', async () => {
    const file = await fileOf('bad.jsonl', lines(BATCH_ROWS + 10));
    const here = await deriveHere(file, false).catch((error: unknown) => error);
    expect(here).toBeInstanceOf(BattleFileError);
    const reader = await deriveOnReader(file, false).catch((error: unknown) => error);
    expect(reader).toBeInstanceOf(BattleFileError);
    expect((reader as BattleFileError).message).toBe((here as BattleFileError).message);
    expect((reader as BattleFileError).message).toMatch(/^line 4: invalid JSON/);

    const tooLong = await fileOf('long-name.jsonl', [
      JSON.stringify({ model_a: 'a', model_b: 'b', winner: 'tie' }),
      JSON.stringify({ model_a: 'm'.repeat(121), model_b: 'b', winner: 'tie' }),
    ]);
    const error = await deriveOnReader(tooLong, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BattleFileError);
    expect((error as BattleFileError).message).toBe('record 2: model_a: must be at most 120 characters');
  });

  it("passes on a file system error with its code, and a writer's error as it was thrown", async () => {
    const missing = await deriveOnReader(path.join(dir, 'nope.jsonl'), false).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'ENOENT', syscall: 'open' });

    const file = await fileOf('many.jsonl', lines(2 * BATCH_ROWS));
    const stop = new Error('the writer failed');
    let calls = 0;
    const failed = await deriveOnReader(file, true, () => {
      if (++calls === BATCH_ROWS + 5) throw stop;
    }).catch((e: unknown) => e);
    expect(failed).toBe(stop);
    expect(calls).toBe(BATCH_ROWS + 5);
  });
});
