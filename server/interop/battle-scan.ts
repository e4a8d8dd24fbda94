/**
 * The fast reader behind `arena ratings`: JSON Lines matched a whole chunk at a time against the
 * layouts the file's own lines taught it (battle-layout.ts), taking only what the ratings and their
 * filters use. A line no layout matches goes to battle-file.ts's reader (JSON.parse and the
 * validation), so every record accepted, skipped or rejected, every message and every line number
 * is the same as `scanBattleFile`'s; an accepted line then teaches its layout, up to a few.
 */
import { isAscii } from 'node:buffer';
import type { FilterableBattle } from '../ratings/filters.ts';
import type { BattleOutcome } from '../ratings/outcomes.ts';
import { forEachChunk, type ReadOptions, type ReadSummary, RecordIntake, scanBattleFile, startsWithBracket } from './battle-file.ts';
import { type Layout, learnLayout, RATING_FIELDS, type RatingField } from './battle-layout.ts';
import { BattleFileError } from './battle-record.ts';

export type { RatingField } from './battle-layout.ts';

export interface RatingReadOptions extends ReadOptions {
  /** The optional fields `onBattle` needs (default all); the others are checked but not read. */
  fields?: readonly RatingField[];
}

/** At most this many layouts, and this many lines JSON.parse accepted without one, are learned from. */
const MAX_LAYOUTS = 8;
const MAX_LEARNING_ATTEMPTS = 64;

/** The fields of one line; one object, refilled for every line (read it during the callback). */
class RatingFields implements FilterableBattle {
  model_a = '';
  model_b = '';
  winner: BattleOutcome = 'model_a';
  anony: boolean | undefined = undefined;
  language: string | undefined = undefined;
  turn: number | undefined = undefined;
  tstamp: number | undefined = undefined;
  evaluation_id: string | number | undefined = undefined;
}

/** The outcome constant itself (a captured string is a fresh copy, slow as a property key). */
function canonicalOutcome(text: string): BattleOutcome {
  if (text === 'model_a') return 'model_a';
  if (text === 'model_b') return 'model_b';
  return text === 'tie' ? 'tie' : 'tie (bothbad)';
}

function fill(fields: RatingFields, match: RegExpExecArray, { groups: g }: Layout): void {
  fields.model_a = match[g.modelA]!;
  fields.model_b = match[g.modelB]!;
  fields.winner = canonicalOutcome(match[g.winner]!);
  fields.anony = g.anony === 0 ? undefined : match[g.anony] === 'true';
  fields.language = g.language === 0 ? undefined : match[g.language];
  fields.turn = g.turn === 0 ? undefined : Number(match[g.turn]);
  fields.tstamp = g.tstamp === 0 ? undefined : Number(match[g.tstamp]);
  const evaluationNumber = g.evaluationNumber === 0 ? undefined : match[g.evaluationNumber];
  fields.evaluation_id =
    g.evaluationText === 0 ? undefined : (match[g.evaluationText] ?? (evaluationNumber === undefined ? undefined : Number(evaluationNumber)));
}

/**
 * scanBattleFile for the ratings: the same records accepted, skipped and rejected with the same
 * messages and line numbers, but `onBattle` gets only the fields of FilterableBattle (those asked
 * for, or a whole record from JSON.parse), in an object that may be reused for the next line.
 * JSON arrays go through scanBattleFile itself.
 */
export async function scanBattlesForRatings(path: string, onBattle: (battle: FilterableBattle) => void, options: RatingReadOptions = {}): Promise<ReadSummary> {
  if (await startsWithBracket(path)) return scanBattleFile(path, onBattle, options);
  const intake = new RecordIntake('jsonl', options, onBattle);
  await readLines(path, { start: 0, end: Number.POSITIVE_INFINITY }, onBattle, options, (line, n) => {
    const before = intake.summary.records;
    intake.line(line, n);
    return intake.summary.records > before;
  }).then((read) => {
    intake.summary.records += read.fastRecords;
  });
  return intake.summary;
}

/** A line JSON.parse or the validation rejected: its number within the range, and why. */
export interface LineFailure {
  line: number;
  field: string | null;
  problem: string;
}

