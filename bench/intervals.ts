/**
 * Scenario "intervals": how often 95% intervals cover the true ratings, by method, at 1,000,000
 * votes among 100 models (a few replications) and at 30 votes among 4 models (many replications).
 *   node --import tsx bench/intervals.ts [--quick]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyCounts } from '../server/ratings/counts.ts';
import { type IntervalMethod, robustRatings } from '../server/ratings/intervals.ts';
import { type PairRows, rowsFromCounts } from '../server/ratings/pair-rows.ts';
import { Xoshiro128 } from '../server/ratings/random.ts';
import type { Figure, ScenarioResult } from './support/report.ts';

const PRIOR_SD = 400;
const VOTERS = 5_000;

interface Method {
  label: string;
  method: IntervalMethod;
  priorSd?: number;
  clustered?: boolean;
}

/** Decisive votes on uniformly drawn pairs; returns aggregated rows, and vote-level rows clustered by voter when asked. */
function simulateRows(truth: readonly number[], votes: number, random: Xoshiro128, withVoters: boolean): { counts: PairRows; votes?: PairRows } {
  const m = truth.length;
  const names = truth.map((_, i) => `model-${String(i).padStart(3, '0')}`);
  const counts = emptyCounts(names);
  const a = withVoters ? new Int32Array(votes) : null;
  const b = withVoters ? new Int32Array(votes) : null;
  const y = withVoters ? new Float64Array(votes) : null;
  for (let k = 0; k < votes; k++) {
    const i = Math.floor(random.nextFloat() * m);
    let j = Math.floor(random.nextFloat() * (m - 1));
    if (j >= i) j++;
    const won = random.nextFloat() < 1 / (1 + 10 ** ((truth[j]! - truth[i]!) / 400));
    counts.wins[won ? i * m + j : j * m + i]!++;
    if (a && b && y) {
      a[k] = i;
      b[k] = j;
      y[k] = won ? 1 : 0;
    }
  }
  const aggregated = rowsFromCounts({ ...counts, battles: votes });
  if (!a || !b || !y) return { counts: aggregated };
  const cluster = Int32Array.from({ length: votes }, (_, k) => k % VOTERS);
  return { counts: aggregated, votes: { models: names, length: votes, a, b, y, count: new Float64Array(votes).fill(1), cluster } };
}

function coverage(truth: readonly number[], rows: PairRows, method: Method): { covered: number; total: number; width: number; finite: boolean } {
  const mean = truth.reduce((s, t) => s + t, 0) / truth.length;
  const result = robustRatings(rows, { priorSd: method.priorSd, method: method.method, clustered: method.clustered });
  let covered = 0;
  let width = 0;
  let finite = true;
  result.ratingIntervals.forEach((interval, i) => {
    const target = truth[i]! - mean + 1000;
    if (interval.lower <= target && target <= interval.upper) covered++;
    width += interval.upper - interval.lower;
    finite &&= Number.isFinite(interval.upper - interval.lower);
  });
  return { covered, total: truth.length, width, finite };
}

const yieldToTimers = () => new Promise<void>((resolve) => setImmediate(resolve));

