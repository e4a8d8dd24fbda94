/**
 * The production build of the server and the CLI: esbuild bundles our TypeScript into plain ES
 * modules under dist/server/ (source maps kept), so the running process loads no TypeScript
 * compiler. Packages stay in node_modules (better-sqlite3 is native); migrations are read from
 * db/migrations in place (db/client.ts finds the project folder from either layout).
 */
import { build } from 'esbuild';

const started = performance.now();
await build({
  entryPoints: {
    main: 'server/main.ts',
    cli: 'server/cli/entry.ts',
    'bt-worker': 'server/standings/bt-worker.ts',
    'ratings-worker': 'server/cli/ratings-worker.ts',
    'checkpoint-worker': 'server/transport/checkpoint-worker.ts',
    'import-worker': 'server/interop/import-worker.ts',
  },
  outdir: 'dist/server',
  // Chunks load when first imported: `arena --help` does not load what `arena ratings` needs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`server built in ${Math.round(performance.now() - started)} ms → dist/server/`);
