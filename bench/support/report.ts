/** Figures, targets and verdicts, printed as a terminal table and as Markdown. */

export interface Target {
  /** `min`: the value must be at least `value`; `max`: it must stay below `value`. */
  kind: 'min' | 'max';
  value: number;
}

export interface Figure {
  metric: string;
  value: number;
  unit: string;
  digits?: number;
  target?: Target;
}

export interface ScenarioResult {
  name: string;
  /** What was run, in one line (clients, durations, rates). */
  setup: string;
  figures: Figure[];
  /** Extra observations (checks passed, side measurements). */
  notes: string[];
  /** Set when the scenario did not complete; its figures are then empty. */
  error?: string;
}

function format(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatValue(f: Pick<Figure, 'value' | 'unit' | 'digits'>): string {
  return `${format(f.value, f.digits)}${f.unit ? ` ${f.unit}` : ''}`;
}

export function formatTarget(f: Figure): string {
  if (!f.target) return '—';
  return `${f.target.kind === 'min' ? '≥' : '<'} ${formatValue({ ...f, value: f.target.value })}`;
}

export function verdict(f: Figure): string {
  if (!f.target || !Number.isFinite(f.value)) return f.target ? 'no data' : '—';
  const { kind, value: goal } = f.target;
  const met = kind === 'min' ? f.value >= goal : f.value < goal;
  if (met) return 'met';
  const gap = Math.abs(f.value - goal);
  return `missed by ${formatValue({ ...f, value: gap })} (${format((gap / goal) * 100, 0)}%)`;
}

function rows(results: ScenarioResult[]): string[][] {
  return results.flatMap((r) =>
    r.error
      ? [[r.name, 'did not complete', '—', '—', `FAILED: ${r.error.split('\n')[0]!.slice(0, 100)}`]]
      : r.figures.map((f) => [r.name, f.metric, formatValue(f), formatTarget(f), verdict(f)]),
  );
}

const HEADER = ['scenario', 'metric', 'value', 'target', 'verdict'];

export function terminalTable(results: ScenarioResult[]): string {
  const all = [HEADER, ...rows(results)];
  const widths = HEADER.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(header: string[], body: string[][]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, header.map(() => '---'), ...body].map((row) => `| ${row.map(escapeCell).join(' | ')} |`).join('\n');
}

export function markdownResults(results: ScenarioResult[]): string {
  const details = results.map((r) => [`### ${r.name}`, '', r.setup, '', ...r.notes.map((n) => `- ${n}`)].join('\n').trimEnd());
  return [markdownTable(HEADER, rows(results)), '', ...details.flatMap((d) => [d, ''])].join('\n').trimEnd();
}
