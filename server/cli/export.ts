/** `arena export battles`: argument parsing and output; the records come from server/interop. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openReadOnly } from '../../db/client.ts';
import { writeBattleFile } from '../interop/battle-file.ts';
import { exportBattles } from '../interop/export-battles.ts';
import { loadCommandConfig, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: arena export battles [--out FILE] [--db PATH] [--include-voters] [--include-flagged]

Writes the database's voted battles as FastChat clean-battle JSON Lines, in vote order, to stdout
or FILE: model_a, model_b, winner, tstamp, anony, turn, question_id (the battle id) and, when the
prompts and answers are stored, conversation_a / conversation_b. Votes of evaluations that count
in the public standings are included too (question_id eval-vote-N, with evaluation_id), so the
file holds every public vote (what \`arena ratings --verify\` checks a snapshot against).

  --out FILE          write to FILE instead of stdout
  --db PATH           database (default DATABASE_PATH, else ./data/arena.db)
  --include-voters    add "judge": the voter id (anonymous ids; imported ones are hashed)
  --include-flagged   also votes an integrity flag kept out of the ratings (with "flags")
`;

export async function runExportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const parsed = parseCommandArgs('export', HELP, argv, io, {
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      db: { type: 'string' },
      'include-voters': { type: 'boolean', default: false },
      'include-flagged': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!parsed) return 2;
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'battles') {
    io.stderr.write(`arena export: expected \`battles\`\n\n${HELP}`);
    return 2;
  }
  const dbFile = parsed.values.db ? path.resolve(cwd, parsed.values.db) : loadCommandConfig('export', io, env, cwd)?.databasePath;
  if (!dbFile) return 1;
  if (!existsSync(dbFile)) {
    io.stderr.write(`arena export: no database at ${dbFile}\n`);
    return 1;
  }
  const sqlite = openReadOnly(dbFile);
  try {
    const records = exportBattles(sqlite, { includeVoters: parsed.values['include-voters'], includeFlagged: parsed.values['include-flagged'] });
    if (parsed.values.out) {
      const out = path.resolve(cwd, parsed.values.out);
      const written = await writeBattleFile(out, records);
      io.stdout.write(`Exported ${written} battles from ${dbFile} to ${out}\n`);
    } else {
      let written = 0;
      let pending = '';
      for (const record of records) {
        pending += `${JSON.stringify(record)}\n`;
        written++;
        if (pending.length >= 1 << 16) {
          io.stdout.write(pending);
          pending = '';
        }
      }
      io.stdout.write(pending);
      io.stderr.write(`Exported ${written} battles from ${dbFile}\n`);
    }
    return 0;
  } finally {
    sqlite.close();
  }
}
