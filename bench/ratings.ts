/**
 * Ratings benchmark: synthetic FastChat-style JSONL files (100 models with known strengths) of
 * each size, then read + Bradley-Terry + 100 bootstrap rounds in a child process per run.
 *   node --import tsx bench/ratings.ts [SIZE ...]      (default 1000000 10000000)
 * Files go to the OS temp directory and are reused between runs.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Xoshiro128 } from '../server/ratings/random.ts';
import type { ChildReport } from './ratings-child.ts';

export interface BenchRow {
  scenario: string;
  battles: number;
  models: number;
  seconds: number;
  peakRssMb: number;
  notes: string;
}

const MODELS = 100;
const TIE_RATE = 0.25;
const HERE = path.dirname(fileURLToPath(import.meta.url));

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

async function measure(file: string): Promise<{ report: ChildReport; wallSeconds: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(HERE, 'ratings-child.ts'), file, '100'], {
    cwd: path.join(HERE, '..'),
    maxBuffer: 1 << 20,
  });
  return { report: JSON.parse(stdout) as ChildReport, wallSeconds: (performance.now() - started) / 1000 };
}

export async function benchRatings(opts: { sizes: number[] }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of opts.sizes) {
    const file = await ensureFile(size);
    const megabytes = (await stat(file)).size / 2 ** 20;
    const { report, wallSeconds } = await measure(file);
    rows.push({
      scenario: 'read JSONL + BT + 100 bootstrap rounds',
      battles: report.battles,
      models: report.models,
      seconds: report.totalSeconds,
      peakRssMb: report.peakRssMb,
      notes:
        `read ${report.readSeconds.toFixed(2)} s (JSON.parse + validation per line), ` +
        `BT + bootstrap ${report.rateSeconds.toFixed(2)} s; file ${megabytes.toFixed(0)} MiB; ` +
        `process wall ${wallSeconds.toFixed(2)} s; BT ${report.converged ? 'converged' : 'NOT converged'} ` +
        `in ${report.iterations} iterations; top ${report.topModel}`,
    });
  }
  return rows;
}

function formatTable(rows: BenchRow[]): string {
  const header = ['scenario', 'battles', 'models', 'seconds', 'peak RSS MB', 'notes'];
  const cells = rows.map((r) => [r.scenario, String(r.battles), String(r.models), r.seconds.toFixed(2), r.peakRssMb.toFixed(0), r.notes]);
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
