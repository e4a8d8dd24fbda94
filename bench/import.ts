/**
 * Scenario: `arena import battles` of a synthetic FastChat-style battle file (bench/ratings.ts's
 * generator and file cache: 100 models, one judge of 5,000 per battle, no conversations), run as
 * the compiled CLI (`node dist/server/cli.js`, built first when missing or older than the sources)
 * into a fresh database in a temp folder; then the same file again (every battle already there).
 *   node --import tsx bench/import.ts [BATTLES]      (default 1000000)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { writeSyntheticBattles } from './ratings.ts';
import { otherLoadMeter } from './support/machine.ts';
import type { ScenarioResult } from './support/report.ts';
import { makeTempDir, REPO_ROOT, readMemory } from './support/server-process.ts';

const CLI = path.join(REPO_ROOT, 'dist/server/cli.js');
const SOURCES = ['server', 'db', 'protocol'];
const TARGET_SECONDS = 10;
const POLL_MS = 20;
const TICKS_PER_SECOND = 100;

/** The cached battle file of this size (the one bench/ratings.ts uses), written on first use. */
async function battleFile(battles: number): Promise<string> {
  const dir = path.join(tmpdir(), 'arena-bench-ratings');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `battles-${battles}.jsonl`);
  if (!existsSync(file)) await writeSyntheticBattles(file, battles);
  return file;
}

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/server when it is missing or older than any server, db or protocol source. */
function ensureBuild(): void {
  const sourceMs = Math.max(...SOURCES.map((dir) => newestSourceMs(path.join(REPO_ROOT, dir))));
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= sourceMs) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

/** CPU seconds of this process's reaped children (cutime + cstime). */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  otherCores: number;
  stdout: string;
}

/** One `arena import battles FILE --db DB` as a child process: wall time, CPU, peak RSS (VmHWM polled). */
async function importOnce(dir: string, file: string): Promise<Run> {
  const others = otherLoadMeter();
  const cpu0 = childCpuSeconds();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'import', 'battles', file, '--db', path.join(dir, 'arena.db')], {
    cwd: dir,
    env: { ...process.env, ARENA_CONFIG: path.join(dir, 'arena.config.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peakRssMb = 0;
  const poll = setInterval(() => {
    try {
      // An exiting process has a status without memory lines (NaN): keep the last real reading.
      const { peakRssMb: reading } = readMemory(child.pid!);
      if (Number.isFinite(reading)) peakRssMb = Math.max(peakRssMb, reading);
    } catch {
      // exited between two polls
    }
  }, POLL_MS);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(poll);
  if (code !== 0) throw new Error(`arena import exited with ${code}: ${stderr}`);
  return { seconds, cpuSeconds: childCpuSeconds() - cpu0, peakRssMb, otherCores: others.stop(), stdout };
}

function countRows(dbFile: string): Record<'battles' | 'votes' | 'ratings', number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { battles: count('battles'), votes: count('votes'), ratings: count('ratings') };
  } finally {
    db.close();
  }
}

export async function benchImport(opts: { quick: boolean; battles?: number }): Promise<ScenarioResult> {
  const battles = opts.battles ?? (opts.quick ? 100_000 : 1_000_000);
  const file = await battleFile(battles);
  ensureBuild();
  const dir = makeTempDir('arena-bench-import-');
  try {
    writeFileSync(path.join(dir, 'arena.config.json'), '{}');
    const first = await importOnce(dir, file);
    if (!first.stdout.includes(`Imported ${battles} of ${battles} battles`)) throw new Error(`unexpected summary: ${first.stdout}`);
    const again = await importOnce(dir, file);
    if (!again.stdout.includes(`already present: ${battles}`)) throw new Error(`re-import added battles: ${again.stdout}`);
    const rows = countRows(path.join(dir, 'arena.db'));
    if (rows.battles !== battles || rows.votes !== battles) throw new Error(`database holds ${JSON.stringify(rows)}, expected ${battles} battles and votes`);
    const megabytes = statSync(file).size / 2 ** 20;
    const dbMegabytes = statSync(path.join(dir, 'arena.db')).size / 2 ** 20;
    const n = battles.toLocaleString('en-US');
    return {
      name: 'Import',
      setup: `\`node dist/server/cli.js import battles FILE\` of ${n} synthetic FastChat-style battles (bench/ratings.ts's file, ${megabytes.toFixed(0)} MiB: 100 models, 5,000 judges, no conversations) into a fresh database, then the same file again`,
      figures: [
        {
          metric: `${n} battles: import, process wall`,
          value: first.seconds,
          unit: 's',
          digits: 2,
          ...(opts.quick ? {} : { target: { kind: 'max', value: TARGET_SECONDS } }),
        },
        { metric: `${n} battles: import rate`, value: battles / first.seconds, unit: 'battles/s' },
        { metric: `${n} battles: import peak RSS`, value: first.peakRssMb, unit: 'MB' },
        { metric: `${n} battles: re-import (all already present)`, value: again.seconds, unit: 's', digits: 2 },
      ],
      notes: [
        `Import: ${first.cpuSeconds.toFixed(1)} s of CPU in the CLI process; other processes used ${first.otherCores.toFixed(2)} cores meanwhile; database ${dbMegabytes.toFixed(0)} MiB after it.`,
        `Re-import: ${again.cpuSeconds.toFixed(1)} s of CPU, peak RSS ${again.peakRssMb.toFixed(0)} MB; other processes used ${again.otherCores.toFixed(2)} cores meanwhile; nothing added (${rows.votes.toLocaleString('en-US')} votes, ${rows.ratings} ratings rows).`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const battles = Number(process.argv[2] ?? 1_000_000);
  const result = await benchImport({ quick: false, battles });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
