/**
 * `arena import battles FILE`: loads a FastChat clean-battle file into the database as ordinary
 * battles, turns, answers and votes, then recomputes the online Elo projection from every counted
 * vote in time order. Idempotent: each row's battle id is a hash of the row's content (and of how
 * many identical rows came before it in the file), inserted with INSERT OR IGNORE.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { openDb } from '../../db/client.ts';
import { INITIAL_RATING } from '../standings/ratings-repo.ts';
import { ConfigError, loadConfig, modelConfigSchema } from '../config/load.ts';
import { BattleFileError, scanBattleFile, type BattleRecord, type ConversationMessage } from './battle-file.ts';
import { publicVotesInOrder } from '../standings/public-votes.ts';
import { eloUpdate } from '../ratings/elo.ts';
import { dbWinnerFromOutcome, outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';
import type { CliIo } from '../cli/main.ts';

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

/** Flag on imported votes of non-anonymous battles (the voter chose the models): kept, not counted. */
export const NAMED_FLAG = 'named';
/** Voter id of imported votes; the judge (if any) is hashed, never stored as given. */
export const IMPORT_VOTER_PREFIX = 'import:';
const MAX_NAME = 120;

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const isModelId = (text: string) => modelConfigSchema.shape.id.safeParse(text).success;

/**
 * The model id a battle file's model name maps to: the name itself when it is a valid model id (so
 * "gpt-4-0613" in a file is the configured model "gpt-4-0613", and histories merge), otherwise a
 * slug plus a hash of the name ("GPT 3.5 Turbo" → "GPT-3.5-Turbo-1a2b3c4d").
 */
export function importedModelId(name: string): string {
  if (isModelId(name)) return name;
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
    .slice(0, 48);
  return `${slug || 'model'}-${sha256(name).toString('hex').slice(0, 8)}`;
}

/** The name a model has in battle files (what import maps back to it): its name for imported models, else its id. */
export function fileNameOfModel(id: string, name: string): string {
  return importedModelId(name) === id ? name : id;
}

/** Top-level keys sorted, so the same battle hashes the same whatever order its fields were written in. */
function canonicalJson(record: BattleRecord): string {
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`).join(',')}}`;
}

function textOf(content: ConversationMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'string' ? part : typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : ''))
    .filter((s) => s.length > 0)
    .join('\n');
}

interface ImportedTurn {
  prompt: string;
  a: string | null;
  b: string | null;
}

/** Pairs each user message with the assistant message after it; prompts come from side A when present. */
function turnsOf(record: BattleRecord): ImportedTurn[] {
  const split = (conversation: ConversationMessage[] | undefined) => {
    const turns: Array<{ prompt: string; answer: string | null }> = [];
    for (const message of conversation ?? []) {
      if (/^(user|human)$/i.test(message.role)) turns.push({ prompt: textOf(message.content), answer: null });
      else if (!/^system$/i.test(message.role) && turns.length > 0 && turns.at(-1)!.answer === null) turns.at(-1)!.answer = textOf(message.content);
    }
    return turns;
  };
  const a = split(record.conversation_a);
  const b = split(record.conversation_b);
  const prompts = a.length >= b.length ? a : b;
  return prompts.map((t, i) => ({ prompt: t.prompt, a: a[i]?.answer ?? null, b: b[i]?.answer ?? null }));
}

export interface ImportSummary {
  read: number;
  imported: number;
  /** Of the imported: votes of non-anonymous battles, kept but not counted. */
  named: number;
  alreadyPresent: number;
  selfBattles: number;
  skippedInvalid: number;
  skippedExamples: string[];
  newModels: string[];
  /** Public votes the online Elo was recomputed from; null when nothing was imported (ratings untouched). */
  countedVotes: number | null;
}

