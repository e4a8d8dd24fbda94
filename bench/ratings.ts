/**
 * Ratings benchmark: synthetic FastChat-style JSONL files (100 models with known strengths) of
 * each size, then read + Bradley-Terry + 100 bootstrap rounds in a child process per run; for 1M
 * battles and below also `arena ratings` itself (the compiled build, as a user runs it) against the
 * Python peer (bench/peer/fastchat_bt.py, FastChat's method with pandas + scipy) in the same run:
 * the speed-up and the largest rating difference.
 *   node --import tsx bench/ratings.ts [SIZE ...]      (default 1000000 10000000)
 * Files go to the OS temp directory and are reused between runs.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Xoshiro128 } from '../server/ratings/random.ts';
import type { ChildReport } from './ratings-child.ts';
import { ensureCompiledServer } from './support/compiled-build.ts';
import { otherLoadMeter } from './support/machine.ts';
import type { Target } from './support/report.ts';
import { REPO_ROOT } from './support/server-process.ts';

export interface BenchRow {
  scenario: string;
  battles: number;
  models: number;
  /** The row's value: seconds unless `unit` says otherwise. */
  seconds: number;
  unit?: string;
  digits?: number;
  target?: Target;
  peakRssMb: number;
  notes: string;
}

const MODELS = 100;
const TIE_RATE = 0.25;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEER = path.join(HERE, 'peer/fastchat_bt.py');

/** log10 strengths spread over ±1.2 (about ±480 rating points); model-000 is the strongest. */
export function trueStrengths(models = MODELS): number[] {
  return Array.from({ length: models }, (_, i) => 1.2 - (2.4 * i) / (models - 1));
}

/** Writes `battles` lines shaped like FastChat's clean battles; ties are drawn at a fixed rate. */
export async function writeSyntheticBattles(file: string, battles: number, seed = 1): Promise<void> {
  const theta = trueStrengths();
  const names = theta.map((_, i) => `model-${String(i).padStart(3, '0')}`);
  const random = new Xoshiro128(seed);
  const out = createWriteStream(file);
  let chunk = '';
  const start = 1_700_000_000;
  for (let k = 0; k < battles; k++) {
    const a = Math.floor(random.nextFloat() * MODELS);
    let b = Math.floor(random.nextFloat() * (MODELS - 1));
    if (b >= a) b++;
    const u = random.nextFloat();
    const winner =
      u < TIE_RATE ? (u < TIE_RATE / 2 ? 'tie' : 'tie (bothbad)') : random.nextFloat() < 1 / (1 + 10 ** (theta[b]! - theta[a]!)) ? 'model_a' : 'model_b';
    const tstamp = (start + k * 0.5 + random.nextFloat()).toFixed(4);
    chunk += `{"model_a": "${names[a]}", "model_b": "${names[b]}", "winner": "${winner}", "judge": "arena_user_${k % 5000}", "turn": 1, "anony": true, "language": "English", "tstamp": ${tstamp}}\n`;
    if (chunk.length > 1 << 22) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

async function ensureFile(battles: number): Promise<string> {
  const dir = path.join(tmpdir(), 'arena-bench-ratings');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `battles-${battles}.jsonl`);
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) await writeSyntheticBattles(file, battles);
  return file;
}

async function measureChild(file: string): Promise<{ report: ChildReport; wallSeconds: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(HERE, 'ratings-child.ts'), file, '100']);
  return { report: JSON.parse(stdout) as ChildReport, wallSeconds: (performance.now() - started) / 1000 };
}

const run = (command: string, args: string[]) => promisify(execFile)(command, args, { cwd: REPO_ROOT, maxBuffer: 64 << 20 });

interface Timed<T> {
  value: T;
  seconds: number;
  /** CPU seconds (user + system) of the child processes, all their threads. */
  cpuSeconds: number;
  /** Cores other processes used meanwhile. */
  others: number;
}

/** User + system seconds of this process's reaped children (Linux /proc; NaN elsewhere). */
function childrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (fields[13]! + fields[14]!) / 100; // cutime, cstime in clock ticks
  } catch {
    return Number.NaN;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const meter = otherLoadMeter();
  const cpu = childrenCpuSeconds();
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: childrenCpuSeconds() - cpu, others: meter.stop() };
}

/** `arena ratings` as a user runs it: the compiled CLI, default method (BT + Elo column), 100 rounds. */
function runOurs(file: string): Promise<Timed<Map<string, number>>> {
  return timed(async () => {
    const { stdout } = await run(process.execPath, [
      path.join(REPO_ROOT, 'dist/server/cli.js'),
      'ratings',
      '--battles',
      file,
      '--bootstrap',
      '100',
      '--format',
      'json',
    ]);
    const board = JSON.parse(stdout) as { models: Array<{ model: string; rating: number }> };
    return new Map(board.models.map((m) => [m.model, m.rating]));
  });
}

interface PeerReport {
  ratings: Record<string, number>;
  seconds: { read: number; fit: number; bootstrap: number; total: number };
  versions: Record<string, string>;
}

/** The first interpreter that has pandas, scipy and numpy, or why there is none. */
async function findPython(): Promise<{ python: string } | { reason: string }> {
  const reasons: string[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import pandas, scipy.optimize, numpy']);
      return { python };
    } catch (error) {
      const text = String((error as { stderr?: string }).stderr || (error as Error).message).trim();
      reasons.push(`${python}: ${text.split('\n').pop()}`);
    }
  }
  return { reason: reasons.join('; ') };
}

