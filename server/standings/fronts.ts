/**
 * Pareto fronts (pure): the models no other model beats on both rating and a second axis, e.g.
 * cost (lower is better), tokens per second (higher), time to first token (lower). A model without
 * a value on the axis is on no front of it.
 */
import type { Standings, StandingsEntry } from '../../protocol/standings.ts';

export interface FrontAxis<T> {
  value: (item: T) => number | null;
  better: 'lower' | 'higher';
}

/**
 * Items not dominated: no other item is at least as good on both rating and the axis and
 * strictly better on one of them. Returned best rating first (input order among equals).
 */
export function paretoFront<T>(items: readonly T[], rating: (item: T) => number, axis: FrontAxis<T>): T[] {
  const sign = axis.better === 'lower' ? -1 : 1;
  const scored = items.flatMap((item) => {
    const v = axis.value(item);
    return v === null || !Number.isFinite(v) ? [] : [{ item, r: rating(item), v: sign * v }];
  });
  return scored
    .filter((p) => !scored.some((q) => q !== p && q.r >= p.r && q.v >= p.v && (q.r > p.r || q.v > p.v)))
    .sort((x, y) => y.r - x.r)
    .map((p) => p.item);
}

/** The fronts of the standings' rated models, as model ids. */
export function standingsFronts(models: readonly StandingsEntry[]): Standings['fronts'] {
  const front = (axis: FrontAxis<StandingsEntry>) => paretoFront(models, (m) => m.rating, axis).map((m) => m.id);
  return {
    cost: front({ value: (m) => m.costPer1kAnswersUsd, better: 'lower' }),
    tokensPerSecond: front({ value: (m) => m.speed?.medianTokensPerSecond ?? null, better: 'higher' }),
    ttft: front({ value: (m) => m.speed?.medianTtftMs ?? null, better: 'lower' }),
  };
}
