/** The production build for benchmarks: rebuilt when missing or older than any server source. */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './server-process.ts';

const SOURCE_DIRS = ['server', 'protocol', 'db'];

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs scripts/build-server.ts unless dist/server/cli.js is newer than every .ts under server/, protocol/, db/. */
export function ensureServerBuild(): void {
  const built = (() => {
    try {
      return statSync(path.join(REPO_ROOT, 'dist/server/cli.js')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestSourceMs(path.join(REPO_ROOT, d))),
    statSync(path.join(REPO_ROOT, 'scripts/build-server.ts')).mtimeMs,
  );
  if (built > sources) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: REPO_ROOT, stdio: 'ignore' });
}
