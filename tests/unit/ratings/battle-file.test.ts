import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachLine, formatBattleLines, parseBattles, readBattleFile, writeBattleFile } from '../../../server/interop/battle-file.ts';
import { BattleFileError, type BattleRecord, validateBattle } from '../../../server/interop/battle-record.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'battle-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (fields: Record<string, unknown>) => JSON.stringify({ model_a: 'x', model_b: 'y', winner: 'model_a', ...fields });

describe('validateBattle', () => {
  it.each([
    [{ model_b: 'y', winner: 'tie' }, 'line 3: model_a: is required'],
    [{ model_a: 'x', model_b: '', winner: 'tie' }, 'line 3: model_b: must be a non-empty string'],
    [{ model_a: 'x', model_b: 'y' }, 'line 3: winner: is required'],
    [{ model_a: 'x', model_b: 'y', winner: 'a' }, 'line 3: winner: must be one of model_a, model_b, tie, tie (bothbad)'],
    [{ model_a: 'x', model_b: 'y', winner: 'tie', tstamp: '2024' }, 'line 3: tstamp: must be a number (unix seconds)'],
    [{ model_a: 'x', model_b: 'y', winner: 'tie', anony: 1 }, 'line 3: anony: must be true or false'],
    [{ model_a: 'x', model_b: 'y', winner: 'tie', turn: 1.5 }, 'line 3: turn: must be a positive integer'],
    [{ model_a: 'x', model_b: 'y', winner: 'tie', conversation_a: [{ role: 'user' }] }, 'line 3: conversation_a: [0].content must be a string or an array'],
    [[1, 2], 'line 3: must be a JSON object'],
  ])('names the line and the field: %j', (value, message) => {
    expect(() => validateBattle(value, 'line 3')).toThrow(message);
  });

  it('accepts every documented field and passes unknown ones through', () => {
    const record = {
      model_a: 'x',
      model_b: 'y',
      winner: 'tie (bothbad)',
      tstamp: 1.5,
      anony: true,
      language: 'English',
      turn: 2,
      judge: 'arena_user_1',
      question_id: 'q1',
      evaluation_id: 7,
      conversation_a: [{ role: 'user', content: 'hi' }],
      conversation_b: [{ role: 'user', content: [{ type: 'text' }] }],
      src_index: 4,
    };
    expect(validateBattle(record, 'item 1')).toBe(record);
  });
});

describe('parseBattles', () => {
  const text = [line({ tstamp: 1 }), '', line({ winner: 'nobody' }), '{not json', line({ winner: 'tie' }), ''].join('\n');

  it('stops at the first invalid record with its line number', () => {
    expect(() => parseBattles(text)).toThrow(new BattleFileError('line 3', 'winner', 'must be one of model_a, model_b, tie, tie (bothbad)'));
  });

  it('reports invalid JSON with the line', () => {
    expect(() => parseBattles('{not json\n')).toThrow(/^line 1: invalid JSON/);
  });

  it('skips and counts invalid records on request', () => {
    const result = parseBattles(text, { skipInvalid: true });
    expect(result.records).toBe(2);
    expect(result.skipped).toBe(2);
    expect(result.skippedExamples[0]).toMatch(/^line 3: winner:/);
    expect(result.skippedExamples[1]).toMatch(/^line 4: invalid JSON/);
    expect(result.battles.map((b) => b.winner)).toEqual(['model_a', 'tie']);
  });

  it('reads JSON arrays, naming items', () => {
    const array = JSON.stringify([
      { model_a: 'x', model_b: 'y', winner: 'tie' },
      { model_a: 'x', winner: 'tie' },
    ]);
    expect(() => parseBattles(array)).toThrow('item 2: model_b: is required');
    expect(parseBattles(array, { skipInvalid: true })).toMatchObject({ records: 1, skipped: 1, format: 'json' });
  });

  it('handles a byte-order mark and CRLF line ends', () => {
    const result = parseBattles(`\ufeff${line({})}\r\n${line({ winner: 'model_b' })}\r\n`);
    expect(result.battles.map((b) => b.winner)).toEqual(['model_a', 'model_b']);
  });
});

describe('files', () => {
  it('reads lines across chunk boundaries, including multi-byte characters', async () => {
    // About 6 MiB, so the 4 MiB reader has to carry a partial line (and maybe a split character) over.
    const battles: BattleRecord[] = Array.from({ length: 60_000 }, (_, i) => ({
      model_a: `modèle-${i % 7}-ü€😀`,
      model_b: `other-${i % 5}`,
      winner: i % 3 === 0 ? 'tie' : 'model_a',
      tstamp: i,
      padding: 'x'.repeat(i % 50),
    }));
    const file = path.join(dir, 'big.jsonl');
    await writeFile(file, formatBattleLines(battles));
    const all = await readBattleFile(file);
    expect(all.records).toBe(60_000);
    expect(all.battles).toEqual(battles);
    let lines = 0;
    expect(await forEachLine(file, () => lines++)).toBe(60_000);
  });

  it('handles a byte-order mark, CRLF, blank lines, escapes and conversations in files', async () => {
    const records = [
      { model_a: 'caf\u00e9 "quoted"', model_b: 'y', winner: 'tie', conversation_a: [{ role: 'user', content: 'a\nb' }] },
      { model_a: 'x', model_b: 'y', winner: 'model_a', tstamp: 12.5, language: 'Deutsch', turn: 2, judge: 'j', question_id: 'q' },
      { model_a: 'modèle', model_b: 'y', winner: 'tie (bothbad)', anony: false, evaluation_id: 3 },
    ];
    const file = path.join(dir, 'mixed.jsonl');
    await writeFile(file, `\ufeff${records.map((r) => JSON.stringify(r)).join('\r\n')}\r\n\r\n   \n`);
    const result = await readBattleFile(file);
    expect(result.records).toBe(3);
    expect(result.battles).toEqual(records);
  });

  it('counts a last line without a newline, and numbers lines from 1', async () => {
    const file = path.join(dir, 'tail.jsonl');
    await writeFile(file, `${line({})}\n${line({ winner: 'oops' })}`);
    await expect(readBattleFile(file)).rejects.toThrow(/^line 2: winner:/);
  });

  it('round-trips through the writer, from sync and async sources', async () => {
    const battles: BattleRecord[] = [
      { model_a: 'a', model_b: 'b', winner: 'model_b', anony: true, conversation_a: [{ role: 'user', content: 'q' }] },
      { model_a: 'b', model_b: 'c', winner: 'tie (bothbad)', turn: 2, custom: { kept: true } },
    ];
    const file = path.join(dir, 'out.jsonl');
    expect(await writeBattleFile(file, battles)).toBe(2);
    expect((await readBattleFile(file)).battles).toEqual(battles);
    async function* source() {
      yield* battles;
    }
    expect(await writeBattleFile(file, source())).toBe(2);
    expect((await readBattleFile(file)).battles).toEqual(battles);
  });

  it('detects JSON array files', async () => {
    const file = path.join(dir, 'array.json');
    await writeFile(file, `\n  [${line({})}, ${line({ winner: 'tie' })}]`);
    const result = await readBattleFile(file);
    expect(result.format).toBe('json');
    expect(result.records).toBe(2);
  });
});
