/**
 * Scenario: start-up. The production build (`npm start` runs dist/server/main.js; `npx arena`
 * runs dist/server/cli.js) against the TypeScript source through tsx: the time `arena --help`
 * takes from process start to exit, the time the server takes until it prints its URL, and the
 * server's resident memory once idle. Each is the median of several runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCompiledServer } from './support/compiled-build.ts';
import type { ScenarioResult } from './support/report.ts';
import { makeTempDir, REPO_ROOT, readMemory } from './support/server-process.ts';
import { sleep } from './support/time.ts';

/** Idle time before reading a server's RSS: start-up garbage settles. */
const READ_MEMORY_DELAY_MS = 2_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeCli(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Milliseconds until the server prints its URL, and its RSS (MB) once idle. */
function configFile(dir: string): string {
  const file = path.join(dir, 'arena.config.json');
  writeFileSync(file, '{}');
  return file;
}

async function startOnce(args: string[]): Promise<{ readyMs: number; rssMb: number }> {
  const dir = makeTempDir('arena-startup-');
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // A config file that names no models: the built-in demo models, as a fresh install starts.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: path.join(dir, 'a.db'), ARENA_CONFIG: configFile(dir) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('Arena is running at')) resolve(performance.now() - started);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    await sleep(READ_MEMORY_DELAY_MS);
    return { readyMs, rssMb: readMemory(child.pid!).rssMb };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startMedian(args: string[], runs: number): Promise<{ readyMs: number; rssMb: number }> {
  const readings = [];
  for (let i = 0; i < runs; i++) readings.push(await startOnce(args));
  return { readyMs: median(readings.map((r) => r.readyMs)), rssMb: median(readings.map((r) => r.rssMb)) };
}

export async function benchStartup(opts: { quick: boolean }): Promise<ScenarioResult> {
  const runs = opts.quick ? 3 : 7;
  ensureCompiledServer();
  const cliCompiled = timeCli(['bin/arena.js', '--help'], runs);
  const cliSource = timeCli(['--import', 'tsx', 'server/cli/entry.ts', '--help'], runs);
  const serverCompiled = await startMedian(['dist/server/main.js'], runs);
  const serverSource = await startMedian(['--import', 'tsx', 'server/main.ts'], runs);
  return {
    name: 'Start-up',
    setup: `median of ${runs} runs each: \`arena --help\` from process start to exit; the server (demo models, empty database) until it prints its URL, and its RSS ${READ_MEMORY_DELAY_MS / 1000} s later`,
    figures: [
      { metric: '`npx arena --help`, compiled build', value: cliCompiled, unit: 'ms', target: { kind: 'max', value: 150 } },
      { metric: '`arena --help` from source (tsx), before', value: cliSource, unit: 'ms' },
      { metric: 'server ready, compiled build', value: serverCompiled.readyMs, unit: 'ms' },
      { metric: 'server ready from source (tsx), before', value: serverSource.readyMs, unit: 'ms' },
      { metric: 'idle server RSS, compiled build', value: serverCompiled.rssMb, unit: 'MB' },
      { metric: 'idle server RSS from source (tsx), before', value: serverSource.rssMb, unit: 'MB' },
    ],
    notes: [],
  };
}
