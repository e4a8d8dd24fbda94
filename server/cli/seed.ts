/** `arena seed --demo`: argument parsing and the summary; the battles come from server/seed. */
import path from 'node:path';
import { openDb } from '../../db/client.ts';
import { DatabaseNotEmptyError, seedDemo } from '../seed/seed.ts';
import { announceToInstances } from './announce.ts';
import { loadCommandConfig, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

const HELP = `Usage: arena seed --demo [--force] [--db PATH] [--battles N] [--days D] [--seed S] [--until DATE]

Fills an empty database with a realistic demo, so a fresh install has standings, charts and history
to show: battles among the built-in demo models and three sample models with prices (switched off,
like imported ones), prompts in Korean, English, Japanese and Chinese (questions, code, math, long
documents, multi-turn), answers written by the demo models, timings, tokens and costs, some failed
and abandoned battles, and votes drawn from the models' latent strengths. Then the ratings are
recomputed from the votes. The same seed and --until give the same database.

  --demo          required: the demo data set (the only one there is)
  --force         seed a database that already holds battles, votes or evaluations (adds to them)
  --db PATH       database (default DATABASE_PATH, else ./data/arena.db); created if missing
  --battles N     battles to write (default 3000)
  --days D        spread over the D days before --until (default 42)
  --seed S        random seed, an integer (default 1)
  --until DATE    end of the spread, YYYY-MM-DD (UTC midnight) or an ISO time (default: now)

Run it while the server is stopped (or restart it afterwards: a running server keeps the live
standings in memory).
`;

function integer(value: string, min: number, max: number): number | null {
  const n = Number(value);
  return /^\d+$/.test(value) && n >= min && n <= max ? n : null;
}

export async function runSeedCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const parsed = parseCommandArgs('seed', HELP, argv, io, {
    options: {
      demo: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      db: { type: 'string' },
      battles: { type: 'string', default: '3000' },
      days: { type: 'string', default: '42' },
      seed: { type: 'string', default: '1' },
      until: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!parsed) return 2;
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const battles = integer(values.battles, 1, 200_000);
  const days = integer(values.days, 1, 3650);
  const seed = integer(values.seed, 0, Number.MAX_SAFE_INTEGER);
  const until = values.until === undefined ? Date.now() : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(values.until) ? `${values.until}T00:00:00Z` : values.until);
  const problem = !values.demo
    ? '--demo is required'
    : battles === null
      ? '--battles must be an integer from 1 to 200000'
      : days === null
        ? '--days must be an integer from 1 to 3650'
        : seed === null
          ? '--seed must be a non-negative integer'
          : Number.isNaN(until)
            ? '--until must be YYYY-MM-DD or an ISO time'
            : null;
  if (problem) {
    io.stderr.write(`arena seed: ${problem}\n\n${HELP}`);
    return 2;
  }
  const config = loadCommandConfig('seed', io, env, cwd);
  if (!config) return 1;
  const dbFile = values.db ? path.resolve(cwd, values.db) : config.databasePath;
  const db = openDb(dbFile);
  const started = performance.now();
  try {
    const s = await seedDemo(db, {
      seed: seed!,
      battles: battles!,
      days: days!,
      until,
      force: values.force,
      eloK: config.elo.k,
      longPromptTokens: config.standings.longPromptTokens,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const list = (counts: Record<string, number | undefined>) =>
      Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
    io.stdout.write(
      [
        `Seeded ${dbFile} in ${seconds} s: ${s.battles} battles over ${s.days} days, ${s.votes} votes (${s.countedVotes} counted), ${s.failed} failed, ${s.abandoned} abandoned`,
        `  languages: ${list(s.languages)}`,
        `  kinds: ${list(s.kinds)}`,
        `  models: ${s.models.join(', ')}`,
        'Online Elo recomputed from the votes. Start the server (npm start) and open the leaderboard.',
        '',
      ].join('\n'),
    );
    await announceToInstances('seed', config.redisUrl, io);
    return 0;
  } catch (error) {
    if (!(error instanceof DatabaseNotEmptyError)) throw error;
    io.stderr.write(`arena seed: ${dbFile}: ${error.message}\n`);
    return 1;
  } finally {
    db.$client.close();
  }
}