async function large(replications: number, votes: number): Promise<{ figures: Figure[]; notes: string[] }> {
  const truth = Array.from({ length: 100 }, (_, i) => 480 - (960 * i) / 99);
  const methods: Method[] = [
    { label: 'sandwich', method: 'sandwich' },
    { label: 'model-based (Fisher)', method: 'fisher' },
    { label: `prior sd ${PRIOR_SD}, model-based`, method: 'fisher', priorSd: PRIOR_SD },
  ];
  const tally = methods.map(() => ({ covered: 0, total: 0, width: 0 }));
  const clusteredTally = { covered: 0, total: 0, width: 0 };
  const started = performance.now();
  for (let r = 0; r < replications; r++) {
    const rows = simulateRows(truth, votes, new Xoshiro128(1000 + r), r === 0);
    methods.forEach((method, k) => {
      const c = coverage(truth, rows.counts, method);
      tally[k]!.covered += c.covered;
      tally[k]!.total += c.total;
      tally[k]!.width += c.width;
    });
    if (rows.votes) Object.assign(clusteredTally, coverage(truth, rows.votes, { label: 'clustered', method: 'sandwich', clustered: true }));
    await yieldToTimers();
  }
  const label = `${votes.toLocaleString('en-US')} votes, 100 models`;
  const figures: Figure[] = methods.map((method, k) => ({
    metric: `${label}: 95% coverage, ${method.label}`,
    value: (100 * tally[k]!.covered) / tally[k]!.total,
    unit: '%',
    digits: 1,
    target: { kind: 'min', value: 90 },
  }));
  figures.push({
    metric: `${label}: 95% coverage, sandwich clustered by voter (1 replication)`,
    value: (100 * clusteredTally.covered) / Math.max(clusteredTally.total, 1),
    unit: '%',
    digits: 1,
  });
  return {
    figures,
    notes: [
      `${label}: ${replications} replications (${tally[0]!.total} intervals per method), true ratings evenly spaced over 960 points, decisive votes on uniformly drawn pairs; ` +
        `mean interval width ${methods.map((m, k) => `${m.label} ${(tally[k]!.width / tally[k]!.total).toFixed(1)}`).join(', ')}, ` +
        `clustered (${VOTERS.toLocaleString('en-US')} voters, independent votes) ${(clusteredTally.width / Math.max(clusteredTally.total, 1)).toFixed(1)} points. ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s in all, simulation included.`,
    ],
  };
}

async function small(replications: number): Promise<{ figures: Figure[]; notes: string[] }> {
  const configurations: Array<[string, number[]]> = [
    ['equal', [0, 0, 0, 0]],
    ['over 300 points', [150, 50, -50, -150]],
    ['over 700 points', [350, 117, -117, -350]],
  ];
  const methods: Method[] = [
    { label: `prior sd ${PRIOR_SD}, model-based`, method: 'fisher', priorSd: PRIOR_SD },
    { label: `prior sd ${PRIOR_SD}, sandwich`, method: 'sandwich', priorSd: PRIOR_SD },
  ];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const [name, truth] of configurations) {
    const random = new Xoshiro128(7);
    const tally = methods.map(() => ({ covered: 0, total: 0, width: 0, finite: true }));
    for (let r = 0; r < replications; r++) {
      const { counts } = simulateRows(truth, 30, random, false);
      methods.forEach((method, k) => {
        const c = coverage(truth, counts, method);
        tally[k]!.covered += c.covered;
        tally[k]!.total += c.total;
        tally[k]!.width += c.width;
        tally[k]!.finite &&= c.finite;
      });
    }
    methods.forEach((method, k) => {
      const t = tally[k]!;
      figures.push({
        metric: `30 votes, 4 models ${name}: 95% coverage, ${method.label}`,
        value: (100 * t.covered) / t.total,
        unit: '%',
        digits: 1,
        ...(k === 0 ? { target: { kind: 'min' as const, value: 90 } } : {}),
      });
      notes.push(`30 votes, 4 models ${name}, ${method.label}: mean width ${(t.width / t.total).toFixed(0)} points; every interval finite: ${t.finite}.`);
    });
    await yieldToTimers();
  }
  notes.unshift(
    `30 votes among 4 models: ${replications} replications per configuration (${4 * replications} intervals); the maximum-likelihood fit has no finite ratings in many of them.`,
  );
  return { figures, notes };
}

export async function benchIntervals(opts: { quick: boolean }): Promise<ScenarioResult> {
  const big = await large(opts.quick ? 1 : 20, opts.quick ? 100_000 : 1_000_000);
  const little = await small(opts.quick ? 300 : 2_000);
  return {
    name: 'Intervals',
    setup:
      'bench/intervals.ts: robustRatings() (server/ratings/intervals.ts) on simulated Bradley-Terry votes; coverage = share of 95% intervals ' +
      'containing the true (centred) rating; target 90–98%.',
    figures: [...big.figures, ...little.figures],
    notes: [...big.notes, ...little.notes],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchIntervals({ quick: process.argv.includes('--quick') });
  for (const f of result.figures) process.stdout.write(`${f.metric}: ${f.value.toFixed(f.digits ?? 0)} ${f.unit}\n`);
  for (const n of result.notes) process.stdout.write(`- ${n}\n`);
}
