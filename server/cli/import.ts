/** `arena import battles FILE`: argument parsing and the summary; the import itself is server/interop. */
import path from 'node:path';
import { openDb } from '../../db/client.ts';
import { BattleFileError } from '../interop/battle-record.ts';
import { importBattleFile } from '../interop/import-battles.ts';
import { announceToInstances } from './announce.ts';
import { loadCommandConfig, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: arena import battles FILE [--db PATH] [--skip-invalid]

Loads a FastChat clean-battle file (JSON Lines or a JSON array) into the arena database as battles
and votes, then recomputes the online Elo ratings from all votes in time order. Importing the same
file again adds nothing. Models not yet in the database are added disabled: they appear in the
leaderboards but are never drawn for live battles.

  --db PATH        database (default DATABASE_PATH, else ./data/arena.db); created if missing
  --skip-invalid   skip invalid records instead of stopping (counted in the summary)

Rows with "anony": false are kept as votes that do not count (flag "named"), like FastChat's
leaderboard, which uses anonymous battles only. Self-battles (model_a = model_b) are skipped.
Run it while the server is stopped: the import holds the database's write lock for the whole file
(a running server would have to wait, and its battles in progress would fail), and a running server
keeps its live standings in memory.
`;

export async function runImportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const parsed = parseCommandArgs('import', HELP, argv, io, {
    allowPositionals: true,
    options: { db: { type: 'string' }, 'skip-invalid': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (!parsed) return 2;
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [what, file, ...extra] = parsed.positionals;
  if (what !== 'battles' || !file || extra.length > 0) {
    io.stderr.write(`arena import: expected \`battles FILE\`\n\n${HELP}`);
    return 2;
  }
  const config = loadCommandConfig('import', io, env, cwd);
  if (!config) return 1;
  const dbFile = parsed.values.db ? path.resolve(cwd, parsed.values.db) : config.databasePath;
  // One long write transaction: a page cache that holds the indexes it grows (see db/client.ts),
  // and FULL sync, so the one COMMIT is on disk (power cut included) before the summary says so;
  // it costs no extra writes, only moves the WAL's fsync from the checkpoint at close to the commit
  // (into a database without battles the import uses the rollback journal, synced the same way).
  const db = openDb(dbFile, { synchronous: 'full', bulkWrite: true });
  const started = performance.now();
  try {
    const s = await importBattleFile(db.$client, path.resolve(cwd, file), {
      skipInvalid: parsed.values['skip-invalid'],
      eloK: config.elo.k,
      longPromptTokens: config.standings.longPromptTokens,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (s.skippedInvalid > 0) io.stderr.write(`skipped ${s.skippedInvalid} invalid record(s), e.g. ${s.skippedExamples[0]}\n`);
    io.stdout.write(
      [
        `Imported ${s.imported} of ${s.read} battles into ${dbFile} in ${seconds} s${s.named > 0 ? ` (${s.named} named, kept but not counted)` : ''}`,
        `  already present: ${s.alreadyPresent}`,
        `  skipped invalid: ${s.skippedInvalid}`,
        ...(s.selfBattles > 0 ? [`  skipped self-battles: ${s.selfBattles}`] : []),
        `  new models: ${s.newModels.length} (disabled: shown in the leaderboards, never drawn for battles)`,
        s.countedVotes === null ? 'Nothing new: ratings unchanged.' : `Online Elo recomputed from ${s.countedVotes} counted votes.`,
        '',
      ].join('\n'),
    );
    if (s.countedVotes !== null || s.newModels.length > 0) await announceToInstances('import', config.redisUrl, io);
    return 0;
  } catch (error) {
    if (!(error instanceof BattleFileError) && !isFileSystemError(error)) throw error;
    io.stderr.write(`arena import: ${error instanceof BattleFileError ? `${file}: ` : ''}${(error as Error).message} (nothing imported)\n`);
    return 1;
  } finally {
    db.$client.close();
  }
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}
