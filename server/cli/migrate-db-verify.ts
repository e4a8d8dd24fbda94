/**
 * `arena migrate-db`'s verification: a SQLite source and its PostgreSQL copy compared through the
 * same reads (db/pg/readers.ts): rows per table, the maintained counts cell by cell, the online Elo
 * table, and Bradley-Terry fits from each side's maintained counts, made the way the live fit makes
 * them (inputOfCounts, maintainedFitInput with the configured prompt deduplication), per category.
 */
import type { ArenaReader, CountCell, PromptCell, RatingRow } from '../../db/pg/readers.ts';
import { copyPlan } from '../../db/pg/tables.ts';
import type { Winner } from '../../protocol/types.ts';
import { fitBradleyTerry } from '../ratings/bradley-terry.ts';
import type { BattleCounts } from '../ratings/counts.ts';
import { inputOfCounts, type PairTally } from '../standings/fit-input.ts';
import { countDifferences, type MaintainedCounts, maintainedFitInput } from '../standings/pair-counts-repo.ts';

/**
 * The tables whose rows are counted on both sides: all but the two count tables, compared cell by
 * cell instead (SQLite keeps cells that fell to zero; a recount has none).
 */
export function rowCheckedTables(): string[] {
  return copyPlan()
    .filter((t) => t.copy || t.name === 'counts_maintenance')
    .map((t) => t.name);
}

/** The largest difference of a Bradley-Terry rating that still counts as equal. */
export const RATING_TOLERANCE = 1e-9;

export interface Check {
  name: string;
  ok: boolean;
  /** What was compared, e.g. `28 tables, 51 204 rows`. */
  summary: string;
  /** What differs (empty when ok). */
  problems: string[];
}

export interface VerifyOptions {
  /** Tables whose rows are counted on both sides. */
  tables: readonly string[];
  /** The live fit's prompt deduplication (config standings.promptDedup.topShare). */
  dedupTopShare: number;
}

export async function verifyCopy(source: ArenaReader, target: ArenaReader, opts: VerifyOptions): Promise<Check[]> {
  const [sourceRows, targetRows] = await Promise.all([source.rowCounts(opts.tables), target.rowCounts(opts.tables)]);
  const [sourceCells, targetCells] = await Promise.all([source.pairCounts(), target.pairCounts()]);
  const [sourcePrompts, targetPrompts] = await Promise.all([source.promptCounts(), target.promptCounts()]);
  const [sourceRatings, targetRatings] = await Promise.all([source.ratings(), target.ratings()]);
  const sourceFits = await fitsOf(source, sourceCells, sourcePrompts, opts.dedupTopShare);
  const targetFits = await fitsOf(target, targetCells, targetPrompts, opts.dedupTopShare);
  return [
    rowCheck(opts.tables, sourceRows, targetRows),
    cellCheck(sourceCells, targetCells),
    promptCheck(sourcePrompts, targetPrompts),
    ratingCheck(sourceRatings, targetRatings),
    fitCheck(sourceFits, targetFits),
  ];
}

const check = (name: string, summary: string, problems: string[]): Check => ({ name, ok: problems.length === 0, summary, problems });

function rowCheck(tables: readonly string[], source: Map<string, number>, target: Map<string, number>): Check {
  const problems = tables.filter((t) => source.get(t) !== target.get(t)).map((t) => `${t}: ${source.get(t)} in the source, ${target.get(t)} in the copy`);
  const total = [...source.values()].reduce((s, n) => s + n, 0);
  return check('rows', `${tables.length} tables, ${total} rows`, problems);
}

const asCount = (c: CountCell) => ({ ...c, winner: c.winner as Winner });

function cellCheck(source: CountCell[], target: CountCell[]): Check {
  const problems = countDifferences(source.map(asCount), target.map(asCount)).map(
    (d) => `${d.cell}: ${d.maintained} in the source, ${d.recounted} in the copy`,
  );
  return check('pair counts', `${source.length} cells`, problems);
}

function promptCheck(source: Map<string, number>, target: Map<string, number>): Check {
  const problems = [...new Set([...source.keys(), ...target.keys()])]
    .filter((p) => source.get(p) !== target.get(p))
    .map((p) => `prompt ${p}: ${source.get(p) ?? 0} in the source, ${target.get(p) ?? 0} in the copy`);
  return check('prompt counts', `${source.size} prompts`, problems);
}

