/**
 * Scenario 5, client weight: builds the client with Vite (the project's vite.config.ts) into a
 * temp folder and measures the JavaScript the battle page loads (the entry chunk and its static
 * imports, not lazy chunks), gzipped with node:zlib at its default level. A build plugin records
 * which packages and source files fill the bundle.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import type { ScenarioResult } from './support/report.ts';
import { makeTempDir, REPO_ROOT } from './support/server-process.ts';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

/** Bytes each package (or project file) contributes to the chunks, as rendered before minification. */
function contributions(into: Map<string, number>): Plugin {
  return {
    name: 'bench-bundle-contributions',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const [id, module] of Object.entries(chunk.modules)) {
          const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1];
          const key = pkg ?? path.relative(REPO_ROOT, id).replace(/\?.*$/, '');
          into.set(key, (into.get(key) ?? 0) + module.renderedLength);
        }
      }
    },
  };
}

async function buildClient(outDir: string, sizes: Map<string, number>): Promise<Manifest> {
  await build({
    configFile: path.join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
    plugins: [contributions(sizes)],
  });
  return JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** The entry chunk and everything it imports statically: what loads before the page can run. */
function initialChunks(manifest: Manifest, entry: string): ManifestChunk[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit(entry);
  return [...seen].map((key) => manifest[key]!);
}

function sizes(outDir: string, files: string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(outDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip };
}

const kib = (bytes: number) => bytes / 1024;

function topContributors(contrib: Map<string, number>, count = 8): string {
  const total = [...contrib.values()].reduce((a, b) => a + b, 0);
  return [...contrib.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${((bytes / total) * 100).toFixed(0)}%`)
    .join(', ');
}

export async function benchClientSize(): Promise<ScenarioResult> {
  const outDir = makeTempDir('arena-bench-client-');
  try {
    const contrib = new Map<string, number>();
    const manifest = await buildClient(outDir, contrib);
    const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
    if (!entry) throw new Error('the Vite manifest names no entry chunk');
    const initial = initialChunks(manifest, entry);
    const initialFiles = new Set(initial.map((c) => c.file));
    const js = sizes(outDir, [...initialFiles]);
    const css = sizes(outDir, [...new Set(initial.flatMap((c) => c.css ?? []))]);
    const lazyFiles = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) => f.endsWith('.js') && !initialFiles.has(f));
    const lazy = sizes(outDir, lazyFiles);
    return {
      name: 'Client',
      setup:
        'Vite build of client/ (the project config) into a temp folder; the battle page is the entry chunk plus its static imports ' +
        '(lazy chunks excluded); gzip = node:zlib at its default level.',
      figures: [
        { metric: 'battle-page JavaScript, gzipped', value: kib(js.gzip), unit: 'KiB', digits: 1 },
        { metric: 'battle-page JavaScript, raw', value: kib(js.raw), unit: 'KiB', digits: 1 },
      ],
      notes: [
        `${initialFiles.size} JavaScript file(s) on the battle page: ${[...initialFiles].join(', ')}.`,
        `CSS on the battle page: ${kib(css.gzip).toFixed(1)} KiB gzipped (${kib(css.raw).toFixed(1)} KiB raw).`,
        lazyFiles.length > 0
          ? `Lazy chunks (loaded later, not counted): ${lazyFiles.length} file(s), ${kib(lazy.gzip).toFixed(1)} KiB gzipped.`
          : 'No lazy chunks: every page ships in the one entry chunk.',
        `Largest contributors to the bundle (share of the code before minification): ${topContributors(contrib)}.`,
      ],
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
