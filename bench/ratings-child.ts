/**
 * One benchmark measurement in its own process, so peak RSS belongs to this run alone:
 *   node --import tsx bench/ratings-child.ts FILE [fast|json] [ROUNDS]
 * Reads the JSONL file through the same path as `arena ratings`, fits Bradley-Terry, runs the
 * bootstrap, and prints one JSON line with phase timings and peak memory.
 */
import { scanBattleFile } from '../server/ratings/battle-file.ts';
import { BattleColumnsBuilder } from '../server/ratings/counts.ts';
import { makeBattlePredicate } from '../server/ratings/filters.ts';
import { rankModelsFromColumns } from '../server/ratings/summary.ts';

export interface ChildReport {
  battles: number;
  models: number;
  readSeconds: number;
  rateSeconds: number;
  totalSeconds: number;
  peakRssMb: number;
  converged: boolean;
  iterations: number | null;
  /** Largest |fitted − true| rating, when the generator's truth is known. */
  topModel: string;
}

async function main(file: string, reader: 'fast' | 'json', rounds: number): Promise<ChildReport> {
  const started = performance.now();
  const keep = makeBattlePredicate({});
  const builder = new BattleColumnsBuilder();
  await scanBattleFile(
    file,
    (battle) => {
      if (keep(battle)) builder.add(battle.model_a, battle.model_b, battle.winner);
    },
    { fields: reader === 'fast' ? 'ratings' : 'all' },
  );
  const columns = builder.build();
  const read = performance.now();
  const board = rankModelsFromColumns(columns, { method: 'bt', bootstrap: rounds, seed: 1 });
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

const [file, reader = 'fast', rounds = '100'] = process.argv.slice(2);
if (!file || (reader !== 'fast' && reader !== 'json')) {
  process.stderr.write('usage: node --import tsx bench/ratings-child.ts FILE [fast|json] [ROUNDS]\n');
  process.exitCode = 2;
} else {
  process.stdout.write(JSON.stringify(await main(file, reader, Number(rounds))) + '\n');
}
