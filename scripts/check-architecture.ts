/**
 * The shape check in `npm run check` (docs/ARCHITECTURE.md): dependency-cruiser's layer rules
 * (.dependency-cruiser.cjs), no import cycle between folders (type-only imports count), no
 * production file over 300 lines, and a composition root that only composes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';

const ROOTS = ['server', 'db', 'protocol', 'client/src'];
const MAX_LINES = 300;
const MAX_APP_LINES = 150;

/** `server/arena/service.ts` → `server/arena`; top-level files and other roots are their own folder. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'server' && parts.length > 2) return `server/${parts[1]}`;
  if (parts[0] === 'client') return 'client';
  return parts.length > 1 ? parts[0]! : path;
}

/** Strongly connected folders (Tarjan): every group of two or more folders that import each other in a ring. */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!indices.has(v)) visit(v);
  return groups;
}

/** One import path that closes the ring, for the message. */
function exampleEdges(modules: IModule[], group: string[]): string[] {
  const inGroup = new Set(group);
  const out: string[] = [];
  for (const m of modules) {
    const from = folderOf(m.source);
    if (!inGroup.has(from)) continue;
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (to !== from && inGroup.has(to)) out.push(`${m.source} → ${d.resolved}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const config = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
  const { output } = (await cruise(ROOTS, { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as never)) as {
    output: ICruiseResult;
  };
  const problems: string[] = [];

  for (const v of output.summary.violations) {
    const via = v.cycle?.length ? ` (via ${v.cycle.map((c) => c.name).join(' → ')})` : '';
    problems.push(`${v.rule.name}: ${v.from} → ${v.to}${via}`);
  }

  const project = output.modules.filter((m) => ROOTS.some((r) => m.source.startsWith(`${r}/`)));
  const edges = new Map<string, Set<string>>();
  for (const m of project) {
    const from = folderOf(m.source);
    const set = edges.get(from) ?? new Set<string>();
    for (const d of m.dependencies) {
      if (d.coreModule || d.resolved.startsWith('node_modules/')) continue;
      const to = folderOf(d.resolved);
      if (to !== from) set.add(to);
    }
    edges.set(from, set);
  }
  for (const group of folderCycles(edges)) {
    problems.push(`folder cycle: ${group.join(' ↔ ')}\n    ${exampleEdges(project, group).slice(0, 6).join('\n    ')}`);
  }

  for (const m of project) {
    if (!/\.(ts|svelte)$/.test(m.source)) continue;
    const lines = readFileSync(m.source, 'utf8').split('\n').length;
    const limit = m.source === 'server/app.ts' ? MAX_APP_LINES : MAX_LINES;
    if (lines > limit) problems.push(`too long: ${m.source} has ${lines} lines (at most ${limit})`);
  }

  if (problems.length > 0) {
    console.error(`Architecture check: ${problems.length} problem(s)\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Architecture check: ${project.length} modules, ${edges.size} folders, no cycles, every layer rule holds.`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
