import { describe, expect, it } from 'vitest';
import { columnsFromBattles } from '../../../server/ratings/counts.ts';
import { computeOnlineElo, eloExpected, eloUpdate, onlineEloFromColumns } from '../../../server/ratings/elo.ts';
import type { BattleResult } from '../../../server/ratings/outcomes.ts';

describe('eloExpected', () => {
  it('is 1/2 for equal ratings and follows the base-10 logistic', () => {
    expect(eloExpected(1000, 1000)).toBe(0.5);
    expect(eloExpected(1200, 1000)).toBeCloseTo(0.7597469266, 10); // 1/(1+10^-0.5)
    expect(eloExpected(1000, 1400)).toBeCloseTo(1 / 11, 12);
    expect(eloExpected(1000, 1000 + Math.log10(3) * 400)).toBeCloseTo(0.25, 12);
  });

  it('honours scale and base', () => {
    expect(eloExpected(1100, 1000, 100, 2)).toBeCloseTo(2 / 3, 12);
  });
});

describe('eloUpdate', () => {
  it('moves both ratings by k·(score − expected), zero-sum for equal k', () => {
    expect(eloUpdate(1000, 1000, 1, 4)).toEqual([1002, 998]);
    expect(eloUpdate(1000, 1000, 0.5, 32)).toEqual([1000, 1000]);
    const [a, b] = eloUpdate(1002, 998, 0, 4);
    expect(a).toBeCloseTo(999.9769751664, 9);
    expect(b).toBeCloseTo(1000.0230248336, 9);
  });
});

describe('computeOnlineElo', () => {
  // Hand-computed with k=4, scale 400, base 10, init 1000 (see docs/RATINGS.md for the formula).
  const battles: BattleResult[] = [
    { model_a: 'A', model_b: 'B', winner: 'model_a' }, // A 1002,        B 998
    { model_a: 'A', model_b: 'B', winner: 'model_b' }, // A 999.9769752,  B 1000.0230248
    { model_a: 'A', model_b: 'C', winner: 'tie' }, //     A 999.9771077,  C 999.9998675
    { model_a: 'C', model_b: 'B', winner: 'model_a' }, // C 1002.0000008, B 998.0228915
  ];

  it('reproduces a hand-computed sequence', () => {
    const ratings = computeOnlineElo(battles);
    expect([...ratings.keys()]).toEqual(['A', 'B', 'C']);
    expect(ratings.get('A')).toBeCloseTo(999.977107708, 8);
    expect(ratings.get('B')).toBeCloseTo(998.0228915291, 8);
    expect(ratings.get('C')).toBeCloseTo(1002.000000763, 8);
  });

  it('treats both kinds of tie alike', () => {
    const tie = computeOnlineElo([
      { model_a: 'A', model_b: 'B', winner: 'tie' },
      { model_a: 'A', model_b: 'B', winner: 'model_a' },
    ]);
    const bothBad = computeOnlineElo([
      { model_a: 'A', model_b: 'B', winner: 'tie (bothbad)' },
      { model_a: 'A', model_b: 'B', winner: 'model_a' },
    ]);
    expect(bothBad).toEqual(tie);
  });

  it('depends on order', () => {
    const reversed = computeOnlineElo([...battles].reverse());
    expect(reversed.get('A')).not.toBeCloseTo(computeOnlineElo(battles).get('A')!, 6);
  });

  it('uses the options', () => {
    const ratings = computeOnlineElo([{ model_a: 'A', model_b: 'B', winner: 'model_a' }], { k: 32, init: 1500 });
    expect(ratings.get('A')).toBe(1516);
    expect(ratings.get('B')).toBe(1484);
  });

  it('skips self-battles', () => {
    const ratings = computeOnlineElo([{ model_a: 'A', model_b: 'A', winner: 'model_a' }, ...battles]);
    expect(ratings.get('A')).toBeCloseTo(999.977107708, 8);
  });

  it('agrees with the columnar version', () => {
    const columns = columnsFromBattles(battles);
    const fromColumns = onlineEloFromColumns(columns);
    columns.models.forEach((model, i) => expect(fromColumns[i]).toBeCloseTo(computeOnlineElo(battles).get(model)!, 10));
  });
});
