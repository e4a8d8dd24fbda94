/**
 * Scenario 4, ratings: runs bench/ratings.ts (Bradley-Terry + 100 bootstrap rounds on synthetic
 * FastChat-style battle files, maintained alongside the ratings engine) and reports its rows.
 */
import type { ScenarioResult, Target } from './report.ts';

interface RatingsRow {
  scenario: string;
  battles: number;
  /** Seconds unless `unit` says otherwise. */
  seconds: number;
  unit?: string;
  digits?: number;
  target?: Target;
  peakRssMb?: number;
  notes?: string;
}

export async function benchRatingsScenario(opts: { sizes: number[] }): Promise<ScenarioResult> {
  // Loaded lazily and checked at run time: the module evolves with the ratings engine.
  const mod: { benchRatings?: (o: { sizes: number[] }) => Promise<unknown> } = await import('../ratings.ts');
  if (typeof mod.benchRatings !== 'function') throw new Error('bench/ratings.ts exports no benchRatings()');
  const rows = (await mod.benchRatings({ sizes: opts.sizes })) as RatingsRow[];
  if (!Array.isArray(rows) || rows.some((r) => typeof r.seconds !== 'number' || typeof r.battles !== 'number')) {
    throw new Error('benchRatings() returned rows without `battles` and `seconds`');
  }
  return {
    name: 'Ratings',
    setup: `bench/ratings.ts: synthetic FastChat-style JSONL (100 models), read + Bradley-Terry + 100 bootstrap rounds, one child process per run; sizes ${opts.sizes.map((n) => n.toLocaleString('en-US')).join(', ')}; up to 1M battles also the compiled \`arena ratings\` against the Python peer (bench/peer/fastchat_bt.py: FastChat's method with pandas + scipy) in the same run.`,
    figures: rows.flatMap((r) => [
      {
        metric: `${r.battles.toLocaleString('en-US')} battles: ${r.scenario}`,
        value: r.seconds,
        unit: r.unit ?? 's',
        digits: r.digits ?? 2,
        ...(r.target && { target: r.target }),
      },
      ...(typeof r.peakRssMb === 'number' && Number.isFinite(r.peakRssMb)
        ? [{ metric: `${r.battles.toLocaleString('en-US')} battles: peak RSS`, value: r.peakRssMb, unit: 'MB' }]
        : []),
    ]),
    notes: rows.filter((r) => r.notes).map((r) => `${r.battles.toLocaleString('en-US')} battles, ${r.scenario}: ${r.notes}`),
  };
}
