/**
 * Rows of one table read straight from a prepared statement, mapped to drizzle's select type by
 * the table's own column definitions (dates, booleans, JSON), without the query builder's general
 * result mapping: for the few reads on the vote path, thousands of times a second.
 */
import { type Column, getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';
import type { Statement } from './client.ts';

export interface RowReader<T extends Table> {
  /** The select list, in the order `read` expects (for `SELECT ${columns} FROM …`). */
  readonly columns: string;
  /** One row as `statement.raw()` returns it. */
  read(values: readonly unknown[]): InferSelectModel<T>;
}

export function rowReader<T extends Table>(table: T): RowReader<T> {
  const fields = Object.entries(getTableColumns(table) as Record<string, Column>);
  const columns = fields.map(([, column]) => `"${column.name}"`).join(', ');
  return {
    columns,
    read(values) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const [key, column] = fields[i]!;
        const value = values[i];
        row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return row as InferSelectModel<T>;
    },
  };
}

/** A prepared statement's rows through a reader: `one` for the first row, `all` for every row. */
export function readRows<T extends Table>(reader: RowReader<T>, statement: Statement) {
  const raw = statement.raw(true);
  return {
    one: (...params: unknown[]): InferSelectModel<T> | undefined => {
      const values = raw.get(...params) as unknown[] | undefined;
      return values ? reader.read(values) : undefined;
    },
    all: (...params: unknown[]): Array<InferSelectModel<T>> => (raw.all(...params) as unknown[][]).map((values) => reader.read(values)),
  };
}