/** Everything inside one transaction on the raw connection: all of the file, or nothing. */
export async function importBattleFile(sqlite: Database.Database, file: string, opts: { skipInvalid: boolean; eloK: number }): Promise<ImportSummary> {
  const summary: ImportSummary = {
    read: 0, imported: 0, named: 0, alreadyPresent: 0, selfBattles: 0, skippedInvalid: 0, skippedExamples: [], newModels: [], countedVotes: null,
  };
  const statements = {
    model: sqlite.prepare(`INSERT OR IGNORE INTO models (id, name, provider, settings, source, enabled) VALUES (?, ?, 'openai', ?, 'admin', 0)`),
    battle: sqlite.prepare(
      `INSERT OR IGNORE INTO battles (id, mode, model_a, model_b, status, voter_id, turns, created_at, updated_at) VALUES (?, 'arena', ?, ?, 'voted', ?, ?, ?, ?)`,
    ),
    turn: sqlite.prepare('INSERT INTO turns (battle_id, turn, prompt, created_at) VALUES (?, ?, ?, ?)'),
    answer: sqlite.prepare(
      `INSERT INTO answers (battle_id, turn, side, model_id, content, input_tokens, output_tokens, tokens_estimated, total_ms, finish_reason, created_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, 1, 0, 'stop', ?)`,
    ),
    vote: sqlite.prepare('INSERT INTO votes (battle_id, voter_id, winner, model_a, model_b, flags, counted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    voteOf: sqlite.prepare('SELECT model_a AS modelA, model_b AS modelB, winner FROM votes WHERE battle_id = ?'),
  };
  const modelIds = new Map<string, string>();
  const modelOf = (name: string): string => {
    let id = modelIds.get(name);
    if (id === undefined) {
      id = importedModelId(name);
      const settings = { id, name, provider: 'openai', model: name.slice(0, 200), enabled: false, weight: 1 };
      if (statements.model.run(id, name, JSON.stringify(settings)).changes > 0) summary.newModels.push(name);
      modelIds.set(name, id);
    }
    return id;
  };
  const occurrences = new Map<string, number>();
  const importedAt = Date.now();

  const add = (record: BattleRecord) => {
    summary.read++;
    // A self-battle compares nothing (every rating method ignores it).
    if (record.model_a === record.model_b) return void summary.selfBattles++;
    const tooLong = (['model_a', 'model_b'] as const).find((field) => record[field].length > MAX_NAME);
    if (tooLong) {
      const failure = new BattleFileError(`record ${summary.read}`, tooLong, `must be at most ${MAX_NAME} characters`);
      if (!opts.skipInvalid) throw failure;
      summary.skippedInvalid++;
      if (summary.skippedExamples.length < 5) summary.skippedExamples.push(failure.message);
      return;
    }
    const content = canonicalJson(record);
    const seen = occurrences.get(content) ?? 0;
    occurrences.set(content, seen + 1);
    const battleId = `imp-${sha256(`${content}\n${seen}`).toString('base64url').slice(0, 24)}`;
    const modelA = modelOf(record.model_a);
    const modelB = modelOf(record.model_b);
    const winner = dbWinnerFromOutcome(record.winner);
    // A row exported from an arena carries its battle id as question_id: already here if that vote matches.
    const earlier = typeof record.question_id === 'string' ? (statements.voteOf.get(record.question_id) as { modelA: string; modelB: string; winner: string } | undefined) : undefined;
    if (earlier && earlier.modelA === modelA && earlier.modelB === modelB && earlier.winner === winner) return void summary.alreadyPresent++;

    const at = record.tstamp !== undefined ? Math.round(record.tstamp * 1000) : importedAt;
    const turns = turnsOf(record);
    const voterId = IMPORT_VOTER_PREFIX + (record.judge === undefined ? 'unknown' : sha256(record.judge).toString('hex').slice(0, 16));
    const turnCount = turns.length > 0 ? turns.length : (record.turn ?? 0);
    if (statements.battle.run(battleId, modelA, modelB, voterId, turnCount, at, at).changes === 0) return void summary.alreadyPresent++;
    turns.forEach((t, i) => {
      statements.turn.run(battleId, i + 1, t.prompt, at);
      for (const [side, text, model] of [['a', t.a, modelA], ['b', t.b, modelB]] as const) {
        if (text !== null) statements.answer.run(battleId, i + 1, side, model, text, Math.ceil(text.length / 4), at);
      }
    });
    const named = record.anony === false;
    statements.vote.run(battleId, voterId, winner, modelA, modelB, JSON.stringify(named ? [NAMED_FLAG] : []), named ? 0 : 1, at);
    summary.imported++;
    if (named) summary.named++;
  };

  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const read = await scanBattleFile(file, add, { skipInvalid: opts.skipInvalid });
    summary.skippedInvalid += read.skipped;
    summary.skippedExamples = [...read.skippedExamples, ...summary.skippedExamples].slice(0, 5);
    // Nothing new, nothing to recompute (the projection is already that of these votes).
    summary.countedVotes = summary.imported > 0 ? recomputeRatings(sqlite, opts.eloK) : null;
    sqlite.exec('COMMIT');
  } catch (error) {
    sqlite.exec('ROLLBACK');
    throw error;
  }
  return summary;
}

