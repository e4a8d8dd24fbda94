/**
 * `arena ratings` with the default bootstrap intervals: the file read by the fast reader
 * (interop/battle-scan.ts; in two shares with a worker, parallel-read.ts) straight into counts or columns, the Bradley-Terry fit, then the
 * bootstrap spread over worker threads while this thread computes the online Elo column.
 */
import { stat } from 'node:fs/promises';
import type { ReadSummary } from '../interop/battle-file.ts';
import type { BootstrapJob, BootstrapResult } from '../ratings/bootstrap.ts';
import { BattleColumnsBuilder, BattleCountsBuilder, countBattles } from '../ratings/counts.ts';
import { onlineEloFromColumns } from '../ratings/elo.ts';
import { type BattleFilterOptions, dropSparseModels, dropSparseModelsFromCounts } from '../ratings/filters.ts';
import type { BattleOutcome } from '../ratings/outcomes.ts';
import {
  leaderboardFromFit,
  planBradleyTerry,
  type RankOptions,
  type RatingMethod,
  type RatingsLeaderboard,
  rankModelsFromColumns,
} from '../ratings/summary.ts';
import { BootstrapPool, estimatedBootstrapMs, WORKERS_PAY_OFF_MS } from './bootstrap-pool.ts';
import { readForRatings } from './parallel-read.ts';
import type { CliBoard } from './ratings-fit.ts';

export interface PlainRankArgs {
  battles: string;
  method: RatingMethod;
  bootstrap: number;
  seed: number;
  anchor?: { model: string; rating: number };
  skipInvalid: boolean;
  filters: BattleFilterOptions;
  minBattles: number;
}

/** Files from this size on start the workers before reading: the read hides their start-up. */
const PRESTART_BYTES = 16 << 20;

async function startPool(args: PlainRankArgs): Promise<BootstrapPool> {
  if (args.method === 'elo' || args.bootstrap < 20) return BootstrapPool.none();
  const { size } = await stat(args.battles);
  return size >= PRESTART_BYTES ? BootstrapPool.start() : BootstrapPool.none();
}

/** The bootstrap on the pool when it repays the workers, else on this thread; `meanwhile` runs here either way. */
async function bootstrapOn(pool: BootstrapPool, job: BootstrapJob, rounds: number, meanwhile: () => void): Promise<BootstrapResult> {
  if (pool.size > 0 && estimatedBootstrapMs(job, rounds) >= WORKERS_PAY_OFF_MS) return pool.run(job, rounds, meanwhile);
  await pool.close();
  return BootstrapPool.none().run(job, rounds, meanwhile);
}

const plain = (board: RatingsLeaderboard): CliBoard => ({
  ...board,
  intervals: board.method === 'elo' ? null : { method: 'bootstrap', clustered: false, prior: null },
  style: null,
  promptDedup: null,
});

/**
 * Bradley-Terry alone ignores order, so it aggregates on the fly (memory O(models²)); Elo needs
 * the battles in order, kept as 9-byte columns.
 */
export async function rankPlainFile(args: PlainRankArgs): Promise<{ board: CliBoard | null; read: ReadSummary }> {
  const options: RankOptions = { method: args.method, bootstrap: args.bootstrap, seed: args.seed, ...(args.anchor && { anchor: args.anchor }) };
  const pool = await startPool(args);
  const scan = (add: (a: string, b: string, winner: BattleOutcome) => void) => readForRatings(pool, args, add);
  try {
    if (args.method === 'bt') {
      const builder = new BattleCountsBuilder();
      const read = await scan((a, b, winner) => builder.add(a, b, winner));
      const counts = dropSparseModelsFromCounts(builder.build(), args.minBattles);
      if (counts.battles === 0) return { read, board: null };
      const plan = planBradleyTerry(counts, options);
      const boot = plan.job ? await bootstrapOn(pool, plan.job, plan.rounds, () => {}) : null;
      return { read, board: plain(leaderboardFromFit(counts, null, { ...options, method: 'bt' }, plan.fit, boot).board) };
    }
    const builder = new BattleColumnsBuilder();
    const read = await scan((a, b, winner) => builder.add(a, b, winner));
    const columns = dropSparseModels(builder.build(), args.minBattles);
    if (columns.length === 0) return { read, board: null };
    if (args.method === 'elo') return { read, board: plain(rankModelsFromColumns(columns, options)) };
    const counts = countBattles(columns);
    const plan = planBradleyTerry(counts, options);
    let elo: Float64Array | null = null;
    const computeElo = () => {
      elo = onlineEloFromColumns(columns);
    };
    const boot = plan.job ? await bootstrapOn(pool, plan.job, plan.rounds, computeElo) : null;
    if (elo === null) computeElo();
    return { read, board: plain(leaderboardFromFit(counts, elo, { ...options, method: 'both' }, plan.fit, boot).board) };
  } finally {
    await pool.close();
  }
}
