/**
 * FastChat clean-battle files: JSON Lines (streamed in large chunks, so 10M-line files never exist
 * as one string) or a JSON array. Every record is validated; errors name the line (or array item)
 * and the field.
 */
import { isAscii } from 'node:buffer';
import { open, readFile } from 'node:fs/promises';
import { BattleFileError, type BattleRecord, findBattleProblem } from './battle-record.ts';

export interface ReadOptions {
  /** Skip invalid records (counting them) instead of stopping at the first. */
  skipInvalid?: boolean;
  /** Awaited after each chunk of a JSON Lines file when it returns a promise: a consumer's back-pressure. */
  afterChunk?: () => Promise<void> | undefined;
}

export interface ReadSummary {
  /** Records accepted. */
  records: number;
  skipped: number;
  /** The first few skip reasons, for a message. */
  skippedExamples: string[];
  format: 'jsonl' | 'json';
}

const MAX_EXAMPLES = 5;

/** Accepts or skips records, one source line or array item at a time. */
export class RecordIntake {
  readonly summary: ReadSummary;
  readonly #skipInvalid: boolean;
  readonly #onBattle: (battle: BattleRecord) => void;

  constructor(format: ReadSummary['format'], options: ReadOptions, onBattle: (battle: BattleRecord) => void) {
    this.summary = { records: 0, skipped: 0, skippedExamples: [], format };
    this.#skipInvalid = options.skipInvalid ?? false;
    this.#onBattle = onBattle;
  }

  line(text: string, lineNumber: number): void {
    if (isBlank(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#reject(new BattleFileError(`line ${lineNumber}`, null, `invalid JSON (${(error as Error).message})`));
      return;
    }
    this.take(value, 'line', lineNumber);
  }

  take(value: unknown, unit: 'line' | 'item', index: number): void {
    const found = findBattleProblem(value);
    if (found) {
      this.#reject(new BattleFileError(`${unit} ${index}`, found.field, found.problem));
      return;
    }
    this.summary.records++;
    this.#onBattle(value as BattleRecord);
  }

  #reject(failure: BattleFileError): void {
    if (!this.#skipInvalid) throw failure;
    this.summary.skipped++;
    if (this.summary.skippedExamples.length < MAX_EXAMPLES) this.summary.skippedExamples.push(failure.message);
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses battles from text already in memory (JSONL, or a JSON array if it starts with '['). */
export function parseBattles(text: string, options: ReadOptions = {}): { battles: BattleRecord[] } & ReadSummary {
  const body = stripBom(text);
  const battles: BattleRecord[] = [];
  const isArray = body.trimStart().startsWith('[');
  const intake = new RecordIntake(isArray ? 'json' : 'jsonl', options, (b) => battles.push(b));
  if (isArray) parseArrayInto(body, intake);
  else for (const [i, line] of body.split('\n').entries()) intake.line(line, i + 1);
  return { battles, ...intake.summary };
}

function parseArrayInto(text: string, intake: RecordIntake): void {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    throw new BattleFileError('file', null, `invalid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(items)) throw new BattleFileError('file', null, 'must be a JSON array of battles');
  for (const [i, item] of (items as unknown[]).entries()) intake.take(item, 'item', i + 1);
}

/** Streams a battle file record by record; JSON arrays are read whole. */
export async function scanBattleFile(path: string, onBattle: (battle: BattleRecord) => void, options: ReadOptions = {}): Promise<ReadSummary> {
  if (await startsWithBracket(path)) {
    const intake = new RecordIntake('json', options, onBattle);
    parseArrayInto(stripBom(await readFile(path, 'utf8')), intake);
    return intake.summary;
  }
  const intake = new RecordIntake('jsonl', options, onBattle);
  await forEachLine(path, (line, n) => intake.line(line, n), options.afterChunk);
  return intake.summary;
}

export async function readBattleFile(path: string, options: ReadOptions = {}): Promise<{ battles: BattleRecord[] } & ReadSummary> {
  const battles: BattleRecord[] = [];
  const summary = await scanBattleFile(path, (b) => battles.push(b), options);
  return { battles, ...summary };
}

export async function startsWithBracket(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return stripBom(head.toString('utf8', 0, bytesRead))
      .trimStart()
      .startsWith('[');
  } finally {
    await handle.close();
  }
}

const CHUNK_BYTES = 4 << 20;
const NEWLINE = 10;

/**
 * Calls `onChunk(buf, end)` with buf[0, end) holding whole lines (the last one may lack its '\n'
 * at the end of the file). Reads 4 MiB at a time; a line longer than the buffer grows it. `range`
 * reads only the bytes [start, end) of the file (a reader's share; the end of the range is then
 * the end of the file for it).
 */
export async function forEachChunk(
  path: string,
  onChunk: (buf: Buffer, end: number) => Promise<void> | undefined | void,
  range: { start: number; end: number } = { start: 0, end: Number.POSITIVE_INFINITY },
): Promise<void> {
  const handle = await open(path, 'r');
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let position = range.start;
  try {
    for (;;) {
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const wanted = Math.min(buffer.length - filled, range.end - position);
      const { bytesRead } = wanted > 0 ? await handle.read(buffer, filled, wanted, position) : { bytesRead: 0 };
      const atEnd = bytesRead === 0;
      filled += bytesRead;
      position += bytesRead;
      const whole = atEnd ? filled : buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (whole > 0) {
        const paused = onChunk(buffer, whole);
        if (paused) await paused;
        buffer.copy(buffer, 0, whole, filled);
        filled -= whole;
      }
      if (atEnd) return;
    }
  } finally {
    await handle.close();
  }
}

/** Calls `onLine` for every line (without its '\n'), numbered from 1, awaiting `afterChunk`'s promise if any; returns the line count. */
export async function forEachLine(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
  afterChunk: () => Promise<void> | undefined = () => undefined,
): Promise<number> {
  let lineNumber = 0;
  await forEachChunk(path, (buf, end) => {
    // Decoding whole lines only, so no multi-byte character is ever split. Pure-ASCII chunks (the
    // usual case) take the cheaper one-byte decode, which gives the same string.
    let text = buf.toString(isAscii(buf.subarray(0, end)) ? 'latin1' : 'utf8', 0, end);
    if (lineNumber === 0) text = stripBom(text);
    for (let start = 0; start < text.length; ) {
      let newline = text.indexOf('\n', start);
      if (newline < 0) newline = text.length;
      onLine(text.slice(start, newline), ++lineNumber);
      start = newline + 1;
    }
    return afterChunk();
  });
  return lineNumber;
}

/** One JSONL line per battle, fields in the record's own order. */
export function formatBattleLines(battles: Iterable<BattleRecord>): string {
  let out = '';
  for (const battle of battles) out += `${JSON.stringify(battle)}\n`;
  return out;
}

/** Writes JSON Lines, flushing about every megabyte so large exports stay in bounded memory. */
export async function writeBattleFile(path: string, battles: Iterable<BattleRecord> | AsyncIterable<BattleRecord>): Promise<number> {
  const handle = await open(path, 'w');
  let pending = '';
  let written = 0;
  try {
    for await (const battle of battles) {
      pending += `${JSON.stringify(battle)}\n`;
      written++;
      if (pending.length >= 1 << 20) {
        await handle.write(pending);
        pending = '';
      }
    }
    if (pending.length > 0) await handle.write(pending);
  } finally {
    await handle.close();
  }
  return written;
}
