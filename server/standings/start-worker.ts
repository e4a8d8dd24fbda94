/** Worker threads of the standings (the standings worker, its bootstrap helper), from source or from the build. */
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `entry`. Node 20 does not hand the parent's `--import tsx` loader to
 * worker threads (nodejs/node#47747), so for a TypeScript entry a tiny ES module bootstrap
 * registers tsx in the worker first; a compiled entry is imported as it is.
 *
 * `background`: on Linux the worker thread first lowers its own priority (nice 19; a thread id
 * passed to setpriority affects that thread only, and the esbuild process tsx starts inherits it),
 * so when every core is busy the scheduler runs the server's event loop first.
 */
export function startWorker(entry: URL, opts: { background?: boolean } = {}): Worker {
  const lines = [
    ...(opts.background
      ? [
          "import { readlinkSync } from 'node:fs'; import { setPriority } from 'node:os';",
          "try { setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19); } catch {}",
        ]
      : []),
    ...(entry.pathname.endsWith('.ts') ? [`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`] : []),
    `await import(${JSON.stringify(entry.href)});`,
  ];
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(lines.join('\n'))}`), { execArgv: [] });
}
