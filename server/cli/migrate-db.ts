/**
 * `arena migrate-db --from sqlite:FILE --to postgres://…`: argument parsing and the report. The
 * copy is db/pg/copy.ts (only db/ knows both drivers); the checks are migrate-db-verify.ts.
 */
import path from 'node:path';
import { closePg, isPostgresUrl, openPg, type PgDb } from '../../db/pg/client.ts';
import { CopyError, copySqliteToPg, TargetNotEmptyError } from '../../db/pg/copy.ts';
import { pgReader, sqliteReader } from '../../db/pg/readers.ts';
import { openSqliteSource, SourceError, type SqliteSource } from '../../db/pg/source.ts';
import { redactedUrl, UNREADABLE_URL } from '../transport/redact-url.ts';
import { loadCommandConfig, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';
import { type Check, rowCheckedTables, verifyCopy } from './migrate-db-verify.ts';

const HELP = `Usage: arena migrate-db --from sqlite:PATH --to postgres://USER@HOST:PORT/DATABASE [--verify-only]

Copies a team's arena database from SQLite to PostgreSQL, then verifies the copy: rows per table,
the vote counts the standings read, the online Elo table and Bradley-Terry fits from each side's
counts. The SQLite file is opened read-only and read in one transaction, so the server may keep
running (the copy is its state when the command started). The copy is one PostgreSQL
transaction: it lands whole or not at all.

  --from sqlite:PATH   the SQLite database, e.g. sqlite:./data/arena.db
  --to URL             an empty PostgreSQL database (postgres:// or postgresql://; default
                       DATABASE_URL). Its tables are created if missing; a database that already
                       holds arena data is refused. Put the password in PGPASSWORD, not in the URL.
  --verify-only        copy nothing: compare the source with an earlier copy
Exit code 0 when the copy matches the source, 1 when it does not or cannot be made, 2 for bad arguments.
`;

/** Differences shown per check. */
const SHOWN = 20;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const fail = (io: CliIo, problem: string) => {
  io.stderr.write(`arena migrate-db: ${problem}\n`);
  return 1;
};

function sourceFile(from: string | undefined): string | null {
  if (!from?.startsWith('sqlite:')) return null;
  const rest = from.slice('sqlite:'.length);
  const file = rest.startsWith('//') ? rest.slice(2) : rest;
  return file === '' || (rest.startsWith('//') && !file.startsWith('/')) ? null : file;
}

function urlProblem(to: string | undefined): string | null {
  if (to === undefined || to === '') return '--to is required: the PostgreSQL database, postgres://USER@HOST:PORT/DATABASE (or set DATABASE_URL)';
  if (!isPostgresUrl(to))
    return `--to must be a postgres:// or postgresql:// URL, not ${redactedUrl(to) === UNREADABLE_URL ? JSON.stringify(to.slice(0, 40)) : redactedUrl(to)}`;
  try {
    new URL(to);
    return null;
  } catch {
    return '--to is not a valid URL (a password with @, : or / must be percent-encoded, or given in PGPASSWORD)';
  }
}

export async function runMigrateDbCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const parsed = parseCommandArgs('migrate-db', HELP, argv, io, {
    options: { from: { type: 'string' }, to: { type: 'string' }, 'verify-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (!parsed) return 2;
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const file = sourceFile(values.from);
  const to = values.to ?? env.DATABASE_URL;
  const problem =
    values.from === undefined
      ? '--from is required: the SQLite database, sqlite:PATH'
      : file === null
        ? `--from must be sqlite:PATH (e.g. sqlite:./data/arena.db), not ${JSON.stringify(values.from)}`
        : urlProblem(to);
  if (problem) {
    io.stderr.write(`arena migrate-db: ${problem}\n\n${HELP}`);
    return 2;
  }
  const config = loadCommandConfig('migrate-db', io, env, cwd);
  if (!config) return 1;
  let source: SqliteSource;
  try {
    source = openSqliteSource(path.resolve(cwd, file!));
  } catch (err) {
    if (err instanceof SourceError) return fail(io, `--from: ${err.message}`);
    throw err;
  }
  let db: PgDb | null = null;
  try {
    const verifyOnly = values['verify-only'];
    try {
      db = await openPg(to!, { migrate: !verifyOnly });
      await db.$client.query('SELECT 1');
    } catch (err) {
      return fail(io, `cannot open --to ${redactedUrl(to!)}: ${(err as Error).message}`);
    }
    if (!verifyOnly && !(await copy(io, source, db, to!))) return 1;
    const started = performance.now();
    const checks = await verifyCopy(sqliteReader(source.sqlite), pgReader(db), {
      tables: rowCheckedTables(),
      dedupTopShare: config.standings.promptDedup.topShare,
    });
    report(io, checks, performance.now() - started);
    return checks.every((c) => c.ok) ? 0 : 1;
  } catch (err) {
    // E.g. the connection to PostgreSQL lost on the way: nothing half-done was committed.
    return fail(io, (err as Error).message);
  } finally {
    source.close();
    if (db) await closePg(db);
  }
}

async function copy(io: CliIo, source: SqliteSource, db: PgDb, to: string): Promise<boolean> {
  io.stdout.write(`Copying ${source.file} to ${redactedUrl(to)} (one transaction):\n`);
  const started = performance.now();
  try {
    const copied = await copySqliteToPg(source, db, {
      onTable: (t) => io.stdout.write(`  ${t.table.padEnd(18)} ${String(t.rows).padStart(9)} rows  ${seconds(t.ms)}\n`),
    });
    io.stdout.write(`  indexes, foreign keys, vote counts, sequences: ${seconds(copied.finishMs)}; analyze and commit: ${seconds(copied.commitMs)}\n`);
    const rows = copied.tables.reduce((s, t) => s + t.rows, 0);
    io.stdout.write(`Copied ${rows} rows of ${copied.tables.length} tables in ${seconds(performance.now() - started)}.\n`);
    return true;
  } catch (err) {
    if (err instanceof TargetNotEmptyError) {
      fail(
        io,
        `refusing to copy into --to ${redactedUrl(to)}: ${err.message}. Copy into an empty database (e.g. \`createdb arena\`), or drop this one's tables first.`,
      );
      return false;
    }
    if (err instanceof CopyError) {
      fail(io, `the copy stopped and nothing was committed: ${err.message}`);
      return false;
    }
    throw err;
  }
}

function report(io: CliIo, checks: Check[], ms: number): void {
  io.stdout.write(`Verified in ${seconds(ms)}:\n`);
  for (const c of checks) {
    io.stdout.write(`  ${c.name.padEnd(14)} ${c.ok ? 'equal' : 'DIFFER'}  ${c.summary}\n`);
    for (const p of c.problems.slice(0, SHOWN)) io.stdout.write(`      ${p}\n`);
    if (c.problems.length > SHOWN) io.stdout.write(`      … and ${c.problems.length - SHOWN} more\n`);
  }
  const bad = checks.filter((c) => !c.ok);
  if (bad.length === 0) io.stdout.write('The copy matches the source.\n');
  else io.stderr.write(`arena migrate-db: the copy differs from the source (${bad.map((c) => c.name).join(', ')}).\n`);
}
