/**
 * Which battles count. Row filters are one predicate, so the streaming file reader and in-memory
 * callers apply exactly the same rules; the minimum-battles rule needs totals and runs afterwards.
 */
import { type BattleColumns, BattleColumnsBuilder, type BattleCounts } from './counts.ts';
import { type BattleResult, isTie } from './outcomes.ts';

/** The optional fields of a FastChat battle that filters look at. */
export interface FilterableBattle extends BattleResult {
  anony?: boolean;
  language?: string;
  turn?: number;
  tstamp?: number;
  evaluation_id?: string | number;
}

/** The optional fields a filter may read. */
export type FilterField = Exclude<keyof FilterableBattle, keyof BattleResult>;

export interface BattleFilterOptions {
  /** Keep named (non-anonymous) battles too. By default only rows with `anony: false` are dropped; rows without the field count as anonymous. */
  includeNamed?: boolean;
  excludeTies?: boolean;
  /** Case-insensitive match on `language`; rows without it are dropped. */
  language?: string;
  /** An exact number of turns or a range; rows without `turn` are dropped. */
  turns?: number | { min?: number; max?: number };
  /** Unix seconds: `from <= tstamp < to`; rows without `tstamp` are dropped when either is set. */
  from?: number;
  to?: number;
  /** Match on `evaluation_id` (compared as text); rows without it are dropped. */
  evaluationId?: string;
}

/** Self-battles (model_a === model_b) are always dropped: they compare nothing. */
export function makeBattlePredicate(options: BattleFilterOptions): (battle: FilterableBattle) => boolean {
  const checks: Array<(b: FilterableBattle) => boolean> = [(b) => b.model_a !== b.model_b];
  if (!options.includeNamed) checks.push((b) => b.anony !== false);
  if (options.excludeTies) checks.push((b) => !isTie(b.winner));
  if (options.language !== undefined) {
    const language = options.language.toLowerCase();
    checks.push((b) => typeof b.language === 'string' && b.language.toLowerCase() === language);
  }
  if (options.turns !== undefined) {
    const { min, max } = typeof options.turns === 'number' ? { min: options.turns, max: options.turns } : options.turns;
    checks.push((b) => b.turn !== undefined && (min === undefined || b.turn >= min) && (max === undefined || b.turn <= max));
  }
  if (options.from !== undefined || options.to !== undefined) {
    const from = options.from ?? -Infinity;
    const to = options.to ?? Infinity;
    checks.push((b) => b.tstamp !== undefined && b.tstamp >= from && b.tstamp < to);
  }
  if (options.evaluationId !== undefined) {
    const id = options.evaluationId;
    checks.push((b) => b.evaluation_id !== undefined && String(b.evaluation_id) === id);
  }
  return (battle) => checks.every((check) => check(battle));
}

/**
 * The fields the predicate of `options` reads besides the models and the winner (a reader can skip
 * the others). Kept beside makeBattlePredicate: a new filter adds its field to both.
 */
export function fieldsUsedBy(options: BattleFilterOptions): FilterField[] {
  const fields: FilterField[] = [];
  if (!options.includeNamed) fields.push('anony');
  if (options.language !== undefined) fields.push('language');
  if (options.turns !== undefined) fields.push('turn');
  if (options.from !== undefined || options.to !== undefined) fields.push('tstamp');
  if (options.evaluationId !== undefined) fields.push('evaluation_id');
  return fields;
}

export function filterBattles<T extends FilterableBattle>(battles: Iterable<T>, options: BattleFilterOptions): T[] {
  const keep = makeBattlePredicate(options);
  return [...battles].filter(keep);
}

/**
 * Drops models with fewer than `minBattles` battles, and every battle involving one. A single pass
 * over the original totals (as FastChat does): a surviving model can end up just under the
 * threshold once its battles against dropped models are gone.
 */
export function dropSparseModels(columns: BattleColumns, minBattles: number): BattleColumns {
  if (minBattles <= 0) return columns;
  const totals = new Float64Array(columns.models.length);
  for (let k = 0; k < columns.length; k++) {
    totals[columns.modelA[k]!]!++;
    totals[columns.modelB[k]!]!++;
  }
  const builder = new BattleColumnsBuilder();
  const newId = Int32Array.from(columns.models, (model, i) => (totals[i]! >= minBattles ? builder.idOf(model) : -1));
  for (let k = 0; k < columns.length; k++) {
    const a = newId[columns.modelA[k]!]!;
    const b = newId[columns.modelB[k]!]!;
    if (a >= 0 && b >= 0) builder.addIds(a, b, columns.outcome[k]!);
  }
  return builder.build();
}

/** Same rule on aggregated counts (what the streaming Bradley-Terry path keeps). */
export function dropSparseModelsFromCounts(counts: BattleCounts, minBattles: number): BattleCounts {
  if (minBattles <= 0) return counts;
  const m = counts.models.length;
  const kept: number[] = [];
  for (let i = 0; i < m; i++) {
    let total = 0;
    for (let j = 0; j < m; j++) total += counts.wins[i * m + j]! + counts.wins[j * m + i]! + counts.ties[i * m + j]!;
    if (total >= minBattles) kept.push(i);
  }
  const k = kept.length;
  const wins = new Float64Array(k * k);
  const ties = new Float64Array(k * k);
  let battles = 0;
  kept.forEach((i, row) => {
    kept.forEach((j, column) => {
      wins[row * k + column] = counts.wins[i * m + j]!;
      ties[row * k + column] = counts.ties[i * m + j]!;
      battles += counts.wins[i * m + j]! + counts.ties[i * m + j]! / 2;
    });
  });
  return { models: kept.map((i) => counts.models[i]!), wins, ties, battles };
}

/** Same rule on records: keeps order and the records themselves. */
export function dropSparseModelsFromBattles<T extends BattleResult>(battles: readonly T[], minBattles: number): T[] {
  if (minBattles <= 0) return [...battles];
  const totals = new Map<string, number>();
  for (const b of battles) {
    totals.set(b.model_a, (totals.get(b.model_a) ?? 0) + 1);
    totals.set(b.model_b, (totals.get(b.model_b) ?? 0) + 1);
  }
  return battles.filter((b) => totals.get(b.model_a)! >= minBattles && totals.get(b.model_b)! >= minBattles);
}

/**
 * Parses a date bound for the CLI: unix seconds, an ISO timestamp, or a calendar date (UTC). A
 * calendar date as the upper bound means the end of that day, so `--to 2024-02-15` includes the 15th.
 */
export function parseDateBound(text: string, bound: 'from' | 'to'): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: "${text}" (use YYYY-MM-DD, an ISO timestamp or unix seconds)`);
  return ms / 1000 + (dateOnly && bound === 'to' ? 86_400 : 0);
}
