/** The data of each chart, from the standings: pure, unit-tested, no Plot here. */
import type { RatingHistoryPoint, StandingsEntry } from '../../../../protocol/standings.ts';

/** Charts show the best-rated models only, so labels stay readable on a phone. */
export const CHART_MODELS = 16;
/** Lines over time: one symbol each (Plot has seven), beyond which they cannot be told apart. */
export const HISTORY_MODELS = 7;

export interface IntervalRow {
  id: string;
  name: string;
  rating: number;
  lower: number;
  upper: number;
}

/** Placed models with an interval, best first. */
export function intervalRows(models: readonly StandingsEntry[], limit = CHART_MODELS): IntervalRow[] {
  return models
    .filter((m) => m.ci && !m.separated)
    .sort((a, b) => b.rating - a.rating)
    .slice(0, limit)
    .map((m) => ({ id: m.id, name: m.name, rating: m.rating, lower: m.ci!.lower, upper: m.ci!.upper }));
}

export interface HeatCell {
  row: string;
  col: string;
  value: number | null;
  label: string;
}

/** Every pair of different models among the first `limit`, row model against column model. */
export function heatCells(
  ids: readonly string[],
  matrix: ReadonlyArray<ReadonlyArray<number | null>>,
  label: (v: number) => string,
  limit = CHART_MODELS,
): HeatCell[] {
  const shown = ids.slice(0, limit);
  return shown.flatMap((row, i) =>
    shown.flatMap((col, j) => {
      if (i === j) return [];
      const value = matrix[i]?.[j] ?? null;
      return [{ row, col, value, label: value === null ? '–' : label(value) }];
    }),
  );
}

export interface HistoryPoint {
  id: string;
  name: string;
  day: Date;
  elo: number;
}

/** One point a day per model, for the best-rated models of the view. */
export function historySeries(points: readonly RatingHistoryPoint[], models: readonly StandingsEntry[], limit = HISTORY_MODELS): HistoryPoint[] {
  const shown = models.slice(0, limit);
  return shown.flatMap((m) =>
    points.flatMap((p) => {
      const elo = p.elo[m.id];
      return elo === undefined ? [] : [{ id: m.id, name: m.name, day: new Date(`${p.day}T00:00:00Z`), elo }];
    }),
  );
}

export interface FrontPoint {
  id: string;
  name: string;
  x: number;
  rating: number;
  onFront: boolean;
}

/** Placed models with a value on the other axis; the front's members in the order of that axis. */
export function frontPoints(
  models: readonly StandingsEntry[],
  x: (m: StandingsEntry) => number | null | undefined,
  front: readonly string[],
  limit = CHART_MODELS,
): FrontPoint[] {
  const onFront = new Set(front);
  return models
    .filter((m) => !m.separated)
    .slice(0, limit)
    .flatMap((m) => {
      const value = x(m);
      return value == null ? [] : [{ id: m.id, name: m.name, x: value, rating: m.rating, onFront: onFront.has(m.id) }];
    })
    .sort((a, b) => a.x - b.x);
}

/** A name cut to `max` characters (whole characters: a Hangul syllable or an emoji is never split). */
export function shortName(name: string, max = 18): string {
  const chars = Array.from(name.normalize('NFC'));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** About how wide a label is in pixels at 12 px: Hangul and CJK take a full square, Latin about half. */
export function labelWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 12 : 7;
  return width;
}
