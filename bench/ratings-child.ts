/**
 * One benchmark measurement in its own process, so peak RSS belongs to this run alone:
 *   node --import tsx bench/ratings-child.ts FILE [ROUNDS]
 * Reads the JSONL file through the same path as `arena ratings --method bt` (JSON.parse and
 * validation per line, filters, aggregation into counts), fits Bradley-Terry, runs the bootstrap,
 * and prints one JSON line with phase timings and peak memory.
 */
import { scanBattleFile } from '../server/interop/battle-file.ts';
import { BattleCountsBuilder } from '../server/ratings/counts.ts';
import { makeBattlePredicate } from '../server/ratings/filters.ts';
import { rankModelsFromCounts } from '../server/ratings/summary.ts';

export interface ChildReport {
  battles: number;
  models: number;
  readSeconds: number;
  rateSeconds: number;
  totalSeconds: number;
  peakRssMb: number;
  converged: boolean;
  iterations: number | null;
  topModel: string;
}

async function main(file: string, rounds: number): Promise<ChildReport> {
  const started = performance.now();
  const keep = makeBattlePredicate({});
  const builder = new BattleCountsBuilder();
  await scanBattleFile(file, (battle) => {
    if (keep(battle)) builder.add(battle.model_a, battle.model_b, battle.winner);
  });
  const counts = builder.build();
  const read = performance.now();
  const board = rankModelsFromCounts(counts, { method: 'bt', bootstrap: rounds, seed: 1 });
  const done = performance.now();
  return {
    battles: board.battles,
    models: board.models.length,
    readSeconds: (read - started) / 1000,
    rateSeconds: (done - read) / 1000,
    totalSeconds: (done - started) / 1000,
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
