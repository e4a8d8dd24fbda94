/** What the import derives from a record: canonical JSON exactly as sorted-key JSON.stringify, ids of repeated records, voter ids. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BattleRecord } from '../../server/interop/battle-record.ts';
import { RecordMemo } from '../../server/interop/import-memo.ts';

const sortedJson = (record: Record<string, unknown>) =>
  `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`)
    .join(',')}}`;
const record = (fields: Record<string, unknown>) => ({ model_a: 'a', model_b: 'b', winner: 'tie', ...fields }) as BattleRecord;

describe('RecordMemo', () => {
  it('writes the canonical JSON JSON.stringify would, whatever the values hold', () => {
    const memo = new RecordMemo({ longPromptTokens: 100 });
    const values: unknown[] = [
      'plain',
      'quote"',
      'back\\slash',
      'ctrl\u0001',
      'del\u007f',
      'line\u2028',
      'lone\ud800',
      '😀',
      'é',
      '',
      0,
      -0,
      1.5e-7,
      1e21,
      Number.NaN,
      true,
      false,
      null,
      [1, 'x'],
      { nested: { k: 'v"' } },
    ];
    for (const value of values) {
      const r = record({ zeta: value, alpha: 1, tstamp: 1_700_000_000.25 });
      expect(memo.canonicalJson(r)).toBe(sortedJson(r));
    }
    // Records with other key orders share nothing wrongly.
    const a = record({ judge: 'x', turn: 1 });
    const b = { turn: 1, winner: 'tie', judge: 'x', model_b: 'b', model_a: 'a' } as BattleRecord;
    expect(memo.canonicalJson(a)).toBe(memo.canonicalJson(b));
  });

  it('gives the n-th identical record the n-th id, and hashes each judge', () => {
    const memo = new RecordMemo({ longPromptTokens: 100 });
    const id = (content: string, seen: number) => `imp-${createHash('sha256').update(`${content}\n${seen}`).digest('base64url').slice(0, 24)}`;
    expect([memo.battleId('x'), memo.battleId('y'), memo.battleId('x'), memo.battleId('x')]).toEqual([id('x', 0), id('y', 0), id('x', 1), id('x', 2)]);
    expect(memo.voterId('alice')).toBe(`import:${createHash('sha256').update('alice').digest('hex').slice(0, 16)}`);
    expect(memo.voterId(undefined)).toBe('import:unknown');
  });

  it('files records without a conversation by their hint fields', () => {
    const memo = new RecordMemo({ longPromptTokens: 100 });
    expect(memo.categoriesWithoutConversation(record({ language: 'Korean' }))).toEqual(['lang:ko']);
    expect(memo.categoriesWithoutConversation(record({ language: 'English', turn: 3 }))).toEqual(['lang:en', 'multi_turn']);
    expect(memo.categoriesWithoutConversation(record({ language: 'English', is_code: true }))).toContain('coding');
    expect(memo.categoriesWithoutConversation(record({ language: 'Korean' }))).toBe(memo.categoriesWithoutConversation(record({ language: 'Korean' })));
  });

  it('files every record as categorize does from its hints, whatever its hint fields hold (memoised or not)', () => {
    const memo = new RecordMemo({ longPromptTokens: 100 });
    const records = [
      {},
      { language: 'undefined' },
      { language: '' },
      { language: 'ko|true' },
      { language: '한국어', turn: 2 },
      { turn: 1, is_code: true, language: 'Korean' },
      { turn: 1, is_code: 'yes', language: 'Korean' },
      { turn: '1|true|', language: 'English' },
      { language: null, turn: 2 },
      { category: 'writing', language: 'ko' },
      { category_tag: { 'math_v0.1': { math: true } }, language: 'ko' },
      { language: 'Korean' },
    ].map((fields) => record(fields));
    const fresh = (r: BattleRecord) => new RecordMemo({ longPromptTokens: 100 }).categoriesWithoutConversation(r);
    // Twice through the same memo: the second pass reads what the first one kept.
    for (const r of [...records, ...records]) expect(memo.categoriesWithoutConversation(r), JSON.stringify(r)).toEqual(fresh(r));
  });
});
