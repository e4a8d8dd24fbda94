/** `arena ratings`: a leaderboard from a FastChat clean-battle file. */
import { parseArgs } from 'node:util';
import { type ReadSummary, scanBattleFile } from '../interop/battle-file.ts';
import { BattleFileError } from '../interop/battle-record.ts';
import { BattleColumnsBuilder, BattleCountsBuilder } from '../ratings/counts.ts';
import { type BattleFilterOptions, dropSparseModels, dropSparseModelsFromCounts, makeBattlePredicate, parseDateBound } from '../ratings/filters.ts';
import type { BattleOutcome } from '../ratings/outcomes.ts';
import { type RankOptions, type RatingMethod, type RatingsLeaderboard, rankModelsFromColumns, rankModelsFromCounts } from '../ratings/summary.ts';
import type { CliIo } from './io.ts';
import { runVerifyCli } from './verify.ts';

export const RATINGS_USAGE = `Usage: arena ratings --battles FILE [options]

Ranks models from a FastChat clean-battle file (JSON Lines or a JSON array).

  --battles FILE          battle file (required)
  --method bt|elo|both    bt: Bradley-Terry with bootstrap intervals; elo: online Elo
                          in file order; both (default): BT rating plus an Elo column
  --bootstrap N           bootstrap rounds for the 95% intervals (default 100, 0 = none)
  --seed S                bootstrap seed, an integer (default 1)
  --anchor MODEL=RATING   shift BT ratings so MODEL gets RATING
  --format table|json|csv output format (default table)
  --skip-invalid          skip invalid records instead of stopping (counted on stderr)

Filters (rows without the field a filter needs are dropped by that filter):
  --include-named         keep named battles too (default: drop rows with "anony": false)
  --exclude-ties          drop both kinds of tie
  --language L            only this language (case-insensitive)
  --turns N|MIN-MAX|MIN-  number of turns
  --from DATE, --to DATE  tstamp range; YYYY-MM-DD (UTC, --to includes that day),
                          ISO timestamp or unix seconds
  --evaluation ID         only battles with this evaluation_id
  --min-battles N         drop models with fewer battles, and their battles

  --verify SNAPSHOT.json  check a published snapshot against --battles (an export)
                          instead: see \`arena ratings --verify --help\`
`;

