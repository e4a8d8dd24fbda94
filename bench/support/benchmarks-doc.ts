/**
 * docs/BENCHMARKS.md: the generated parts (latest figures, profile summary) live between marker
 * comments and are replaced on each run; everything outside them is written by hand and kept.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileSummary } from './cpu-profile.ts';
import type { Machine } from './machine.ts';
import { markdownResults, markdownTable, type ScenarioResult } from './report.ts';
import { REPO_ROOT } from './server-process.ts';

export const DOC_PATH = path.join(REPO_ROOT, 'docs/BENCHMARKS.md');

const TEMPLATE = `# Benchmarks

\`npm run bench\` starts the real server as a separate process (\`ARENA_LOAD_TEST=1\`, a temp database, port 0)
and drives it over loopback with real socket.io clients and a local fake OpenAI-compatible upstream.
Options: \`--quick\` (smoke run, writes nothing), \`--only votes,viewers,streaming,ratings,matchmaking,intervals,client\`,
\`--full\` (ratings on 10,000,000 battles too), \`--profile\` (CPU profile of the vote scenario, summarised below).

<!-- bench:results:begin -->
<!-- bench:results:end -->

## Profile: vote ingestion

<!-- bench:profile:begin -->
<!-- bench:profile:end -->
`;

function splice(doc: string, section: 'results' | 'profile', body: string): string {
  const begin = `<!-- bench:${section}:begin -->`;
  const end = `<!-- bench:${section}:end -->`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${DOC_PATH}: markers ${begin} … ${end} not found`);
  return `${doc.slice(0, from + begin.length)}\n${body.trim()}\n${doc.slice(to)}`;
}

export function updateDoc(parts: { results?: string; profile?: string }): void {
  let doc = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : TEMPLATE;
  if (parts.results) doc = splice(doc, 'results', parts.results);
  if (parts.profile) doc = splice(doc, 'profile', parts.profile);
  writeFileSync(DOC_PATH, doc);
}

export function resultsMarkdown(machine: Machine, command: string, results: ScenarioResult[], totalSeconds: number): string {
  return [
    '## Latest run',
    '',
    markdownTable(
      ['machine', ''],
      [
        ['CPU', `${machine.cpu}, ${machine.cores} cores`],
        ['RAM', `${machine.ramGb.toFixed(1)} GiB`],
        ['Node', machine.node],
        ['OS', machine.os],
        ['date', machine.date],
        ['command', `\`${command}\` (${totalSeconds.toFixed(0)} s in all)`],
      ],
    ),
    '',
    markdownResults(results),
  ].join('\n');
}

const ms = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

export function profileMarkdown(summary: ProfileSummary, machine: Machine, command: string): string {
  const busyShare = (summary.busyMs / (summary.busyMs + summary.idleMs)) * 100;
  return [
    `Taken with \`${command}\` on ${machine.date}: the vote scenario against a server started as ` +
      '`node --cpu-prof dist/server/main.js`, the compiled build `npm start` runs (restarted after the battles were prepared, so the profile holds start-up and voting only). ' +
      `Sampled ${ms(summary.busyMs + summary.idleMs)} ms of the main thread: ${ms(summary.busyMs)} ms busy (${busyShare.toFixed(0)}%; busy includes waiting in synchronous calls such as SQLite commits), ` +
      `${ms(summary.idleMs)} ms idle. Shares below are of the busy time; self time only (time in the function itself, not its callees).`,
    '',
    '**Top 15 functions by self time**',
    '',
    markdownTable(
      ['#', 'function', 'where', 'self ms', 'share'],
      summary.functions.map((f, i) => [String(i + 1), `\`${f.name}\``, f.where, ms(f.ms), `${f.busyPct.toFixed(1)}%`]),
    ),
    '',
    '**Self time by package or source file**',
    '',
    markdownTable(
      ['where', 'self ms', 'share'],
      summary.places.map((p) => [p.where, ms(p.ms), `${p.busyPct.toFixed(1)}%`]),
    ),
    '',
    "**The project's own functions by total time** (themselves and everything they call; nested entries overlap)",
    '',
    markdownTable(
      ['function', 'where', 'total ms', 'share'],
      summary.projectInclusive.map((f) => [`\`${f.name}\``, f.where, ms(f.ms), `${f.busyPct.toFixed(1)}%`]),
    ),
  ].join('\n');
}

/** The profile tables for the terminal. */
export function profileText(summary: ProfileSummary): string {
  const fn = summary.functions.map((f, i) => `${String(i + 1).padStart(2)}. ${f.busyPct.toFixed(1).padStart(5)}%  ${f.name}  (${f.where})`);
  const places = summary.places.map((p) => `${p.busyPct.toFixed(1).padStart(5)}%  ${p.where}`);
  const own = summary.projectInclusive.map((f) => `${f.busyPct.toFixed(1).padStart(5)}%  ${f.name}  (${f.where})`);
  return ['Top functions by self time (share of busy time):', ...fn, '', 'By package / file:', ...places, '', 'Project functions by total time:', ...own].join(
    '\n',
  );
}
