/**
 * Prompt sets from JSONL, CSV or pasted text (pure). Every bad row is reported with its line;
 * the caller imports nothing unless there are none.
 */

import type { GoldAnswers } from '../../db/schema-evaluations.ts';
import type { ImportProblem, PromptFormat } from '../../protocol/evaluations.ts';
import { LIMITS } from '../../protocol/schemas.ts';
import { CsvError, parseCsv } from './csv.ts';
import { checkGold } from './gold.ts';

export interface ImportedPrompt {
  /** From the file's `id` (or `question_id`); null when it had none. */
  id: string | null;
  category: string | null;
  /** User turns, oldest first. */
  turns: string[];
  /** Set for a gold item (fixed answers and the verdict they require). */
  gold: GoldAnswers | null;
}

export const IMPORT_LIMITS = { prompts: 10_000, turns: 20, categoryChars: 100, idChars: 64, problemsShown: 50 } as const;

export interface ImportResult {
  prompts: ImportedPrompt[];
  problems: ImportProblem[];
}

type RowCheck = { prompt: ImportedPrompt } | { problem: string };

function checkText(text: unknown, what: string): string | null {
  if (typeof text !== 'string') return `${what} must be a string`;
  if (text.trim().length === 0) return `${what} must not be empty`;
  if (text.length > LIMITS.promptMaxChars) return `${what} is longer than ${LIMITS.promptMaxChars} characters`;
  return null;
}

function checkRow(raw: { prompt?: unknown; turns?: unknown; category?: unknown; id?: unknown; gold?: unknown }): RowCheck {
  let turns: string[];
  if (raw.turns !== undefined && raw.prompt !== undefined) return { problem: 'give either "prompt" or "turns", not both' };
  if (raw.turns !== undefined) {
    if (!Array.isArray(raw.turns) || raw.turns.length === 0) return { problem: '"turns" must be a non-empty list of strings' };
    if (raw.turns.length > IMPORT_LIMITS.turns) return { problem: `"turns" has more than ${IMPORT_LIMITS.turns} turns` };
    for (let t = 0; t < raw.turns.length; t++) {
      const problem = checkText(raw.turns[t], `turns[${t}]`);
      if (problem) return { problem };
    }
    turns = raw.turns as string[];
  } else if (raw.prompt !== undefined) {
    const problem = checkText(raw.prompt, '"prompt"');
    if (problem) return { problem };
    turns = [raw.prompt as string];
  } else {
    return { problem: 'needs "prompt" (or "turns" for a multi-turn prompt)' };
  }
  let category: string | null = null;
  if (raw.category !== undefined && raw.category !== null && raw.category !== '') {
    if (typeof raw.category !== 'string' || raw.category.length > IMPORT_LIMITS.categoryChars) {
      return { problem: `"category" must be a string of at most ${IMPORT_LIMITS.categoryChars} characters` };
    }
    category = raw.category.trim();
  }
  let id: string | null = null;
  if (raw.id !== undefined && raw.id !== null && raw.id !== '') {
    if ((typeof raw.id !== 'string' && typeof raw.id !== 'number') || String(raw.id).length > IMPORT_LIMITS.idChars) {
      return { problem: `"id" must be a string or number of at most ${IMPORT_LIMITS.idChars} characters` };
    }
    id = String(raw.id).trim();
  }
  let gold: GoldAnswers | null = null;
  if (raw.gold !== undefined && raw.gold !== null) {
    const checked = checkGold(raw.gold, turns.length);
    if (typeof checked === 'string') return { problem: checked };
    gold = checked;
  }
  return { prompt: { id, category, turns, gold } };
}

