/**
 * The compiled server (dist/server/main.js), what `npm start` runs: the bench measures it, not the
 * TypeScript source through tsx. Built with scripts/build-server.ts when it is missing or older
 * than any source it bundles, so a bench never measures stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const COMPILED_SERVER = 'dist/server/main.js';
/** What esbuild bundles into dist/server (packages stay external), and how it is built. */
const SOURCES = ['server', 'db', 'protocol', 'scripts/build-server.ts', 'package.json'];

function newestMtimeMs(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtimeMs(path.join(entry, name)));
  return newest;
}

/** Builds dist/server when it is missing or stale; returns whether it built. */
export function ensureCompiledServer(): boolean {
  const target = path.join(ROOT, COMPILED_SERVER);
  if (existsSync(target)) {
    const built = statSync(target).mtimeMs;
    const sources = Math.max(
      ...SOURCES.map((s) => path.join(ROOT, s))
        .filter(existsSync)
        .map(newestMtimeMs),
    );
    if (built >= sources) return false;
  }
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: ROOT, stdio: 'ignore' });
  return true;
}
