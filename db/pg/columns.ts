/**
 * The PostgreSQL column kinds that stand for SQLite's (docs/DEPLOY.md, "Moving a team's data to
 * PostgreSQL"): times stay epoch milliseconds in a bigint (read as a Date, as SQLite's
 * `timestamp_ms` integers are), every id and every column that holds one is a bigint, and the
 * style counts are shared by answers and evaluation generations as in db/columns.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, customType, integer } from 'drizzle-orm/pg-core';

/** Epoch milliseconds in a bigint, a Date in TypeScript (SQLite: integer, mode `timestamp_ms`). */
export const epochMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  // node-postgres hands a bigint over as a string.
  fromDriver: (value) => new Date(Number(value)),
});

/**
 * The statement's time in whole milliseconds: SQLite's `unixepoch('subsec') * 1000` is the time
 * of the statement too, and a Date made from it drops the fraction.
 */
export const nowMs = sql`(floor(extract(epoch from statement_timestamp()) * 1000))::bigint`;

export const createdAt = () => epochMs('created_at').notNull().default(nowMs);

/** A bigint that holds an id (SQLite's integer ids are 64-bit rowids). */
export const idRef = (name: string) => bigint(name, { mode: 'number' });

/** SQLite's `integer PRIMARY KEY AUTOINCREMENT`: an identity that also takes the ids a copy brings. */
export const serialId = () => idRef('id').primaryKey().generatedByDefaultAsIdentity();

/** The style of an answer (db/columns.ts); null until computed. */
export const styleColumns = () => ({
  styleTokens: integer('style_tokens'),
  styleHeaders: integer('style_headers'),
  styleListItems: integer('style_list_items'),
  styleBold: integer('style_bold'),
});
