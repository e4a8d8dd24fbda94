/** Prompt deduplication weights (server/ratings/prompt-dedup.ts). */
import { describe, expect, it } from 'vitest';
import { dedupWeights, frequentPrompts, promptKey } from '../../../server/ratings/prompt-dedup.ts';

/** 1,000 distinct prompts asked once or twice, and two asked far more often. */
function keys(): string[] {
  const list: string[] = [];
  for (let i = 0; i < 1_000; i++) list.push(`prompt ${i}`, ...(i % 3 === 0 ? [`prompt ${i}`] : []));
  list.push(...Array.from({ length: 300 }, () => 'hi'), ...Array.from({ length: 120 }, () => '안녕'));
  return list;
}

describe('dedupWeights', () => {
  it('caps prompts above the top share at the quantile: weight cap/count by default', () => {
    const all = keys();
    const { weights, cap, frequent } = dedupWeights(all, { topShare: 0.01 });
    // 1,002 distinct prompts; the 99th percentile of their counts is 2.
    expect(cap).toBe(2);
    expect(frequent).toEqual([
      { key: 'hi', count: 300 },
      { key: '안녕', count: 120 },
    ]);
    const total = (key: string) => all.reduce((s, k, i) => s + (k === key ? weights[i]! : 0), 0);
    expect(total('hi')).toBeCloseTo(2, 12);
    expect(total('안녕')).toBeCloseTo(2, 12);
    expect(total('prompt 0')).toBe(2);
    expect(total('prompt 1')).toBe(1);
    expect(weights[all.indexOf('hi')]).toBeCloseTo(2 / 300, 12);
  });

  it("samples a capped prompt's votes in 'sample' mode, reproducibly by seed", () => {
    const all = keys();
    const one = dedupWeights(all, { topShare: 0.01, mode: 'sample', seed: 3 });
    const again = dedupWeights(all, { topShare: 0.01, mode: 'sample', seed: 3 });
    const other = dedupWeights(all, { topShare: 0.01, mode: 'sample', seed: 4 });
    expect(again.weights).toEqual(one.weights);
    expect(other.weights).not.toEqual(one.weights);
    const kept = all.filter((k, i) => k === 'hi' && one.weights[i] === 1).length;
    expect(kept).toBe(2);
    expect(all.filter((k, i) => k === 'hi' && one.weights[i] === 0).length).toBe(298);
    expect([...one.weights].every((w) => w === 0 || w === 1)).toBe(true);
  });

  it('leaves the data alone when no prompt stands out, or with topShare 0', () => {
    const even = Array.from({ length: 500 }, (_, i) => `p${i % 250}`);
    expect(dedupWeights(even)).toMatchObject({ cap: Infinity, frequent: [] });
    expect([...dedupWeights(even).weights].every((w) => w === 1)).toBe(true);
    expect(dedupWeights(keys(), { topShare: 0 }).frequent).toEqual([]);
    expect(dedupWeights([]).weights.length).toBe(0);
    expect(() => dedupWeights(keys(), { topShare: 1 })).toThrow(/topShare/);
  });

  it('uses the default 99.99th percentile', () => {
    // 20,000 distinct prompts: the quantile sits among the ones, so only prompts asked far more often are capped.
    const all = [...Array.from({ length: 20_000 }, (_, i) => `q${i}`), ...Array.from({ length: 50 }, () => 'test')];
    const { cap, frequent } = dedupWeights(all);
    expect(cap).toBe(1);
    expect(frequent).toEqual([{ key: 'test', count: 50 }]);
  });
});

describe('frequentPrompts', () => {
  it('decides from per-prompt counts what dedupWeights decides from the votes', () => {
    const all = keys();
    const counts = new Map<string, number>();
    for (const key of all) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const topShare of [0.0001, 0.01, 0.2]) {
      const { cap, frequent } = dedupWeights(all, { topShare });
      expect(frequentPrompts(counts, { topShare })).toEqual({ cap, frequent });
    }
    expect(frequentPrompts(new Map(), { topShare: 0.1 })).toEqual({ cap: Infinity, frequent: [] });
    // Prompts asked once may be given as a number instead of listed.
    const repeated = new Map([...counts].filter(([, n]) => n > 1));
    const once = counts.size - repeated.size;
    for (const topShare of [0.0001, 0.01, 0.2]) expect(frequentPrompts(repeated, { topShare }, once)).toEqual(frequentPrompts(counts, { topShare }));
  });
});

describe('promptKey', () => {
  it('joins user turns, trims, and normalizes Hangul to NFC', () => {
    const composed = '한국어 질문';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(promptKey(`  ${decomposed}\n`)).toBe(promptKey(composed));
    expect(promptKey(['첫 질문 ', ' 둘째'])).toBe('첫 질문\n둘째');
    expect(promptKey('x'.repeat(20_000)).length).toBe(10_000);
  });
});
