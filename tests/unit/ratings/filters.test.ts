import { describe, expect, it } from 'vitest';
import { battlesFromColumns, columnsFromBattles, countBattles } from '../../../server/ratings/counts.ts';
import {
  dropSparseModels,
  dropSparseModelsFromBattles,
  dropSparseModelsFromCounts,
  type FilterableBattle,
  filterBattles,
  parseDateBound,
} from '../../../server/ratings/filters.ts';

const day = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;

const battles: Array<FilterableBattle & { id: number }> = [
  { id: 1, model_a: 'a', model_b: 'b', winner: 'model_a', anony: true, language: 'English', turn: 1, tstamp: day('2024-02-12') },
  { id: 2, model_a: 'a', model_b: 'c', winner: 'tie', anony: false, language: 'german', turn: 2, tstamp: day('2024-02-13') },
  { id: 3, model_a: 'b', model_b: 'c', winner: 'tie (bothbad)', language: 'English', turn: 3, tstamp: day('2024-02-15'), evaluation_id: 'ev1' },
  { id: 4, model_a: 'c', model_b: 'a', winner: 'model_b', anony: true, evaluation_id: 7 },
  { id: 5, model_a: 'c', model_b: 'c', winner: 'model_a', anony: true },
];
const ids = (options: Parameters<typeof filterBattles>[1]) => filterBattles(battles, options).map((b) => b.id);

describe('filterBattles', () => {
  it('keeps anonymous battles (and rows without the field) by default, and never self-battles', () => {
    expect(ids({})).toEqual([1, 3, 4]);
    expect(ids({ includeNamed: true })).toEqual([1, 2, 3, 4]);
  });

  it('excludes both kinds of tie', () => {
    expect(ids({ includeNamed: true, excludeTies: true })).toEqual([1, 4]);
  });

  it('matches language case-insensitively, dropping rows without one', () => {
    expect(ids({ includeNamed: true, language: 'english' })).toEqual([1, 3]);
    expect(ids({ includeNamed: true, language: 'German' })).toEqual([2]);
  });

  it('filters on an exact turn count or a range', () => {
    expect(ids({ includeNamed: true, turns: 2 })).toEqual([2]);
    expect(ids({ includeNamed: true, turns: { min: 2 } })).toEqual([2, 3]);
    expect(ids({ includeNamed: true, turns: { max: 2 } })).toEqual([1, 2]);
  });

  it('filters on a half-open date range, dropping rows without tstamp', () => {
    const from = parseDateBound('2024-02-13', 'from');
    const to = parseDateBound('2024-02-15', 'to');
    expect(ids({ includeNamed: true, from, to })).toEqual([2, 3]);
    expect(ids({ includeNamed: true, to: parseDateBound('2024-02-14', 'to') })).toEqual([1, 2]);
  });

  it('filters on evaluation_id as text', () => {
    expect(ids({ evaluationId: 'ev1' })).toEqual([3]);
    expect(ids({ evaluationId: '7' })).toEqual([4]);
  });
});

describe('dropSparseModels', () => {
  const many = [
    ...Array.from({ length: 3 }, () => ({ model_a: 'a', model_b: 'b', winner: 'model_a' as const })),
    { model_a: 'a', model_b: 'rare', winner: 'model_b' as const },
    { model_a: 'b', model_b: 'a', winner: 'tie' as const },
  ];

  it('drops models under the threshold and every battle involving them', () => {
    const kept = dropSparseModels(columnsFromBattles(many), 2);
    expect(kept.models).toEqual(['a', 'b']);
    expect(battlesFromColumns(kept)).toEqual([...many.slice(0, 3), many[4]]);
    expect(dropSparseModelsFromBattles(many, 2)).toEqual([...many.slice(0, 3), many[4]]);
    expect(dropSparseModelsFromCounts(countBattles(columnsFromBattles(many)), 2)).toEqual(countBattles(kept));
  });

  it('is a no-op for a threshold of zero', () => {
    const columns = columnsFromBattles(many);
    expect(dropSparseModels(columns, 0)).toBe(columns);
  });
});

describe('parseDateBound', () => {
  it('reads calendar dates (UTC), timestamps and unix seconds', () => {
    expect(parseDateBound('2024-02-20', 'from')).toBe(1708387200);
    expect(parseDateBound('2024-02-20', 'to')).toBe(1708387200 + 86_400);
    expect(parseDateBound('2024-02-20T06:00:00Z', 'to')).toBe(1708387200 + 6 * 3600);
    expect(parseDateBound('1707700514.5', 'from')).toBe(1707700514.5);
    expect(() => parseDateBound('yesterday', 'from')).toThrow(/not a date/);
  });
});
