/** How `arena ratings` prints a leaderboard: a table, JSON or CSV. */
import type { IntervalsUsed } from '../../protocol/types.ts';
import type { RatingMethod } from '../ratings/summary.ts';
import type { CliBoard } from './ratings-fit.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

/** JSON has no NaN or Infinity. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function toJson(board: CliBoard): string {
  const models = board.models.map((m) => ({
    model: m.model,
    rating: finiteOrNull(m.rating),
    ci: m.ci && { lower: finiteOrNull(m.ci.lower), median: finiteOrNull(m.ci.median), upper: finiteOrNull(m.ci.upper) },
    rankUB: m.rankUB,
    battles: m.battles,
    wins: m.wins,
    losses: m.losses,
    ties: m.ties,
    elo: finiteOrNull(m.elo),
  }));
  return `${JSON.stringify({ ...board, models }, null, 2)}\n`;
}

function csvField(value: string | number | null): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(board: CliBoard): string {
  const header = 'rank_ub,model,rating,ci_lower,ci_median,ci_upper,battles,wins,losses,ties,elo';
  const rows = board.models.map((m) =>
    [m.rankUB, m.model, m.rating, m.ci?.lower ?? null, m.ci?.median ?? null, m.ci?.upper ?? null, m.battles, m.wins, m.losses, m.ties, m.elo]
      .map(csvField)
      .join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

function toTable(board: CliBoard): string {
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x).toString() : '—');
  const showElo = board.method === 'both';
  const rows = board.models.map((m) => [
    String(m.rankUB),
    m.model,
    round(m.rating),
    m.ci ? `+${round(m.ci.upper - m.rating)}/-${round(m.rating - m.ci.lower)}` : '',
    String(m.battles),
    ...(showElo ? [m.elo === null ? '' : round(m.elo)] : []),
  ]);
  const header = ['Rank (UB)', 'Model', board.method === 'elo' ? 'Elo' : 'Rating', '95% CI', 'Votes', ...(showElo ? ['Elo'] : [])];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const leftAligned = new Set([1]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (leftAligned.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const title = `${board.battles} battles, ${board.models.length} models; ${describeMethod(board.method)}${describeIntervals(board)}`;
  return [title, '', line(header), ...rows.map(line), '', ...notes(board)].join('\n');
}

function describeIntervals(board: CliBoard): string {
  if (board.bootstrap) return `, 95% CI from ${board.bootstrap.rounds} bootstrap rounds (seed ${board.bootstrap.seed})`;
  const used: IntervalsUsed | null = board.intervals;
  if (!used || used.method === 'bootstrap') return '';
  const kind = used.method === 'sandwich' ? `sandwich${used.clustered ? ', clustered by voter' : ''}` : 'model-based';
  const prior = used.prior ? `, prior N(1000, ${used.prior.sd}²)` : ', no prior';
  return `, 95% CI ${kind}${prior}${board.style ? ', style controlled' : ''}`;
}

/** Neighbours, style coefficients and deduplication under the table. */
function notes(board: CliBoard): string[] {
  const out: string[] = [];
  if (board.neighbours.length > 0) {
    const sign = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${Math.round(x)}` : '?');
    out.push('Neighbours (95% interval of the rating difference):');
    for (const n of board.neighbours) {
      const verdict = n.separated ? 'separated' : n.votesToSeparate === null ? 'look tied' : `about ${n.votesToSeparate} more votes between them to tell apart`;
      out.push(`  ${n.above} > ${n.below}  ${sign(n.diff.lower)} to ${sign(n.diff.upper)}  ${verdict}`);
    }
    out.push('');
  }
  if (board.style) {
    out.push('Style coefficients (log-odds per standard deviation, 95% interval):');
    for (const c of board.style.coefficients) out.push(`  ${c.feature}  ${c.estimate.toFixed(3)} (${c.lower.toFixed(3)} to ${c.upper.toFixed(3)})`);
    if (board.style.votesWithoutFeatures > 0) out.push(`  ${board.style.votesWithoutFeatures} votes without both conversations left out`);
    out.push('');
  }
  if (board.promptDedup && board.promptDedup.prompts > 0) {
    const d = board.promptDedup;
    out.push(`Prompt deduplication: ${d.prompts} prompt(s) with ${d.votes} votes count as ${d.cap} votes each (${d.effectiveVotes} votes in effect)`, '');
  }
  return out;
}

function describeMethod(method: RatingMethod): string {
  if (method === 'elo') return 'online Elo (k=4) in file order';
  return method === 'both' ? 'Bradley-Terry rating, online Elo alongside' : 'Bradley-Terry rating';
}

export const FORMATTERS: Record<OutputFormat, (board: CliBoard) => string> = { table: toTable, json: toJson, csv: toCsv };