function jsonlRows(text: string): Array<{ line: number; row: RowCheck }> {
  const out: Array<{ line: number; row: RowCheck }> = [];
  text.split('\n').forEach((lineText, index) => {
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      out.push({ line: index + 1, row: { problem: 'not valid JSON' } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({ line: index + 1, row: { problem: 'must be a JSON object' } });
      return;
    }
    const record = value as Record<string, unknown>;
    // MT-bench style files name the id `question_id`; other fields (e.g. `reference`) are ignored.
    out.push({ line: index + 1, row: checkRow({ ...record, id: record.id ?? record.question_id }) });
  });
  return out;
}

/** `turn_1`, `turn1`, `turn 1`… → 1; null for other names. */
function turnColumn(name: string): number | null {
  const m = /^turn[ _]?(\d{1,2})$/.exec(name);
  return m ? Number(m[1]) : null;
}

function csvRows(text: string): { rows: Array<{ line: number; row: RowCheck }>; fatal?: ImportProblem } {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { rows: [], fatal: { line: err.line, message: err.message } };
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = (...aliases: string[]) => names.findIndex((n) => aliases.includes(n));
  const promptCol = column('prompt');
  // Multi-turn prompts: columns turn_1 … turn_N (`prompt` may stand for turn_1); trailing cells may be empty.
  const turnCols = new Map<number, number>();
  names.forEach((n, col) => {
    const t = turnColumn(n);
    if (t !== null) turnCols.set(t, col);
  });
  if (promptCol >= 0 && turnCols.has(1)) return { rows: [], fatal: { line: header.line, message: 'use either a "prompt" or a "turn_1" column, not both' } };
  if (promptCol >= 0) turnCols.set(1, promptCol);
  const maxTurn = Math.max(0, ...turnCols.keys());
  if (maxTurn === 0) return { rows: [], fatal: { line: header.line, message: 'the header row needs a "prompt" column (or turn_1, turn_2, …)' } };
  for (let t = 1; t <= maxTurn; t++) {
    if (!turnCols.has(t)) return { rows: [], fatal: { line: header.line, message: `the header row has turn_${maxTurn} but no turn_${t}` } };
  }
  const categoryCol = column('category');
  const idCol = column('id', 'question_id');
  const goldCols = { a: column('gold_a'), b: column('gold_b'), verdict: column('gold_verdict') };
  return {
    rows: body.map((record) => {
      if (record.fields.length !== names.length) {
        return { line: record.line, row: { problem: `has ${record.fields.length} fields, the header has ${names.length}` } };
      }
      const at = (col: number) => (col >= 0 ? record.fields[col] : undefined);
      const cells = Array.from({ length: maxTurn }, (_, t) => at(turnCols.get(t + 1)!) ?? '');
      let count = cells.length;
      while (count > 0 && cells[count - 1]!.trim() === '') count--;
      const gap = cells.slice(0, count).findIndex((c) => c.trim() === '');
      if (maxTurn > 1 && gap >= 0) return { line: record.line, row: { problem: `turn_${gap + 1} is empty but a later turn is not` } };
      const turns = maxTurn > 1 ? { turns: count === 0 ? [''] : cells.slice(0, count) } : { prompt: cells[0] };
      const goldA = at(goldCols.a);
      const gold = goldA !== undefined && goldA !== '' ? { gold: { a: goldA, b: at(goldCols.b) ?? '', verdict: at(goldCols.verdict)?.trim() } } : {};
      return { line: record.line, row: checkRow({ ...turns, category: at(categoryCol), id: at(idCol), ...gold }) };
    }),
  };
}

function textRows(text: string): Array<{ line: number; row: RowCheck }> {
  const out: Array<{ line: number; row: RowCheck }> = [];
  text.split('\n').forEach((lineText, index) => {
    const prompt = lineText.replace(/\r$/, '').trim();
    if (prompt !== '') out.push({ line: index + 1, row: checkRow({ prompt }) });
  });
  return out;
}

export function importPrompts(format: PromptFormat, content: string): ImportResult {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  let rows: Array<{ line: number; row: RowCheck }>;
  const problems: ImportProblem[] = [];
  if (format === 'csv') {
    const parsed = csvRows(text);
    if (parsed.fatal) return { prompts: [], problems: [parsed.fatal] };
    rows = parsed.rows;
  } else {
    rows = format === 'jsonl' ? jsonlRows(text) : textRows(text);
  }
  const prompts: ImportedPrompt[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const { line, row } of rows) {
    if ('problem' in row) {
      problems.push({ line, message: row.problem });
      continue;
    }
    const { id } = row.prompt;
    if (id !== null) {
      const first = firstLineOfId.get(id);
      if (first !== undefined) {
        problems.push({ line, message: `duplicate id "${id}" (first on line ${first})` });
        continue;
      }
      firstLineOfId.set(id, line);
    }
    prompts.push(row.prompt);
  }
  if (rows.length === 0) problems.push({ line: 0, message: 'no prompts found' });
  if (prompts.length > IMPORT_LIMITS.prompts) problems.push({ line: 0, message: `more than ${IMPORT_LIMITS.prompts} prompts` });
  return { prompts, problems };
}

/** A question id for the prompt at `position` that no other prompt of the file uses. */
export function unusedId(taken: Set<string>, position: number): string {
  let id = String(position);
  while (taken.has(id)) id = `#${id}`;
  taken.add(id);
  return id;
}
