/**
 * What the import counts as it adds votes (server/interop/import-tally.ts) and the table its
 * battle-id occurrences live in (digest-counter.ts): the same cells a recount of the votes gives,
 * the same online Elo the recompute gives, exact counts of 144-bit digests.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { DigestCounter } from '../../server/interop/digest-counter.ts';
import { ImportTally, type TalliedVote } from '../../server/interop/import-tally.ts';
import { newEloRecord, recordGame } from '../../server/ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../../server/ratings/outcomes.ts';

const WINNERS: Winner[] = ['a', 'b', 'tie', 'bothbad'];
const MODELS = ['gpt-4', '한국어-모델', 'claude', 'llama'];

function votes(n: number): TalliedVote[] {
  let seed = 11;
  const next = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  return Array.from({ length: n }, () => {
    const a = MODELS[next(4)]!;
    const b = MODELS[(MODELS.indexOf(a) + 1 + next(3)) % 4]!;
    const categories = [['lang:ko'], ['lang:en', 'coding'], ['lang:ko', 'lang:ko'], []][next(4)]!;
    // Few distinct times, so ties of time are common and decided by insertion order.
    return { modelA: a, modelB: b, winner: WINNERS[next(4)]!, counted: next(5) > 0, categories, promptHash: ['', 'p1', 'p2'][next(3)]!, at: 1_000 * next(20) };
  });
}

/** What the recount of pair-counts-repo.ts counts, written plainly. */
function recount(list: TalliedVote[]) {
  const cells = new Map<string, number>();
  const prompts = new Map<string, number>();
  for (const v of list.filter((x) => x.counted)) {
    for (const category of ['all', ...new Set(v.categories)]) {
      const key = [category, v.modelA, v.modelB, v.winner].join(' / ');
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
    if (v.promptHash !== '' && v.modelA !== v.modelB) prompts.set(v.promptHash, (prompts.get(v.promptHash) ?? 0) + 1);
  }
  return { cells, prompts };
}

describe('ImportTally', () => {
  it('counts the cells and prompts a recount of the same votes gives', () => {
    const list = votes(2_000);
    const tally = new ImportTally();
    for (const v of list) tally.add(v);
    const expected = recount(list);
    const cells = new Map(tally.cells().map((c) => [[c.category, c.modelA, c.modelB, c.winner].join(' / '), c.n]));
    expect(cells).toEqual(expected.cells);
    expect(new Map(tally.prompts())).toEqual(expected.prompts);
    expect(tally.counted).toBe(list.filter((v) => v.counted).length);
  });

  it('gives the online Elo of the counted votes by time, then insertion, with models in order of their first game', () => {
    const list = votes(3_000);
    const tally = new ImportTally();
    for (const v of list) tally.add(v);
    const ordered = list
      .map((v, i) => ({ v, i }))
      .filter(({ v }) => v.counted)
      .sort((x, y) => x.v.at - y.v.at || x.i - y.i);
    const expected = new Map<string, ReturnType<typeof newEloRecord>>();
    for (const { v } of ordered) {
      const [a, b] = recordGame(expected.get(v.modelA) ?? newEloRecord(), expected.get(v.modelB) ?? newEloRecord(), scoreOfA(outcomeFromDbWinner(v.winner)), 4);
      expected.set(v.modelA, a);
      expected.set(v.modelB, b);
    }
    const elo = tally.onlineElo(4);
    expect([...elo.keys()]).toEqual([...expected.keys()]);
    expect(elo).toEqual(expected);
  });

  it('takes votes already in time order as they are', () => {
    const tally = new ImportTally();
    tally.add({ modelA: 'x', modelB: 'y', winner: 'a', counted: true, categories: [], promptHash: '', at: 1 });
    tally.add({ modelA: 'y', modelB: 'z', winner: 'b', counted: true, categories: [], promptHash: '', at: 1 });
    tally.add({ modelA: 'x', modelB: 'z', winner: 'tie', counted: false, categories: [], promptHash: '', at: 0 });
    const elo = tally.onlineElo(32);
    expect([...elo.keys()]).toEqual(['x', 'y', 'z']);
    expect(elo.get('x')!.games).toBe(1);
    expect(elo.get('y')!.games).toBe(2);
  });
});

describe('DigestCounter', () => {
  const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 24);

  it('counts each digest exactly, through many growths of its table', () => {
    const counter = new DigestCounter();
    const keys = Array.from({ length: 20_000 }, (_, i) => digest(`battle ${i}`));
    for (const key of keys) expect(counter.next(key)).toBe(0);
    for (const key of keys.slice(0, 500)) expect(counter.next(key)).toBe(1);
    expect(counter.next(keys[7]!)).toBe(2);
  });

  it('tells apart digests that differ in one character anywhere', () => {
    const counter = new DigestCounter();
    const base = digest('x');
    expect(counter.next(base)).toBe(0);
    for (let i = 0; i < 24; i++) {
      const other = base.slice(0, i) + (base[i] === 'A' ? 'B' : 'A') + base.slice(i + 1);
      expect(counter.next(other)).toBe(0);
    }
    expect(counter.next(base)).toBe(1);
  });

  it('refuses what is not 24 base64url characters', () => {
    const counter = new DigestCounter();
    expect(() => counter.next('short')).toThrow(RangeError);
    expect(() => counter.next('+'.repeat(24))).toThrow(RangeError);
    expect(() => counter.next('가'.repeat(24))).toThrow(RangeError);
  });
});
