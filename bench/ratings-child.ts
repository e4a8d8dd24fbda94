/**
 * One benchmark measurement in its own process, so peak RSS belongs to this run alone:
 *   node --import tsx bench/ratings-child.ts FILE [ROUNDS]
 * Reads the JSONL file through the same path as `arena ratings --method bt` (the fast reader in two
 * shares, filters, aggregation into counts), fits Bradley-Terry, runs the bootstrap over the pool,
 * and prints one JSON line with phase timings and peak memory.
 */
import { stat } from 'node:fs/promises';
import { BootstrapPool, estimatedBootstrapMs, WORKERS_PAY_OFF_MS } from '../server/cli/bootstrap-pool.ts';
import { readForRatings } from '../server/cli/parallel-read.ts';
import { BattleCountsBuilder } from '../server/ratings/counts.ts';
import { leaderboardFromFit, planBradleyTerry } from '../server/ratings/summary.ts';

export interface ChildReport {
  battles: number;
  models: number;
  readSeconds: number;
  fitSeconds: number;
  bootstrapSeconds: number;
  /** Fit and bootstrap together. */
  rateSeconds: number;
  totalSeconds: number;
  workers: number;
  peakRssMb: number;
  converged: boolean;
  iterations: number | null;
  topModel: string;
}

async function main(file: string, rounds: number): Promise<ChildReport> {
  const started = performance.now();
  const pool = (await stat(file)).size >= 16 << 20 ? BootstrapPool.start() : BootstrapPool.none();
  const builder = new BattleCountsBuilder();
  await readForRatings(pool, { battles: file, filters: {}, skipInvalid: false }, (a, b, winner) => builder.add(a, b, winner));
  const counts = builder.build();
  const read = performance.now();
  const options = { method: 'bt' as const, bootstrap: rounds, seed: 1 };
  const plan = planBradleyTerry(counts, options);
  const fitted = performance.now();
  const usePool = plan.job !== null && estimatedBootstrapMs(plan.job, rounds) >= WORKERS_PAY_OFF_MS;
  const boot = plan.job ? await (usePool ? pool : BootstrapPool.none()).run(plan.job, rounds) : null;
  const board = leaderboardFromFit(counts, null, options, plan.fit, boot).board;
  const done = performance.now();
  await pool.close();
  return {
    battles: board.battles,
    models: board.models.length,
    readSeconds: (read - started) / 1000,
    fitSeconds: (fitted - read) / 1000,
    bootstrapSeconds: (done - fitted) / 1000,
    rateSeconds: (done - read) / 1000,
    totalSeconds: (done - started) / 1000,
    workers: usePool ? pool.size : 0,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    converged: board.converged,
    iterations: board.iterations,
    topModel: board.models[0]!.model,
  };
}

const [file, rounds = '100'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node --import tsx bench/ratings-child.ts FILE [ROUNDS]\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(await main(file, Number(rounds)))}\n`);
}
