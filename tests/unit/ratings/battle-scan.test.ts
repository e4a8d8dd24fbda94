import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadSummary, scanBattleFile } from '../../../server/interop/battle-file.ts';
import { learnLayout } from '../../../server/interop/battle-layout.ts';
import { type RatingField, scanBattlesForRatings } from '../../../server/interop/battle-scan.ts';
import type { FilterableBattle } from '../../../server/ratings/filters.ts';

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'battle-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileOf(text: string | Buffer): Promise<string> {
  const file = path.join(dir, `f${files++}.jsonl`);
  await writeFile(file, text);
  return file;
}

const FIELDS = ['model_a', 'model_b', 'winner', 'anony', 'language', 'turn', 'tstamp', 'evaluation_id'] as const;

/** What the ratings see of a battle (the fields they read), copied out of the reused object. */
function project(battle: FilterableBattle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) if (battle[field] !== undefined) out[field] = battle[field];
  return out;
}

type Outcome = { battles: Record<string, unknown>[]; summary: ReadSummary } | { error: string };

async function readWith(reader: 'full' | 'fast', file: string, skipInvalid = false, fields?: RatingField[]): Promise<Outcome> {
  const battles: Record<string, unknown>[] = [];
  const collect = (battle: FilterableBattle) => battles.push(project(battle));
  try {
    const summary =
      reader === 'full'
        ? await scanBattleFile(file, collect, { skipInvalid })
        : await scanBattlesForRatings(file, collect, { skipInvalid, ...(fields && { fields }) });
    return { battles, summary };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Both readers, strict and skipping: the same records, summaries and errors. */
async function expectSameReading(text: string | Buffer): Promise<Outcome> {
  const file = await fileOf(text);
  for (const skipInvalid of [false, true]) {
    const full = await readWith('full', file, skipInvalid);
    expect(await readWith('fast', file, skipInvalid)).toEqual(full);
  }
  return readWith('full', file);
}

const py = (fields: Record<string, unknown>) =>
  `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
const base = { model_a: 'gpt-4', model_b: 'claude-3', winner: 'model_a', judge: 'user_1', turn: 1, anony: true, language: 'English', tstamp: 1700000000.1302 };
const regular = (n: number) =>
  Array.from({ length: n }, (_, i) => py({ ...base, judge: `user_${i}`, winner: ['model_a', 'model_b', 'tie', 'tie (bothbad)'][i % 4] }));

describe('scanBattlesForRatings reads what scanBattleFile reads', () => {
  it.each([
    ['escaped quotes in a model name', py({ ...base, model_a: 'gpt-"4"' })],
    ['unicode escapes', String.raw`{"model_a": "\uD55C\uAD6D\uC5B4-\u00e9", "model_b": "b\\c", "winner": "tie", "language": "\u004Borean"}`],
    ['Hangul model names', py({ ...base, model_a: '한국어-모델', model_b: '클로드 3.5', language: '한국어' })],
    ['fields in another order', JSON.stringify({ tstamp: 5, winner: 'model_b', model_b: 'y', language: 'German', model_a: 'x', anony: false })],
    ['extra whitespace', '  {  "model_a" :"x" ,\t"model_b":   "y","winner" : "tie"  }  '],
    ['an escaped key', String.raw`{"model\u005fa": "x", "model_b": "y", "winner": "tie"}`],
    ['a repeated key (the last wins)', '{"model_a": "x", "model_b": "y", "winner": "tie", "model_a": "z"}'],
    ['nested unknown values', py({ ...base, meta: { tags: [1, 'two', null], deep: { x: true } } })],
    ['categories and conversations', JSON.stringify({ ...base, categories: ['code', '한국어'], conversation_a: [{ role: 'user', content: 'hi' }] })],
    [
      'numbers JSON writes other ways',
      py({ ...base, turn: 2.0, tstamp: 1.7e9 })
        .replace('"turn": 2', '"turn": 2.0')
        .replace('1700000000', '1.7e9'),
    ],
    ['a numeric evaluation_id', py({ ...base, evaluation_id: 42, question_id: 'q1' })],
  ])('one line with %s, among regular lines', async (_, tricky) => {
    const lines = [...regular(3), tricky, ...regular(2), tricky];
    const result = await expectSameReading(`${lines.join('\n')}\n`);
    expect('battles' in result && result.battles.length).toBe(7);
  });

  it('CRLF line ends, blank lines, a byte order mark and no newline at the end', async () => {
    const text = `\ufeff${regular(3).join('\r\n')}\r\n\r\n   \n${regular(2).join('\r\n')}`;
    const result = await expectSameReading(text);
    expect('battles' in result && result.battles.length).toBe(5);
  });

  it.each([
    ['a line cut short', '{"model_a": "x", "model_b": "y", "winner": "model_a"', 'line 3: invalid JSON'],
    ['trailing text', `${py(base)} x`, 'line 3: invalid JSON'],
    ['a raw tab inside a string', py({ ...base, judge: 'a\tb' }).replace('\\t', '\t'), 'line 3: invalid JSON'],
    ['an unknown winner', py({ ...base, winner: 'model_c' }), 'line 3: winner: must be one of model_a, model_b, tie, tie (bothbad)'],
    ['an empty model name', py({ ...base, model_b: '' }), 'line 3: model_b: must be a non-empty string'],
    ['turn 0', py({ ...base, turn: 0 }), 'line 3: turn: must be a positive integer'],
    ['a fractional turn', py({ ...base, turn: 1.5 }), 'line 3: turn: must be a positive integer'],
    ['an infinite tstamp', py(base).replace('1700000000.1302', '1e400'), 'line 3: tstamp: must be a number (unix seconds)'],
    ['tstamp as text', py({ ...base, tstamp: '1700000000' }), 'line 3: tstamp: must be a number (unix seconds)'],
    ['anony as a number', py({ ...base, anony: 1 }), 'line 3: anony: must be true or false'],
    ['no winner', py({ model_a: 'x', model_b: 'y' }), 'line 3: winner: is required'],
    ['an array', '[1, 2]', 'line 3: must be a JSON object'],
  ])('a malformed line (%s): the same error, and the same skip', async (_, bad, message) => {
    const result = await expectSameReading(`${[...regular(2), bad, ...regular(2)].join('\n')}\n`);
    expect('error' in result && result.error).toContain(message);
  });

  it('a JSON array file goes through the full reader', async () => {
    const result = await expectSameReading(JSON.stringify([base, { ...base, model_a: '한국어' }]));
    expect('battles' in result && result.battles.length).toBe(2);
  });

  it('lines across 4 MiB chunks, with multi-byte names at the boundaries', async () => {
    const names = ['한국어-모델', 'модель-b', 'gpt-4o', 'claude-3.5'];
    const lines = Array.from({ length: 45_000 }, (_, i) =>
      py({ ...base, model_a: names[i % 4], model_b: names[(i + 1) % 4], judge: `사용자_${i}`, tstamp: 1700000000 + i / 7 }),
    );
    const result = await expectSameReading(`${lines.join('\n')}\n`);
    expect('battles' in result && result.battles.length).toBe(45_000);
  });

  it('reads only the fields asked for from regular lines, and every one from others', async () => {
    const file = await fileOf(`${[...regular(2), JSON.stringify({ ...base, extra: [1] })].join('\n')}\n`);
    const result = await readWith('fast', file, false, ['anony']);
    expect('battles' in result && result.battles).toEqual([
      // The first line is parsed whole (it teaches the layout); the second comes through the layout.
      project(base as FilterableBattle),
      { model_a: 'gpt-4', model_b: 'claude-3', winner: 'model_b', anony: true },
      // No layout fits a nested value: JSON.parse's whole record.
      project(base as FilterableBattle),
    ]);
  });

  it('regular lines take the fast path: one reused object, not a parsed record per line', async () => {
    const file = await fileOf(`${regular(5).join('\n')}\n`);
    const seen: FilterableBattle[] = [];
    await scanBattlesForRatings(file, (battle) => seen.push(battle));
    // The first line is parsed (and teaches the layout); the others fill the same object.
    expect(new Set(seen.slice(1)).size).toBe(1);
    expect(seen[0]).not.toBe(seen[1]);
  });
});

describe('learnLayout', () => {
  const all = new Set<RatingField>(['anony', 'language', 'turn', 'tstamp', 'evaluation_id']);

  it('matches lines of the same layout and no other', () => {
    const layout = learnLayout(py(base), all)!;
    const matches = (text: string) => {
      layout.regex.lastIndex = 0;
      return layout.regex.test(text);
    };
    expect(matches(py({ ...base, model_a: '한국어', tstamp: 1 }))).toBe(true);
    expect(matches(py({ ...base, model_a: 'a"b' }))).toBe(false); // an escape: JSON.parse decides
    expect(matches(py({ ...base, turn: 0 }))).toBe(false);
    expect(matches(py({ ...base, winner: 'tie (bothbad)' }))).toBe(true);
    expect(matches(py({ ...base, winner: 'bothbad' }))).toBe(false);
    expect(matches(JSON.stringify(base))).toBe(false); // other spacing
  });

  it('declines lines whose values no regular expression can check', () => {
    expect(learnLayout(JSON.stringify({ ...base, conversation_a: [] }), all)).toBeNull();
    expect(learnLayout(JSON.stringify({ ...base, meta: { a: 1 } }), all)).toBeNull();
    expect(learnLayout('{"model_a": "x", "model_b": "y", "winner": "tie", "model_a": "z"}', all)).toBeNull();
  });
});
