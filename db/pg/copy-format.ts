/**
 * SQLite values as fields of PostgreSQL's COPY text format: `\N` for null, `t`/`f` for a 0/1
 * boolean, integers as exact decimals (read with safeIntegers), a time stored as a fraction of a
 * millisecond (SQLite's `unixepoch('subsec') * 1000` default) cut to the millisecond as a Date made
 * from it is, text with backslash, newline, carriage return and tab escaped. Anything the column
 * cannot take faithfully (a NUL character, a fraction in an integer column) stops the copy.
 */
import type { CopyColumn } from './tables.ts';

/** A value or a table the copy cannot carry over faithfully; nothing was committed. */
export class CopyError extends Error {
  override name = 'CopyError';
}

export type Field = (value: unknown, row: number) => string;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const SPECIAL = /[\\\n\r\t]/g;

export function fieldOf(table: string, column: CopyColumn): Field {
  const fail = (value: unknown, row: number, what: string): never => {
    throw new CopyError(`${table}.${column.name} of row ${row} ${what}: ${String(value).slice(0, 80)}`);
  };
  switch (column.kind) {
    case 'boolean':
      return (v, row) => (v === null ? '\\N' : v === 1n ? 't' : v === 0n ? 'f' : fail(v, row, 'is not 0 or 1'));
    case 'integer':
      return (v, row) =>
        v === null ? '\\N' : typeof v === 'bigint' ? v.toString() : Number.isInteger(v) ? BigInt(v as number).toString() : fail(v, row, 'is not an integer');
    case 'timestamp':
      return (v, row) =>
        v === null
          ? '\\N'
          : typeof v === 'bigint'
            ? v.toString()
            : Number.isFinite(v)
              ? BigInt(Math.trunc(v as number)).toString()
              : fail(v, row, 'is not a time');
    case 'real':
      // String() of a double is its shortest exact form, which float8 reads back to the same bits.
      return (v, row) => (v === null ? '\\N' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : fail(v, row, 'is not a number'));
    case 'text':
      return (v, row) => {
        if (v === null) return '\\N';
        if (typeof v !== 'string') return fail(v, row, 'is not text');
        if (v.includes('\u0000')) return fail(JSON.stringify(v), row, 'holds a NUL character, which PostgreSQL text cannot store');
        return v.replace(SPECIAL, (c) => ESCAPES[c]!);
      };
  }
}
