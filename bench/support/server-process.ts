/**
 * The real arena as a separate process, the way `npm start` runs it (the compiled build,
 * dist/server/main.js, built first when missing or stale): a temp database, a temp
 * config file, ARENA_LOAD_TEST=1 and port 0. Reads its URL from stdout, its memory and CPU time
 * from /proc, and stops it with SIGTERM (so a `--cpu-prof` profile gets written).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { COMPILED_SERVER, ensureCompiledServer } from './compiled-build.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Linux reports CPU time in clock ticks; 100 per second on every kernel Node supports here. */
const CLOCK_TICKS_PER_SECOND = 100;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  models: ModelConfigInput[];
  /**
   * Folder for the database and config file, owned by the caller and kept on stop (to restart a
   * server on the same data). A fresh temp folder, removed on stop, when not given.
   */
  dir?: string;
  /** Other config-file fields (e.g. `leaderboardIntervalMs`). */
  config?: Record<string, unknown>;
  /** Write a V8 CPU profile (`--cpu-prof`) into this folder when the server exits. */
  cpuProfileDir?: string;
  /** More environment (e.g. REDIS_URL and ARENA_INSTANCE_ID for one of several instances on one database). */
  env?: Record<string, string>;
}

export interface MemoryReading {
  rssMb: number;
  /** Peak RSS since the process started (VmHWM). */
  peakRssMb: number;
}

export interface ServerProcess {
  url: string;
  pid: number;
  databasePath: string;
  memory(): MemoryReading;
  /** User + system CPU time the process has used so far, in seconds. */
  cpuSeconds(): number;
  /** Bytes the process has caused to be written to storage so far (/proc/<pid>/io). */
  diskWriteBytes(): number;
  /** SIGTERM, wait for the graceful shutdown (SIGKILL after 10 s), remove the temp folder. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A crashed or interrupted bench must not leave servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(130));
  }
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  installExitHook();
  const dir = opts.dir ?? makeTempDir('arena-bench-');
  const configPath = path.join(dir, 'arena.config.json');
  const databasePath = path.join(dir, 'arena.db');
  writeFileSync(configPath, JSON.stringify({ ...opts.config, models: opts.models }, null, 2));
  ensureCompiledServer();
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  // The flags `npm start` runs it with.
  const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', COMPILED_SERVER], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ARENA_LOAD_TEST: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      ARENA_CONFIG: configPath,
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderrTail = '';
  child.stderr!.setEncoding('utf8').on('data', (piece: string) => {
    stderrTail = (stderrTail + piece).slice(-4000);
  });

  const cleanup = () => {
    running.delete(child);
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  };

  let url: string;
  try {
    url = await readUrl(child, () => stderrTail);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw err;
  }
  const pid = child.pid!;
  let stopped: Promise<void> | null = null;
  return {
    url,
    pid,
    databasePath,
    memory: () => readMemory(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    diskWriteBytes: () => readDiskWriteBytes(pid),
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        cleanup();
      })()),
  };
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

function readUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`the server printed no URL within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onData = (piece: string) => {
      stdout += piece;
      const match = /Arena is running at (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining stdout so a chatty server never blocks on a full pipe.
      resolve(match[1]!.replace('localhost', '127.0.0.1'));
    };
    const onExit = (code: number | null) => fail(new Error(`the server exited (code ${code}) before listening:\n${stderr()}`));
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      reject(err);
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });
}

export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

export function readDiskWriteBytes(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? Number.NaN);
}

/** Average cores a process used between `start()` and `stop()`: CPU seconds over wall seconds. */
export function cpuMeter(server: Pick<ServerProcess, 'cpuSeconds'>): { stop(): number } {
  const cpu0 = server.cpuSeconds();
  const wall0 = performance.now();
  return {
    stop: () => (server.cpuSeconds() - cpu0) / ((performance.now() - wall0) / 1000),
  };
}
