import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa, summariseAgreement } from '../../server/evaluations/agreement.ts';
import { pickNextItem } from '../../server/evaluations/assignment.ts';
import { csvRow, parseCsv } from '../../server/evaluations/csv.ts';
import { importPrompts } from '../../server/evaluations/prompt-import.ts';
import { agreementCategory } from '../../server/evaluations/results.ts';

describe('CSV', () => {
  it('parses quoting, escaped quotes, line breaks in fields, CRLF and a BOM, with the line each record starts on', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n\nlast,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
      { line: 6, fields: ['last', ''] },
    ]);
  });
  it('round-trips what it writes', () => {
    const values = ['plain', 'comma, inside', 'quote "q"', 'new\nline', ' padded ', ''];
    expect(parseCsv(csvRow(values))[0]!.fields).toEqual(values);
  });
  it('reports unclosed quotes and stray quotes by line', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/never closed/);
    expect(() => parseCsv('a\nb"c\n')).toThrow(/quote inside an unquoted field/);
  });
});

describe('prompt import', () => {
  it('accepts JSONL prompts, multi-turn prompts and MT-bench question files', () => {
    const out = importPrompts('jsonl', '{"prompt":"a","category":"c","id":1}\n\n{"turns":["b","c"]}\n{"question_id":"q","turns":["d"],"reference":["x"]}\n');
    expect(out.problems).toEqual([]);
    expect(out.prompts).toEqual([
      { id: '1', category: 'c', turns: ['a'], gold: null },
      { id: null, category: null, turns: ['b', 'c'], gold: null },
      { id: 'q', category: null, turns: ['d'], gold: null },
    ]);
  });
  it('takes pasted text one prompt per line', () => {
    expect(importPrompts('text', 'one\r\n\n two \n').prompts.map((p) => p.turns[0])).toEqual(['one', 'two']);
  });
  it('names the line of every bad row', () => {
    const out = importPrompts('jsonl', '{"prompt":1}\n{"prompt":"x","turns":["y"]}\n[1]\n{"prompt":"ok","category":7}\n');
    expect(out.problems.map((p) => p.line)).toEqual([1, 2, 3, 4]);
  });
});

describe('next-item selection', () => {
  const item = (itemId: string, votes: number, leases = 0, judgedByVoter = false) => ({ itemId, votes, leases, judgedByVoter });
  it('gives the least-covered open item, never one already judged or fully leased', () => {
    const candidates = [item('judged', 0, 0, true), item('full', 1, 1), item('one', 1), item('zero', 0), item('leased', 0, 1)];
    expect(pickNextItem(candidates, 2, () => 0)).toBe('zero');
    expect(pickNextItem([item('a', 1), item('b', 1)], 2, () => 0.99)).toBe('b');
    expect(pickNextItem([item('done', 2), item('mine', 0, 0, true)], 2, Math.random)).toBeNull();
  });
});

describe('agreement', () => {
  it("computes Fleiss' kappa with three voters per item (by hand)", () => {
    // Items: [x,x,x], [x,x,y], [y,y,y], [tie,y,y].
    // P_i: 1, 1/3, 1, 1/3 → P̄ = 2/3. Pooled: x 5/12, y 6/12, tie 1/12 → P_e = (25+36+1)/144 = 62/144.
    // κ = (96/144 − 62/144)/(82/144) = 34/82 = 17/41. Pairs agreeing: 3+1+3+1 = 8 of 12.
    const result = fleissKappa([
      ['x', 'x', 'x'],
      ['x', 'x', 'y'],
      ['y', 'y', 'y'],
      ['tie', 'y', 'y'],
    ]);
    expect(result.kappa).toBeCloseTo(17 / 41, 12);
    expect(result.percent).toBeCloseTo(8 / 12, 12);
  });
  it("computes Cohen's kappa, null when chance agreement is certain", () => {
    // Agree 3 of 4; A: x 2/4, y 2/4; B: x 1/4, y 3/4 → p_e = 2/16 + 6/16 = 1/2 → κ = (3/4 − 1/2)/(1/2) = 1/2.
    expect(
      cohenKappa([
        ['x', 'x'],
        ['x', 'y'],
        ['y', 'y'],
        ['y', 'y'],
      ]),
    ).toBeCloseTo(0.5, 12);
    expect(
      cohenKappa([
        ['tie', 'tie'],
        ['tie', 'tie'],
      ]),
    ).toBeNull();
  });
  it('ignores items judged once and pairs of voters sharing fewer than two items', () => {
    const summary = summariseAgreement([
      { itemId: '1', voter: 'a', category: 'x' },
      { itemId: '2', voter: 'a', category: 'x' },
      { itemId: '2', voter: 'b', category: 'x' },
    ]);
    expect(summary).toMatchObject({ items: 1, percentAgreement: 1, pairs: [], meanCohenKappa: null });
  });
  it("puts each voter's judgement in the item's orientation", () => {
    expect(agreementCategory({ winner: 'a', modelA: 'x-model', itemModelX: 'x-model' })).toBe('x');
    expect(agreementCategory({ winner: 'a', modelA: 'y-model', itemModelX: 'x-model' })).toBe('y');
    expect(agreementCategory({ winner: 'b', modelA: 'y-model', itemModelX: 'x-model' })).toBe('x');
    expect(agreementCategory({ winner: 'bothbad', modelA: 'y-model', itemModelX: 'x-model' })).toBe('bothbad');
  });
});

describe('CSV export cells', () => {
  it('defuses spreadsheet formulas in untrusted text but leaves numbers alone', async () => {
    const { csvField } = await import('../../server/evaluations/csv.ts');
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField(-2)).toBe('-2');
    expect(csvField('plain text')).toBe('plain text');
  });
});