const OPTIONS = {
  battles: { type: 'string' },
  method: { type: 'string', default: 'both' },
  bootstrap: { type: 'string', default: '100' },
  seed: { type: 'string', default: '1' },
  anchor: { type: 'string' },
  format: { type: 'string', default: 'table' },
  'skip-invalid': { type: 'boolean', default: false },
  'include-named': { type: 'boolean', default: false },
  'exclude-ties': { type: 'boolean', default: false },
  language: { type: 'string' },
  turns: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  evaluation: { type: 'string' },
  'min-battles': { type: 'string', default: '0' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type OutputFormat = 'table' | 'json' | 'csv';

export interface RatingsArgs {
  help: boolean;
  battles: string;
  method: RatingMethod;
  bootstrap: number;
  seed: number;
  anchor?: { model: string; rating: number };
  format: OutputFormat;
  skipInvalid: boolean;
  filters: BattleFilterOptions;
  minBattles: number;
}

class UsageError extends Error {}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}`);
  return n;
}

function parseTurns(value: string): number | { min?: number; max?: number } {
  const match = /^(\d+)?(-)?(\d+)?$/.exec(value);
  if (!match || (!match[1] && !match[3]) || (!match[2] && match[3])) throw new UsageError('--turns must be N, MIN-MAX or MIN-');
  if (!match[2]) return Number(match[1]);
  return { ...(match[1] ? { min: Number(match[1]) } : {}), ...(match[3] ? { max: Number(match[3]) } : {}) };
}

function parseAnchor(value: string): { model: string; rating: number } {
  const at = value.lastIndexOf('=');
  const rating = Number(value.slice(at + 1));
  if (at <= 0 || value.slice(at + 1).trim() === '' || !Number.isFinite(rating)) throw new UsageError('--anchor must be MODEL=RATING');
  return { model: value.slice(0, at), rating };
}

function dateBound(flag: 'from' | 'to', value: string): number {
  try {
    return parseDateBound(value, flag);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
}

function parseOrThrow(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseRatingsArgs(argv: string[]): RatingsArgs {
  const values = parseOrThrow(argv);
  if (values.help) return { help: true } as RatingsArgs;
  if (!values.battles) throw new UsageError('--battles FILE is required');
  const method = oneOf('method', values.method, ['bt', 'elo', 'both'] as const);
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
  if (anchor && method === 'elo') throw new UsageError('--anchor applies to Bradley-Terry ratings (--method bt or both)');
  const filters: BattleFilterOptions = {
    includeNamed: values['include-named'],
    excludeTies: values['exclude-ties'],
    ...(values.language !== undefined && { language: values.language }),
    ...(values.turns !== undefined && { turns: parseTurns(values.turns) }),
    ...(values.from !== undefined && { from: dateBound('from', values.from) }),
    ...(values.to !== undefined && { to: dateBound('to', values.to) }),
    ...(values.evaluation !== undefined && { evaluationId: values.evaluation }),
  };
  return {
    help: false,
    battles: values.battles,
    method,
    bootstrap: integer('bootstrap', values.bootstrap, 0),
    seed: integer('seed', values.seed, 0),
    ...(anchor && { anchor }),
    format: oneOf('format', values.format, ['table', 'json', 'csv'] as const),
    skipInvalid: values['skip-invalid'],
    filters,
    minBattles: integer('min-battles', values['min-battles'], 0),
  };
}

/**
 * Streams the file through the filters. Bradley-Terry alone ignores order, so it aggregates on the
 * fly (memory O(models²)); Elo needs the battles in order, kept as 9-byte columns.
 */
async function rankFile(args: RatingsArgs): Promise<{ board: RatingsLeaderboard | null; read: ReadSummary }> {
  const keep = makeBattlePredicate(args.filters);
  const scan = (add: (a: string, b: string, winner: BattleOutcome) => void) =>
    scanBattleFile(
      args.battles,
      (battle) => {
        if (keep(battle)) add(battle.model_a, battle.model_b, battle.winner);
      },
      { skipInvalid: args.skipInvalid },
    );
  const options: RankOptions = {
    method: args.method,
    bootstrap: args.bootstrap,
    seed: args.seed,
    ...(args.anchor && { anchor: args.anchor }),
  };
  if (args.method === 'bt') {
    const builder = new BattleCountsBuilder();
    const read = await scan((a, b, winner) => builder.add(a, b, winner));
    const counts = dropSparseModelsFromCounts(builder.build(), args.minBattles);
    return { read, board: counts.battles > 0 ? rankModelsFromCounts(counts, options) : null };
  }
  const builder = new BattleColumnsBuilder();
  const read = await scan((a, b, winner) => builder.add(a, b, winner));
  const columns = dropSparseModels(builder.build(), args.minBattles);
  return { read, board: columns.length > 0 ? rankModelsFromColumns(columns, options) : null };
}

export async function runRatingsCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.some((a) => a === '--verify' || a.startsWith('--verify='))) return runVerifyCli(argv, io);
  let args: RatingsArgs;
  try {
    args = parseRatingsArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`arena ratings: ${error.message}\nRun \`arena ratings --help\` for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(RATINGS_USAGE);
    return 0;
  }
  try {
    const { board, read } = await rankFile(args);
    if (read.skipped > 0) {
      io.stderr.write(`skipped ${read.skipped} invalid record(s), e.g. ${read.skippedExamples[0]}\n`);
    }
    if (board === null) {
      io.stderr.write(`arena ratings: no battles left after filtering (${read.records} read)\n`);
      return 1;
    }
    if (!board.converged) io.stderr.write('warning: the Bradley-Terry fit did not converge; see the notes below\n');
    for (const warning of board.warnings) io.stderr.write(`warning: ${warning}\n`);
    io.stdout.write(FORMATTERS[args.format](board));
    return 0;
  } catch (error) {
    const known = error instanceof BattleFileError || error instanceof RangeError || isFileSystemError(error);
    if (!known) throw error;
    io.stderr.write(`arena ratings: ${error instanceof BattleFileError ? `${args.battles}: ` : ''}${(error as Error).message}\n`);
    return 1;
  }
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

/** JSON has no NaN or Infinity. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function toJson(board: RatingsLeaderboard): string {
  const models = board.models.map((m) => ({
    model: m.model,
    rating: finiteOrNull(m.rating),
    ci: m.ci && { lower: finiteOrNull(m.ci.lower), median: finiteOrNull(m.ci.median), upper: finiteOrNull(m.ci.upper) },
    rankUB: m.rankUB,
    battles: m.battles,
    wins: m.wins,
    losses: m.losses,
    ties: m.ties,
    elo: finiteOrNull(m.elo),
  }));
  return `${JSON.stringify({ ...board, models }, null, 2)}\n`;
}

function csvField(value: string | number | null): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(board: RatingsLeaderboard): string {
  const header = 'rank_ub,model,rating,ci_lower,ci_median,ci_upper,battles,wins,losses,ties,elo';
  const rows = board.models.map((m) =>
    [m.rankUB, m.model, m.rating, m.ci?.lower ?? null, m.ci?.median ?? null, m.ci?.upper ?? null, m.battles, m.wins, m.losses, m.ties, m.elo]
      .map(csvField)
      .join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

function toTable(board: RatingsLeaderboard): string {
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x).toString() : '—');
  const showElo = board.method === 'both';
  const rows = board.models.map((m) => [
    String(m.rankUB),
    m.model,
    round(m.rating),
    m.ci ? `+${round(m.ci.upper - m.rating)}/-${round(m.rating - m.ci.lower)}` : '',
    String(m.battles),
    ...(showElo ? [m.elo === null ? '' : round(m.elo)] : []),
  ]);
  const header = ['Rank (UB)', 'Model', board.method === 'elo' ? 'Elo' : 'Rating', '95% CI', 'Votes', ...(showElo ? ['Elo'] : [])];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const leftAligned = new Set([1]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (leftAligned.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const what = board.bootstrap ? `, 95% CI from ${board.bootstrap.rounds} bootstrap rounds (seed ${board.bootstrap.seed})` : '';
  const title = `${board.battles} battles, ${board.models.length} models; ${describeMethod(board.method)}${what}`;
  return [title, '', line(header), ...rows.map(line), ''].join('\n');
}

function describeMethod(method: RatingMethod): string {
  if (method === 'elo') return 'online Elo (k=4) in file order';
  return method === 'both' ? 'Bradley-Terry rating, online Elo alongside' : 'Bradley-Terry rating';
}

const FORMATTERS: Record<OutputFormat, (board: RatingsLeaderboard) => string> = { table: toTable, json: toJson, csv: toCsv };
