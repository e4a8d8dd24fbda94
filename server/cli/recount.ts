/**
 * `arena recount`: the audit of the maintained vote counts (server/standings/pair-counts-repo.ts):
 * counts every public vote again, reports any cell that differs and, with --fix, replaces the
 * maintained counts with the recount. The server may keep running (one write transaction).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDb } from '../../db/client.ts';
import { countDifferences, PairCountsRepo } from '../standings/pair-counts-repo.ts';
import { announceToInstances } from './announce.ts';
import { parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: arena recount [--db PATH] [--fix]

Counts the public votes again and compares them with the counts the standings read.
  --db PATH   database to check (overrides DATABASE_PATH, default ./data/arena.db)
  --fix       replace the maintained counts with the recount when they differ
Exit code 0 when they agree (or were fixed), 1 when they differ.
`;

const SHOWN = 20;

export async function runRecountCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommandArgs('recount', HELP, argv, io, { options: { db: { type: 'string' }, fix: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (!parsed) return 2;
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const file = path.resolve(parsed.values.db ?? env.DATABASE_PATH ?? './data/arena.db');
  if (!existsSync(file)) {
    io.stderr.write(`arena recount: no database at ${file}\n`);
    return 1;
  }
  const db = openDb(file);
  try {
    const repo = new PairCountsRepo(db.$client);
    const cells = countDifferences(repo.maintained(), repo.recount());
    const maintainedPrompts = repo.maintainedPrompts();
    const recountedPrompts = repo.recountPrompts();
    const prompts = [...new Set([...maintainedPrompts.keys(), ...recountedPrompts.keys()])].filter((p) => maintainedPrompts.get(p) !== recountedPrompts.get(p));
    if (cells.length === 0 && prompts.length === 0) {
      io.stdout.write('The maintained counts equal a recount from the votes.\n');
      return 0;
    }
    io.stdout.write(`${cells.length} cell(s) and ${prompts.length} prompt count(s) differ from a recount:\n`);
    for (const c of cells.slice(0, SHOWN)) io.stdout.write(`  ${c.cell}: maintained ${c.maintained}, recounted ${c.recounted}\n`);
    if (cells.length > SHOWN) io.stdout.write(`  … and ${cells.length - SHOWN} more\n`);
    if (!parsed.values.fix) return 1;
    repo.rebuild();
    io.stdout.write('Replaced the maintained counts with the recount.\n');
    await announceToInstances('recount', env.REDIS_URL?.trim(), io);
    return 0;
  } finally {
    db.$client.close();
  }
}
