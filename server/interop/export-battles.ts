/**
 * `arena export battles`: the database's voted battles as a FastChat clean-battle file (JSON
 * Lines), in vote order, readable by `arena ratings` and by `arena import battles`. Never any
 * secret: no provider settings, addresses, error messages or reasoning, and voter ids only when
 * asked for.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Winner } from '../../protocol/types.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import { writeBattleFile, type BattleRecord, type ConversationMessage } from './battle-file.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { fileNameOfModel, NAMED_FLAG } from './import-battles.ts';
import type { CliIo } from '../cli/main.ts';

const HELP = `Usage: arena export battles [--out FILE] [--db PATH] [--include-voters] [--include-flagged]

Writes the database's voted battles as FastChat clean-battle JSON Lines, in vote order, to stdout
or FILE: model_a, model_b, winner, tstamp, anony, turn, question_id (the battle id) and, when the
prompts and answers are stored, conversation_a / conversation_b.

  --out FILE          write to FILE instead of stdout
  --db PATH           database (default DATABASE_PATH, else ./data/arena.db)
  --include-voters    add "judge": the voter id (anonymous ids; imported ones are hashed)
  --include-flagged   also votes an integrity flag kept out of the ratings (with "flags")
`;

interface VoteRow {
  id: number;
  battleId: string;
  winner: Winner;
  modelA: string;
  modelB: string;
  voterId: string;
  flags: string;
  counted: number;
  createdAt: number;
  turns: number;
}

export interface ExportOptions {
  includeVoters?: boolean;
  includeFlagged?: boolean;
}

const BATCH = 500;

/**
 * Yields one record per voted battle, ordered like the online Elo (vote time, then insertion).
 * The votes stream from one connection; prompts and answers come in batches from a second one,
 * whose snapshot starts later, so it holds every battle the first one lists (they are written
 * before the vote).
 */
export function* exportBattles(sqlite: Database.Database, opts: ExportOptions = {}): Generator<BattleRecord> {
  const names = new Map<string, string>();
  for (const m of sqlite.prepare('SELECT id, name FROM models').all() as Array<{ id: string; name: string }>) names.set(m.id, fileNameOfModel(m.id, m.name));
  const nameOf = (id: string) => names.get(id) ?? id;
  const votes = sqlite
    .prepare(
      `SELECT v.id, v.battle_id AS battleId, v.winner, v.model_a AS modelA, v.model_b AS modelB, v.voter_id AS voterId, v.flags,
              v.counted, v.created_at AS createdAt, b.turns
       FROM votes v JOIN battles b ON b.id = v.battle_id
       ${opts.includeFlagged ? '' : 'WHERE v.counted = 1'}
       ORDER BY v.created_at, v.id`,
    )
    .iterate() as IterableIterator<VoteRow>;
  const side = new Database(sqlite.name, { readonly: true, fileMustExist: true });
  try {
    const turnsOf = side.prepare('SELECT battle_id AS battleId, turn, prompt FROM turns WHERE battle_id IN (SELECT value FROM json_each(?)) ORDER BY turn');
    const answersOf = side.prepare('SELECT battle_id AS battleId, turn, side, content FROM answers WHERE battle_id IN (SELECT value FROM json_each(?))');
    let batch: VoteRow[] = [];
    const flush = function* (): Generator<BattleRecord> {
      const ids = JSON.stringify(batch.map((v) => v.battleId));
      const prompts = groupBy(turnsOf.all(ids) as Array<{ battleId: string; turn: number; prompt: string }>);
      const answers = new Map<string, string>();
      for (const a of answersOf.all(ids) as Array<{ battleId: string; turn: number; side: string; content: string }>) {
        answers.set(`${a.battleId}/${a.turn}/${a.side}`, a.content);
      }
      for (const v of batch) yield recordOf(v, prompts.get(v.battleId) ?? [], answers, nameOf, opts);
      batch = [];
    };
    for (const vote of votes) {
      batch.push(vote);
      if (batch.length === BATCH) yield* flush();
    }
    if (batch.length > 0) yield* flush();
  } finally {
    votes.return?.();
    side.close();
  }
}

function recordOf(
  v: VoteRow,
  turns: Array<{ turn: number; prompt: string }>,
  answers: Map<string, string>,
  nameOf: (id: string) => string,
  opts: ExportOptions,
): BattleRecord {
  const flags = JSON.parse(v.flags) as string[];
  const conversation = (side: 'a' | 'b'): ConversationMessage[] =>
    turns.flatMap((t) => [
      { role: 'user', content: t.prompt },
      { role: 'assistant', content: answers.get(`${v.battleId}/${t.turn}/${side}`) ?? '' },
    ]);
  return {
    question_id: v.battleId,
    model_a: nameOf(v.modelA),
    model_b: nameOf(v.modelB),
    winner: outcomeFromDbWinner(v.winner),
    ...(opts.includeVoters ? { judge: v.voterId } : {}),
    ...(v.turns > 0 ? { turn: v.turns } : {}),
    anony: !flags.includes(NAMED_FLAG),
    tstamp: v.createdAt / 1000,
    ...(flags.length > 0 ? { flags } : {}),
    ...(turns.length > 0 ? { conversation_a: conversation('a'), conversation_b: conversation('b') } : {}),
  };
}

function groupBy<T extends { battleId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.battleId);
    if (list) list.push(row);
    else out.set(row.battleId, [row]);
  }
  return out;
}

export async function runExportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        db: { type: 'string' },
        'include-voters': { type: 'boolean', default: false },
        'include-flagged': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`arena export: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'battles') {
    io.stderr.write(`arena export: expected \`battles\`\n\n${HELP}`);
    return 2;
  }
  let dbFile: string;
  try {
    dbFile = parsed.values.db ? path.resolve(cwd, parsed.values.db) : loadConfig(env, cwd).databasePath;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`arena export: ${err.message}\n`);
    return 1;
  }
  if (!existsSync(dbFile)) {
    io.stderr.write(`arena export: no database at ${dbFile}\n`);
    return 1;
  }
  const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const records = exportBattles(sqlite, { includeVoters: parsed.values['include-voters'], includeFlagged: parsed.values['include-flagged'] });
    if (parsed.values.out) {
      const out = path.resolve(cwd, parsed.values.out);
      const written = await writeBattleFile(out, records);
      io.stdout.write(`Exported ${written} battles from ${dbFile} to ${out}\n`);
    } else {
      let written = 0;
      let pending = '';
      for (const record of records) {
        pending += JSON.stringify(record) + '\n';
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