function ratingCheck(source: RatingRow[], target: RatingRow[]): Check {
  const line = (r: RatingRow | undefined) => (r ? `${r.rating} (${r.games} games, ${r.wins}/${r.losses}/${r.ties}, at ${r.updatedAt})` : 'none');
  const byModel = (rows: RatingRow[]) => new Map(rows.map((r) => [r.modelId, r]));
  const a = byModel(source);
  const b = byModel(target);
  const problems = [...new Set([...a.keys(), ...b.keys()])]
    .filter((m) => line(a.get(m)) !== line(b.get(m)))
    .map((m) => `${m}: ${line(a.get(m))} in the source, ${line(b.get(m))} in the copy`);
  return check('online Elo', `${source.length} ratings`, problems);
}

/** Per fit (a category, or `all (deduplicated)`): each model's Bradley-Terry rating. */
export type Fits = Map<string, Map<string, number>>;

function fitCheck(source: Fits, target: Fits): Check {
  const problems: string[] = [];
  let largest = 0;
  for (const name of new Set([...source.keys(), ...target.keys()])) {
    const a = source.get(name) ?? new Map<string, number>();
    const b = target.get(name) ?? new Map<string, number>();
    for (const model of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(model);
      const y = b.get(model);
      const gap = x === undefined || y === undefined ? Infinity : Math.abs(x - y);
      if (gap <= RATING_TOLERANCE) largest = Math.max(largest, gap);
      else problems.push(`${name} / ${model}: ${x ?? 'absent'} in the source, ${y ?? 'absent'} in the copy`);
    }
  }
  return check('Bradley-Terry', `${source.size} fits, largest difference ${largest} (at most ${RATING_TOLERANCE})`, problems);
}

/** Pair tallies as pair_counts' `TALLY` sums them: positive cells between two different models. */
function tally(cells: Iterable<{ modelA: string; modelB: string; winner: string; n: number }>): PairTally[] {
  const pairs = new Map<string, PairTally>();
  for (const c of cells) {
    if (c.n <= 0 || c.modelA === c.modelB) continue;
    const [first, second] = c.modelA < c.modelB ? [c.modelA, c.modelB] : [c.modelB, c.modelA];
    const key = `${first}\u0000${second}`;
    const t = pairs.get(key) ?? { first, second, firstWins: 0, secondWins: 0, ties: 0 };
    pairs.set(key, t);
    const winnerId = c.winner === 'a' ? c.modelA : c.winner === 'b' ? c.modelB : null;
    if (winnerId === null) t.ties += c.n;
    else if (winnerId === first) t.firstWins += c.n;
    else t.secondWins += c.n;
  }
  // One order on both sides, so sums of fractional weights round alike.
  return [...pairs.values()].sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : x.second < y.second ? -1 : x.second > y.second ? 1 : 0));
}

/** The maintained counts of one side in memory, as the live fit reads them (MaintainedCounts). */
function inMemory(cells: readonly CountCell[], prompts: ReadonlyMap<string, number>, promptCells: readonly PromptCell[], asked: string[]): MaintainedCounts {
  return {
    tallies: (category) => tally(cells.filter((c) => c.category === category)),
    promptTotal: () => prompts.size,
    largestPromptCounts: (k) => [...prompts.values()].sort((x, y) => y - x).slice(0, k),
    promptsAbove: (cap) => [...prompts].filter(([, n]) => n > cap).map(([key, count]) => ({ key, count })),
    promptTallies: (list) => {
      asked.push(...list);
      return [...list].sort().flatMap((prompt) => tally(promptCells.filter((c) => c.prompt === prompt)).map((t) => ({ prompt, ...t })));
    },
  };
}

function ratingsOf(counts: BattleCounts): Map<string, number> {
  if (counts.models.length === 0) return new Map();
  const fit = fitBradleyTerry(counts);
  return new Map(counts.models.map((m, i) => [m, fit.ratings[i]!]));
}

/** One side's fits: each category's from its maintained counts, and the live fit's (`all`, prompt-deduplicated). */
export async function fitsOf(reader: ArenaReader, cells: CountCell[], prompts: Map<string, number>, dedupTopShare: number): Promise<Fits> {
  const fits: Fits = new Map();
  const none = inMemory(cells, prompts, [], []);
  for (const category of [...new Set(cells.map((c) => c.category))].sort()) fits.set(category, ratingsOf(inputOfCounts(none.tallies(category), null).all));
  if (dedupTopShare > 0) {
    // The prompts the fit asks for depend on prompt_counts alone: learn them, read their votes, fit.
    const asked: string[] = [];
    maintainedFitInput(inMemory(cells, prompts, [], asked), 'all', dedupTopShare);
    const input = maintainedFitInput(inMemory(cells, prompts, await reader.promptCells(asked), []), 'all', dedupTopShare);
    fits.set('all (deduplicated)', ratingsOf(input.dedup?.weighted ?? input.all));
  }
  return fits;
}
