/** The arena as a separate OS process (node server/main.ts, or the compiled build), for crash, restart and build tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no shutdown hook runs, exactly like a crash. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export function writeConfig(dir: string, config: object): string {
  const file = path.join(dir, 'arena.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * `compiled`: run the production build (dist/server/main.js) instead of the TypeScript source.
 * `command`: run these node arguments in that directory instead (e.g. a container image's CMD in its layout).
 */
export async function startServerProcess(opts: {
  dbFile: string;
  configFile: string;
  env?: Record<string, string>;
  compiled?: boolean;
  command?: { cwd: string; args: string[] };
}): Promise<ServerProcess> {
  const entry = opts.command?.args ?? (opts.compiled ? ['dist/server/main.js'] : ['--import', 'tsx', 'server/main.ts']);
  const child = spawn(process.execPath, entry, {
    cwd: opts.command?.cwd ?? path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: opts.dbFile, ARENA_CONFIG: opts.configFile, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = /Arena is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