/**
 * Rebuilds the `ratings` projection from the votes: online Elo over every public vote in time
 * order (ties broken by insertion order), exactly the per-vote update the server applies live.
 */
export function recomputeRatings(sqlite: Database.Database, k: number): number {
  const state = new Map<string, { rating: number; games: number; wins: number; losses: number; ties: number }>();
  const get = (id: string) => {
    let s = state.get(id);
    if (!s) state.set(id, (s = { rating: INITIAL_RATING, games: 0, wins: 0, losses: 0, ties: 0 }));
    return s;
  };
  let counted = 0;
  for (const [modelA, modelB, winner] of publicVotesInOrder(sqlite)) {
    if (modelA === modelB) continue;
    counted++;
    const a = get(modelA);
    const b = get(modelB);
    const score = scoreOfA(outcomeFromDbWinner(winner));
    [a.rating, b.rating] = eloUpdate(a.rating, b.rating, score, k);
    for (const [s, x] of [[a, score], [b, 1 - score]] as const) {
      s.games++;
      if (x === 1) s.wins++;
      else if (x === 0) s.losses++;
      else s.ties++;
    }
  }
  sqlite.prepare('DELETE FROM ratings').run();
  const insert = sqlite.prepare('INSERT INTO ratings (model_id, rating, games, wins, losses, ties, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const now = Date.now();
  for (const [id, s] of state) insert.run(id, s.rating, s.games, s.wins, s.losses, s.ties, now);
  return counted;
}

export async function runImportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' }, 'skip-invalid': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    io.stderr.write(`arena import: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [what, file, ...extra] = parsed.positionals;
  if (what !== 'battles' || !file || extra.length > 0) {
    io.stderr.write(`arena import: expected \`battles FILE\`\n\n${HELP}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env, cwd);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`arena import: ${err.message}\n`);
    return 1;
  }
  const dbFile = parsed.values.db ? path.resolve(cwd, parsed.values.db) : config.databasePath;
  const db = openDb(dbFile);
  const started = performance.now();
  try {
    const s = await importBattleFile(db.$client, path.resolve(cwd, file), { skipInvalid: parsed.values['skip-invalid'], eloK: config.elo.k });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (s.skippedInvalid > 0) io.stderr.write(`skipped ${s.skippedInvalid} invalid record(s), e.g. ${s.skippedExamples[0]}\n`);
    io.stdout.write(
      [
        `Imported ${s.imported} of ${s.read} battles into ${dbFile} in ${seconds} s` +
          (s.named > 0 ? ` (${s.named} named, kept but not counted)` : ''),
        `  already present: ${s.alreadyPresent}`,
        `  skipped invalid: ${s.skippedInvalid}`,
        ...(s.selfBattles > 0 ? [`  skipped self-battles: ${s.selfBattles}`] : []),
        `  new models: ${s.newModels.length} (disabled: shown in the leaderboards, never drawn for battles)`,
        s.countedVotes === null ? 'Nothing new: ratings unchanged.' : `Online Elo recomputed from ${s.countedVotes} counted votes.`,
        '',
      ].join('\n'),
    );
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