/** Max |difference| once both sets of ratings are shifted to the same mean (over the models both rate). */
export function maxShiftedDifference(ours: ReadonlyMap<string, number>, theirs: ReadonlyMap<string, number>): number {
  const shared = [...ours.keys()].filter((m) => theirs.has(m));
  if (shared.length === 0 || shared.length !== ours.size || shared.length !== theirs.size) return Number.NaN;
  const mean = (map: ReadonlyMap<string, number>) => shared.reduce((sum, m) => sum + map.get(m)!, 0) / shared.length;
  const [a, b] = [mean(ours), mean(theirs)];
  return Math.max(...shared.map((m) => Math.abs(ours.get(m)! - a - (theirs.get(m)! - b))));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const OUR_RUNS = 5;

/** Ours against the Python peer on the same file, in one run: ours before and after the peer. */
async function comparePeer(file: string, battles: number): Promise<BenchRow[]> {
  ensureCompiledServer();
  const label = (what: string) => ({ battles, models: MODELS, peakRssMb: Number.NaN, scenario: what });
  const ours: Array<Timed<Map<string, number>>> = [await runOurs(file)];
  const found = await findPython();
  let peer: Timed<PeerReport> | null = null;
  let peerProblem = 'reason' in found ? found.reason : '';
  if ('python' in found) {
    try {
      peer = await timed(async () => JSON.parse((await run(found.python, [PEER, file, '100', '1'])).stdout) as PeerReport);
    } catch (error) {
      peerProblem = `${found.python} ${PEER} failed: ${String((error as { stderr?: string }).stderr || (error as Error).message)
        .trim()
        .slice(0, 300)}`;
    }
  }
  for (let i = ours.length; i < OUR_RUNS; i++) ours.push(await runOurs(file));
  const ourSeconds = median(ours.map((r) => r.seconds));
  const ourOthers = ours.reduce((sum, r) => sum + r.others, 0) / ours.length;
  const ourCpu = median(ours.map((r) => r.cpuSeconds));
  const rows: BenchRow[] = [
    {
      ...label('`arena ratings` (compiled), read + BT + 100 bootstrap rounds + Elo, process wall'),
      seconds: ourSeconds,
      notes: `median of ${ours.length} runs, one before the peer and the rest after (${ours.map((r) => r.seconds.toFixed(2)).join(', ')} s); CPU ${ourCpu.toFixed(2)} s (user + sys, all threads, median); other processes used ${ourOthers.toFixed(2)} cores meanwhile`,
    },
  ];
  if (!peer) {
    rows.push({ ...label('Python peer (FastChat method, pandas + scipy), process wall'), seconds: Number.NaN, notes: `not run: ${peerProblem}` });
    return rows;
  }
  const { seconds: s, versions } = peer.value;
  rows.push(
    {
      ...label('Python peer (FastChat method, pandas + scipy), process wall'),
      seconds: peer.seconds,
      notes:
        `read ${s.read.toFixed(2)} s, fit ${s.fit.toFixed(2)} s, bootstrap ${s.bootstrap.toFixed(2)} s; ` +
        `${Object.entries(versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}; other processes used ${peer.others.toFixed(2)} cores meanwhile`,
    },
    {
      ...label('speed-up over the Python peer (peer wall / ours)'),
      seconds: peer.seconds / ourSeconds,
      unit: '×',
      target: { kind: 'min', value: 10 },
      notes: `both measured in this run, on the same file; in CPU time (user + sys) ${(peer.cpuSeconds / ourCpu).toFixed(1)}×`,
    },
    {
      ...label('max rating difference from the peer, both shifted to the same mean'),
      seconds: maxShiftedDifference(ours[0]!.value, new Map(Object.entries(peer.value.ratings))),
      unit: 'points',
      digits: 4,
      target: { kind: 'max', value: 0.5 },
      notes: 'full-data Bradley-Terry ratings (not bootstrap medians)',
    },
  );
  return rows;
}

export async function benchRatings(opts: { sizes: number[]; peer?: boolean }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of opts.sizes) {
    const file = await ensureFile(size);
    const megabytes = (await stat(file)).size / 2 ** 20;
    const { report, wallSeconds } = await measureChild(file);
    rows.push({
      scenario: 'read JSONL + BT + 100 bootstrap rounds (in-process)',
      battles: report.battles,
      models: report.models,
      seconds: report.totalSeconds,
      peakRssMb: report.peakRssMb,
      notes:
        `read ${report.readSeconds.toFixed(2)} s (fast reader: learned line layouts, JSON.parse for the rest), ` +
        `BT ${report.fitSeconds.toFixed(2)} s, bootstrap ${report.bootstrapSeconds.toFixed(2)} s on ${report.workers} worker(s) and the main thread; ` +
        `file ${megabytes.toFixed(0)} MiB; process wall ${wallSeconds.toFixed(2)} s (tsx); BT ${report.converged ? 'converged' : 'NOT converged'} ` +
        `in ${report.iterations} iterations; top ${report.topModel}`,
    });
    if (opts.peer ?? size <= 1_000_000) rows.push(...(await comparePeer(file, report.battles)));
  }
  return rows;
}

function formatTable(rows: BenchRow[]): string {
  const header = ['scenario', 'battles', 'models', 'value (s)', 'peak RSS MB', 'notes'];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.battles),
    String(r.models),
    `${r.seconds.toFixed(r.digits ?? 2)}${r.unit ? ` ${r.unit}` : ''}`,
    r.peakRssMb.toFixed(0),
    r.notes,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  return [header, ...cells]
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number);
  const rows = await benchRatings({ sizes: sizes.length > 0 ? sizes : [1_000_000, 10_000_000] });
  process.stdout.write(`${formatTable(rows)}\n`);
}
