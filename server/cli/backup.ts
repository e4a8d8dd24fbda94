/**
 * `arena backup FILE`: a consistent copy of the live database through SQLite's online backup API,
 * while the server keeps running (WAL lets the copy read a snapshot without blocking writers).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backupDatabase } from '../../db/backup.ts';
import { parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: arena backup FILE [--db PATH] [--force]

Copies the live database (DATABASE_PATH, default ./data/arena.db) to FILE without stopping the server.
  --db PATH   database to copy (overrides DATABASE_PATH)
  --force     overwrite FILE if it exists
`;

export async function runBackupCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommandArgs('backup', HELP, argv, io, {
    allowPositionals: true,
    options: { db: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (!parsed) return 2;
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const target = parsed.positionals[0];
  if (!target || parsed.positionals.length > 1) {
    io.stderr.write(`arena backup: give exactly one destination FILE\n\n${HELP}`);
    return 2;
  }
  const source = path.resolve(parsed.values.db ?? env.DATABASE_PATH ?? './data/arena.db');
  const destination = path.resolve(target);
  if (!existsSync(source)) {
    io.stderr.write(`arena backup: no database at ${source}\n`);
    return 1;
  }
  if (existsSync(destination) && !parsed.values.force) {
    io.stderr.write(`arena backup: ${destination} exists (use --force to overwrite)\n`);
    return 1;
  }
  if (destination === source) {
    io.stderr.write('arena backup: the destination is the database itself\n');
    return 1;
  }
  const started = Date.now();
  const result = await backupDatabase(source, destination);
  if (result.integrity !== 'ok') {
    io.stderr.write(`arena backup: the copy failed its integrity check: ${result.integrity}\n`);
    return 1;
  }
  io.stdout.write(`Backed up ${source} to ${destination}: ${result.pages} pages, ${result.votes} votes, ${Date.now() - started} ms, integrity ok\n`);
  return 0;
}
