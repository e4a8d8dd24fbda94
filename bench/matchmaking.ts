/**
 * Scenario "matchmaking": does the active policy pay? Simulated arenas of 12 and 30 models spread
 * over 700 rating points, through the real matchmaking code, active against uniform over several
 * seeds: votes until every neighbour pair is separated, and until the mean neighbour interval is
 * narrower than the true gap between neighbours.
 *   node --import tsx bench/matchmaking.ts [--quick]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatchmakingPolicy } from '../server/arena/matchmaking.ts';
import { type SimulationResult, simulate } from './matchmaking-sim.ts';
import type { Figure, ScenarioResult } from './support/report.ts';

const SPREAD = 700;
const MAX_VOTES = 1_500_000;
const GOAL = 1.5;

interface Size {
  models: number;
  seeds: number;
  refitEvery: number;
}

const share = ([covered, total]: number[]) => `${((100 * covered!) / Math.max(total!, 1)).toFixed(1)}% (${covered}/${total})`;

const yieldToTimers = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Paired {
  uniform: number;
  active: number;
}

function summary(pairs: Paired[]): { uniform: number; active: number; ratio: number; low: number; high: number; censored: number } {
  const complete = pairs.filter((p) => Number.isFinite(p.uniform) && Number.isFinite(p.active));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const ratios = complete.map((p) => p.uniform / p.active);
  const uniform = mean(complete.map((p) => p.uniform));
  const active = mean(complete.map((p) => p.active));
  return { uniform, active, ratio: uniform / active, low: Math.min(...ratios), high: Math.max(...ratios), censored: pairs.length - complete.length };
}

async function runSize(size: Size): Promise<{ figures: Figure[]; notes: string[] }> {
  const gap = SPREAD / (size.models - 1);
  const separate: Paired[] = [];
  const width: Paired[] = [];
  const details: string[] = [];
  let wrongOrder = 0;
  const coverage = { uniform: [0, 0], active: [0, 0] };
  for (let seed = 1; seed <= size.seeds; seed++) {
    const runs = {} as Record<'uniform' | 'active', SimulationResult>;
    for (const policy of ['uniform', 'active'] as const satisfies readonly MatchmakingPolicy[]) {
      runs[policy] = simulate({ models: size.models, spread: SPREAD, policy, seed, refitEvery: size.refitEvery, widthTarget: gap, maxVotes: MAX_VOTES });
      if (runs[policy].orderCorrectAtSeparation === false) wrongOrder++;
      coverage[policy][0]! += runs[policy].coveredAtWidth;
      coverage[policy][1]! += runs[policy].neighboursAtWidth;
      await yieldToTimers();
    }
    const value = (x: number | null) => x ?? Infinity;
    separate.push({ uniform: value(runs.uniform.votesToSeparateAll), active: value(runs.active.votesToSeparateAll) });
    width.push({ uniform: value(runs.uniform.votesToWidth), active: value(runs.active.votesToWidth) });
    details.push(`seed ${seed}: ${runs.uniform.votesToSeparateAll ?? '>max'} / ${runs.active.votesToSeparateAll ?? '>max'}`);
  }
  const s = summary(separate);
  const w = summary(width);
  const label = `${size.models} models`;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  return {
    figures: [
      { metric: `${label}: votes until every neighbour pair is separated, uniform`, value: s.uniform, unit: 'votes' },
      { metric: `${label}: the same, active`, value: s.active, unit: 'votes' },
      { metric: `${label}: uniform ÷ active (all separated)`, value: s.ratio, unit: '×', digits: 2, target: { kind: 'min', value: GOAL } },
      {
        metric: `${label}: uniform ÷ active (mean neighbour interval < ${gap.toFixed(0)} points)`,
        value: w.ratio,
        unit: '×',
        digits: 2,
        target: { kind: 'min', value: GOAL },
      },
    ],
    notes: [
      `${label}, ${size.seeds} seeds, refit every ${size.refitEvery} votes: all separated after ${fmt(s.uniform)} (uniform) and ${fmt(s.active)} (active) votes on average; ` +
        `ratio ${s.ratio.toFixed(2)}×, per seed ${s.low.toFixed(2)}–${s.high.toFixed(2)}×${s.censored ? ` (${s.censored} seeds hit the ${fmt(MAX_VOTES)}-vote cap and are left out)` : ''}.`,
      `${label}: mean neighbour interval below the true gap (${gap.toFixed(1)} points) after ${fmt(w.uniform)} (uniform) and ${fmt(w.active)} (active) votes; ` +
        `ratio ${w.ratio.toFixed(2)}×, per seed ${w.low.toFixed(2)}–${w.high.toFixed(2)}×.`,
      `${label}, votes to separate all per seed (uniform / active): ${details.join('; ')}. Fitted order wrong at separation in ${wrongOrder} of ${2 * size.seeds} runs.`,
      `${label}: when the width target was reached, the 95% neighbour intervals held the true difference ${share(coverage.uniform)} of the time under uniform and ${share(coverage.active)} under active sampling.`,
    ],
  };
}

export async function benchMatchmaking(opts: { quick: boolean }): Promise<ScenarioResult> {
  const sizes: Size[] = opts.quick
    ? [
        { models: 12, seeds: 3, refitEvery: 20 },
        { models: 30, seeds: 1, refitEvery: 50 },
      ]
    : [
        { models: 12, seeds: 10, refitEvery: 20 },
        { models: 30, seeds: 6, refitEvery: 50 },
      ];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    const result = await runSize(size);
    figures.push(...result.figures);
    notes.push(...result.notes);
  }
  return {
    name: 'Matchmaking',
    setup:
      `bench/matchmaking-sim.ts: evenly spaced true ratings over ${SPREAD} points, decisive votes drawn from Bradley-Terry, pairs from pickPair() ` +
      '(server/arena/matchmaking.ts, default options), standings refitted every few votes (prior sd 400, model-based intervals) and neighbour ' +
      'separation read from neighboursFromCovariance(); each seed runs both policies.',
    figures,
    notes,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchMatchmaking({ quick: process.argv.includes('--quick') });
  for (const f of result.figures) process.stdout.write(`${f.metric}: ${f.value.toFixed(f.digits ?? 0)} ${f.unit}\n`);
  for (const n of result.notes) process.stdout.write(`- ${n}\n`);
}
