/**
 * `arena <command> ...`: the command table and the dispatcher. No side effects at import; bin/arena.js
 * calls runCli with the process's arguments and streams.
 */
import type { CliIo } from './io.ts';

export interface CliCommand {
  /** One line for `arena --help`. */
  summary: string;
  /** Returns the exit code: 0 success, 1 failure, 2 usage error. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Add a subcommand by adding an entry; each is loaded only when run, so `arena --help` starts fast. */
export const commands: Record<string, CliCommand> = {
  ratings: {
    summary: 'rank models from a battle file (Bradley-Terry with bootstrap intervals, online Elo)',
    run: async (argv, io) => (await import('./ratings.ts')).runRatingsCli(argv, io),
  },
  user: {
    summary: 'add a user (e.g. the first admin), change a password, list users',
    run: async (argv, io) => (await import('./user.ts')).runUserCli(argv, io),
  },
  backup: {
    summary: 'copy the live database to a file (SQLite online backup; the server keeps running)',
    run: async (argv, io) => (await import('./backup.ts')).runBackupCli(argv, io),
  },
  import: {
    summary: 'import battles FILE: load a FastChat battle file into the database (idempotent)',
    run: async (argv, io) => (await import('./import.ts')).runImportCli(argv, io),
  },
  export: {
    summary: 'export battles: write the voted battles as a FastChat battle file (JSON Lines)',
    run: async (argv, io) => (await import('./export.ts')).runExportCli(argv, io),
  },
  recount: {
    summary: 'check the vote counts the standings read against a recount from the votes (--fix to rebuild them)',
    run: async (argv, io) => (await import('./recount.ts')).runRecountCli(argv, io),
  },
  'migrate-db': {
    summary: 'migrate-db --from sqlite:FILE --to postgres://…: copy the database to PostgreSQL and verify the copy',
    run: async (argv, io) => (await import('./migrate-db.ts')).runMigrateDbCli(argv, io),
  },
  seed: {
    summary: 'seed --demo: fill an empty database with a few thousand realistic demo battles and votes',
    run: async (argv, io) => (await import('./seed.ts')).runSeedCli(argv, io),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return ['Usage: arena <command> [options]', '', 'Commands:', ...lines, '', 'Run `arena <command> --help` for its options.', ''].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`arena: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}
