/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per
 * package or source file, from the sampled call tree (nodes, samples, timeDeltas).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT } from './server-process.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface TimeShare {
  name: string;
  /** Package, project file or V8 bucket the time belongs to. */
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  busyPct: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  functions: TimeShare[];
  places: TimeShare[];
  /** The project's own functions by total time (themselves and everything they call). */
  projectInclusive: TimeShare[];
}

const V8_BUCKETS = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; project files relative to the repo; `node:*` as Node core. */
export function placeOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return V8_BUCKETS.has(functionName) ? functionName : '(native: V8 builtins and C++ bindings)';
  if (url.startsWith('node:')) return 'Node.js core';
  const file = url.replace(/^file:\/\//, '');
  const inModules = file.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const parts = file.slice(inModules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return file.startsWith(REPO_ROOT) ? file.slice(REPO_ROOT.length) : file;
}

function isProjectFile(frame: CallFrame): boolean {
  const file = frame.url.replace(/^file:\/\//, '');
  return file.startsWith(REPO_ROOT) && !file.includes('/node_modules/');
}

/** `file:line` for JavaScript as loaded; project TypeScript is transpiled by tsx, so its lines would mislead. */
function shortLocation(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '');
  if (!file) return '';
  if (isProjectFile(frame)) return file.slice(REPO_ROOT.length);
  const inModules = file.lastIndexOf('/node_modules/');
  const short = inModules !== -1 ? file.slice(inModules + '/node_modules/'.length) : file;
  return `${short}:${frame.lineNumber + 1}`;
}

/**
 * The compiled build (dist/server, one bundle) names its own lines: each project frame is mapped
 * back to the TypeScript source through the bundle's source map, so places read `server/…/x.ts`.
 */
function toSources(profile: CpuProfile): void {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      const file = `${fileURLToPath(url)}.map`;
      maps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null);
    }
    return maps.get(url)!;
  };
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (!frame.url.startsWith(`file://${REPO_ROOT}dist/`)) continue;
    const entry = mapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
    if (!entry || !('originalSource' in entry)) continue;
    const source = entry.originalSource.startsWith('file://') ? entry.originalSource : pathToFileURL(new URL(entry.originalSource, frame.url).pathname).href;
    node.callFrame = { ...frame, url: source, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
  }
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  toSources(profile);
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfByNode = new Map<number, number>();
  // Sample i lasts until sample i + 1: its duration is the next time delta (microseconds).
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const id = profile.samples[i]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + profile.timeDeltas[i + 1]! / 1000);
  }
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  const byPlace = new Map<string, number>();
  let idleMs = 0;
  let totalMs = 0;
  for (const [id, ms] of selfByNode) {
    const frame = frameOf.get(id)!;
    totalMs += ms;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = placeOf(frame);
    byPlace.set(where, (byPlace.get(where) ?? 0) + ms);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${frame.url}:${frame.lineNumber}`;
    const entry = byFunction.get(key) ?? { name, where: shortLocation(frame) || where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const busyMs = totalMs - idleMs;
  const inclusive = projectInclusiveTimes(profile, selfByNode);
  const pct = (ms: number) => (busyMs > 0 ? (ms / busyMs) * 100 : 0);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs,
    idleMs,
    functions: [...byFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, busyPct: pct(f.ms) })),
    places: [...byPlace.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, ms]) => ({ name: where, where, ms, busyPct: pct(ms) })),
    projectInclusive: inclusive.slice(0, top).map((f) => ({ ...f, busyPct: pct(f.ms) })),
  };
}

/** Total time under each project function: every sample counts once for each distinct one on its stack. */
function projectInclusiveTimes(profile: CpuProfile, selfByNode: Map<number, number>): Array<{ name: string; where: string; ms: number }> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, { name: string; where: string; ms: number }>();
  for (const [leaf, ms] of selfByNode) {
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const frame = frameOf.get(id)!;
      if (!isProjectFile(frame)) continue;
      const name = frame.functionName || '(anonymous)';
      const key = `${name}@${frame.url}:${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? { name, where: shortLocation(frame), ms: 0 };
      entry.ms += ms;
      totals.set(key, entry);
    }
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}
