/** `arena ratings`: a leaderboard from a FastChat clean-battle file. */
import { parseArgs } from 'node:util';
import { INTERVAL_METHODS } from '../../protocol/types.ts';
import { type ReadSummary, scanBattleFile } from '../interop/battle-file.ts';
import { BattleFileError, type BattleRecord } from '../interop/battle-record.ts';
import { type BattleFilterOptions, makeBattlePredicate, parseDateBound } from '../ratings/filters.ts';
import type { RatingMethod } from '../ratings/summary.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import type { FitVote } from '../standings/fit-votes.ts';
import type { CliIo } from './io.ts';
import { type CliBoard, fitVoteOf, rankVotes } from './ratings-fit.ts';
import { FORMATTERS, type OutputFormat } from './ratings-format.ts';
import { rankPlainFile } from './ratings-rank.ts';
import { runVerifyCli } from './verify.ts';

export const RATINGS_USAGE = `Usage: arena ratings --battles FILE [options]

Ranks models from a FastChat clean-battle file (JSON Lines or a JSON array).

  --battles FILE          battle file (required)
  --method bt|elo|both    bt: Bradley-Terry with bootstrap intervals; elo: online Elo
                          in file order; both (default): BT rating plus an Elo column
  --bootstrap N           bootstrap rounds for the 95% intervals (default 100, 0 = none)
  --seed S                bootstrap seed, an integer (default 1)
  --anchor MODEL=RATING   shift BT ratings so MODEL gets RATING
  --ci bootstrap|sandwich|fisher
                          interval method (default bootstrap): sandwich is robust
                          (LMArena's), fisher model-based; both with the prior below
  --prior SD              the small-sample prior N(1000, SD²) of sandwich and fisher
                          (default 400; 0 = none): every rating finite at few votes
  --cluster FIELD         sandwich: votes with the same FIELD (e.g. judge) form one cluster
  --dedup SHARE           prompt deduplication: prompts above the 1 − SHARE quantile of
                          the per-prompt counts (user turns of conversation_a) count as
                          that many votes (FastChat uses 0.0001); default off
  --style-control         ratings with the style effect removed (tokens, headers, lists,
                          bold of the answers in conversation_a/b); sandwich by default
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
  ci: { type: 'string' },
  prior: { type: 'string' },
  cluster: { type: 'string' },
  dedup: { type: 'string' },
  'style-control': { type: 'boolean', default: false },
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

export interface RatingsArgs {
  help: boolean;
  battles: string;
  method: RatingMethod;
  bootstrap: number;
  seed: number;
  anchor?: { model: string; rating: number };
  intervals: IntervalChoice;
  cluster: string | null;
  dedup: number;
  styleControl: boolean;
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

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 0.5) throw new UsageError('--dedup must be a share from 0 to 0.5, e.g. 0.0001');
  return n;
}

/** --ci, --prior, --cluster and --style-control together; the bootstrap takes no prior and no clusters. */
function parseIntervals(
  values: ReturnType<typeof parseOrThrow>,
  method: RatingMethod,
): { intervals: IntervalChoice; cluster: string | null; styleControl: boolean } {
  const styleControl = values['style-control'];
  const asked = values.ci === undefined ? undefined : oneOf('ci', values.ci, INTERVAL_METHODS);
  if (styleControl && asked === 'bootstrap') throw new UsageError('--style-control has no bootstrap: use --ci sandwich or fisher');
  const ci = asked ?? (styleControl ? 'sandwich' : 'bootstrap');
  const modelBased = values.prior !== undefined || values.cluster !== undefined || styleControl || ci !== 'bootstrap' || values.dedup !== undefined;
  if (modelBased && method === 'elo')
    throw new UsageError('--ci, --prior, --cluster, --dedup and --style-control apply to Bradley-Terry ratings (--method bt or both)');
  if (ci === 'bootstrap' && values.prior !== undefined) throw new UsageError('--prior applies to --ci sandwich or fisher (the bootstrap refits without one)');
  if (ci !== 'sandwich' && values.cluster !== undefined) throw new UsageError('--cluster applies to --ci sandwich');
  const prior = values.prior === undefined ? 400 : Number(values.prior);
  if (!Number.isFinite(prior) || prior < 0 || (prior > 0 && prior < 50))
    throw new UsageError('--prior must be 0 (none) or a standard deviation of at least 50 rating points');
  return {
    intervals: { method: ci, clustered: values.cluster !== undefined, priorSd: ci === 'bootstrap' || prior === 0 ? null : prior },
    cluster: values.cluster ?? null,
    styleControl,
  };
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
  const chosen = parseIntervals(values, method);
  const dedup = values.dedup === undefined ? 0 : share(values.dedup);
  if (anchor && (chosen.intervals.method !== 'bootstrap' || dedup > 0)) throw new UsageError('--anchor applies to the default bootstrap fit');
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
    ...chosen,
    dedup,
    format: oneOf('format', values.format, ['table', 'json', 'csv'] as const),
    skipInvalid: values['skip-invalid'],
    filters,
    minBattles: integer('min-battles', values['min-battles'], 0),
  };
}

/** Streams the file through the filters: vote by vote for the model-based fits, else ratings-rank.ts. */
async function rankFile(args: RatingsArgs): Promise<{ board: CliBoard | null; read: ReadSummary }> {
  const keep = makeBattlePredicate(args.filters);
  if (args.intervals.method !== 'bootstrap' || args.dedup > 0 || args.styleControl) {
    const votes: FitVote[] = [];
    const add = (battle: BattleRecord) => {
      if (keep(battle)) votes.push(fitVoteOf(battle, args));
    };
    const read = await scanBattleFile(args.battles, add, { skipInvalid: args.skipInvalid });
    return { read, board: rankVotes(votes, args) };
  }
  return rankPlainFile(args);
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