export interface RangeRead {
  records: number;
  /** Lines in the range (the next range's lines are numbered after them). */
  lines: number;
  /** In file order; without `skipInvalid` the reading stopped at the first. */
  failures: LineFailure[];
}

/**
 * The JSON Lines in bytes [start, end) of a file (`start` at a line's beginning), numbered from 1
 * within the range: failures are returned, not thrown, so that a reader of a later range can be
 * renumbered (BattleFileError(`line ${offset + line}`, field, problem) is the message
 * scanBattlesForRatings would give). Only a range starting at 0 drops a byte order mark.
 */
export async function readRatingRange(
  path: string,
  range: { start: number; end: number },
  onBattle: (battle: FilterableBattle) => void,
  options: RatingReadOptions = {},
): Promise<RangeRead> {
  const failures: LineFailure[] = [];
  const intake = new RecordIntake('jsonl', {}, onBattle);
  const stop = new Error('stop at the first failure');
  try {
    const read = await readLines(path, range, onBattle, options, (line, n) => {
      const before = intake.summary.records;
      try {
        intake.line(line, n);
      } catch (error) {
        if (!(error instanceof BattleFileError)) throw error;
        failures.push({ line: n, field: error.field, problem: error.problem });
        if (!options.skipInvalid) throw stop;
      }
      return intake.summary.records > before;
    });
    return { records: read.fastRecords + intake.summary.records, lines: read.lines, failures };
  } catch (error) {
    if (error !== stop) throw error;
    return { records: intake.summary.records, lines: failures[0]!.line, failures };
  }
}

/**
 * The loop both readers share: lines a learned layout accepts go to `onBattle` (counted in
 * fastRecords), every other line to `parse`, which says whether it accepted the line (it then
 * teaches its layout).
 */
async function readLines(
  path: string,
  range: { start: number; end: number },
  onBattle: (battle: FilterableBattle) => void,
  options: RatingReadOptions,
  parse: (line: string, lineNumber: number) => boolean,
): Promise<{ fastRecords: number; lines: number }> {
  const wanted = new Set(options.fields ?? RATING_FIELDS);
  const layouts: Layout[] = [];
  let attempts = 0;
  const fields = new RatingFields();
  let lineNumber = 0;
  let fastRecords = 0;
  await forEachChunk(
    path,
    (buf, end) => {
      // Decoding whole lines only, as forEachLine does: pure-ASCII chunks take the one-byte decode.
      let text = buf.toString(isAscii(buf.subarray(0, end)) ? 'latin1' : 'utf8', 0, end);
      if (lineNumber === 0 && range.start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      let pos = 0;
      let current = layouts[0];
      while (pos < text.length) {
        lineNumber++;
        const match = current ? matchAt(current, text, pos) : null;
        if (match) {
          fastRecords++;
          fill(fields, match, current!);
          onBattle(fields);
          pos = current!.regex.lastIndex;
          continue;
        }
        const other = layouts.find((layout) => layout !== current && matchAt(layout, text, pos));
        if (other) {
          current = other;
          lineNumber--; // matched again by the loop's first branch
          continue;
        }
        let newline = text.indexOf('\n', pos);
        if (newline < 0) newline = text.length;
        const line = text.slice(pos, newline);
        if (parse(line, lineNumber) && layouts.length < MAX_LAYOUTS && attempts < MAX_LEARNING_ATTEMPTS) {
          attempts++;
          const learned = learnLayout(line, wanted);
          // Kept only if it reads the line it came from (`"turn": 2.0` is valid, but not a plain
          // integer) and is new.
          if (learned && matchAt(learned, line, 0) && !layouts.some((l) => l.regex.source === learned.regex.source)) {
            layouts.push(learned);
            current = learned;
          }
        }
        pos = newline + 1;
      }
    },
    range,
  );
  return { fastRecords, lines: lineNumber };
}

function matchAt(layout: Layout, text: string, pos: number): RegExpExecArray | null {
  layout.regex.lastIndex = pos;
  return layout.regex.exec(text);
}
