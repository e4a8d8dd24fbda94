/**
 * Loads a FastChat clean-battle file into the database as ordinary
 * battles, turns, answers and votes, then recomputes the online Elo projection from every counted
 * vote in time order. Idempotent: each row's battle id is a hash of the row's content (and of how
 * many identical rows came before it in the file), inserted with INSERT OR IGNORE.
 */

import { hash } from 'node:crypto';
import type { Sqlite } from '../../db/client.ts';
import { modelConfigSchema } from '../models/config.ts';
import { dbWinnerFromOutcome } from '../ratings/outcomes.ts';
import { categorize } from '../standings/categories.ts';
import { standingsConfigSchema } from '../standings/config.ts';
import { PairCountsRepo } from '../standings/pair-counts-repo.ts';
import { promptHash as hashPrompt } from '../standings/prompt-hash.ts';
import { RatingsRepo } from '../standings/ratings-repo.ts';
import { categoryHintsOf, exportedCategoriesOf } from './battle-categories.ts';
import { scanBattleFile } from './battle-file.ts';
import { BattleFileError, type BattleRecord, type ConversationMessage } from './battle-record.ts';
import { EVAL_VOTE_PREFIX } from './export-store.ts';
import { RecordMemo } from './import-memo.ts';
import { ImportStore } from './import-store.ts';
import { ImportTally } from './import-tally.ts';

/** Flag on imported votes of non-anonymous battles (the voter chose the models): kept, not counted. */
export const NAMED_FLAG = 'named';
export { IMPORT_VOTER_PREFIX } from './import-memo.ts';

const NAMED_FLAGS = Object.freeze([NAMED_FLAG]);
const NO_FLAGS = Object.freeze([] as string[]);
const MAX_NAME = 120;

const sha256 = (text: string) => hash('sha256', text, 'buffer');
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

function earlierVote(store: ImportStore, questionId: string) {
  return questionId.startsWith(EVAL_VOTE_PREFIX) ? store.evalVoteOf(questionId.slice(EVAL_VOTE_PREFIX.length)) : store.voteOf(questionId);
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
export async function importBattleFile(
  sqlite: Sqlite,
  file: string,
  opts: { skipInvalid: boolean; eloK: number; longPromptTokens?: number; now?: () => number },
): Promise<ImportSummary> {
  const now = opts.now ?? Date.now;
  const summary: ImportSummary = {
    read: 0,
    imported: 0,
    named: 0,
    alreadyPresent: 0,
    selfBattles: 0,
    skippedInvalid: 0,
    skippedExamples: [],
    newModels: [],
    countedVotes: null,
  };
  const store = new ImportStore(sqlite);
  const memo = new RecordMemo({ longPromptTokens: opts.longPromptTokens ?? standingsConfigSchema.parse({}).longPromptTokens });
  const modelIds = new Map<string, string>();
  const modelOf = (name: string): string => {
    let id = modelIds.get(name);
    if (id === undefined) {
      id = importedModelId(name);
      const settings = { id, name, provider: 'openai', model: name.slice(0, 200), enabled: false, weight: 1 };
      if (store.addModel(id, name, JSON.stringify(settings))) summary.newModels.push(name);
      modelIds.set(name, id);
    }
    return id;
  };
  const importedAt = now();
  const tally = new ImportTally();

  const add = (record: BattleRecord) => {
    summary.read++;
    // A self-battle compares nothing (every rating method ignores it).
    if (record.model_a === record.model_b) return void summary.selfBattles++;
    const tooLong = record.model_a.length > MAX_NAME ? 'model_a' : record.model_b.length > MAX_NAME ? 'model_b' : undefined;
    if (tooLong) {
      const failure = new BattleFileError(`record ${summary.read}`, tooLong, `must be at most ${MAX_NAME} characters`);
      if (!opts.skipInvalid) throw failure;
      summary.skippedInvalid++;
      if (summary.skippedExamples.length < 5) summary.skippedExamples.push(failure.message);
      return;
    }
    const battleId = memo.battleId(memo.canonicalJson(record));
    const modelA = modelOf(record.model_a);
    const modelB = modelOf(record.model_b);
    const winner = dbWinnerFromOutcome(record.winner);
    // A row exported from an arena carries its battle id as question_id (an evaluation vote's
    // `eval-vote-<id>`): already here if that vote matches.
    const earlier = typeof record.question_id === 'string' ? earlierVote(store, record.question_id) : undefined;
    if (earlier && earlier.modelA === modelA && earlier.modelB === modelB && earlier.winner === winner) return void summary.alreadyPresent++;

    const turns = turnsOf(record);
    const named = record.anony === false;
    const prompts = turns.map((t) => t.prompt);
    const at = record.tstamp !== undefined ? Math.round(record.tstamp * 1000) : importedAt;
    const flags = named ? NAMED_FLAGS : NO_FLAGS;
    const promptHash = hashPrompt(prompts);
    const categories = store.addBattle({
      id: battleId,
      modelA,
      modelB,
      voterId: memo.voterId(record.judge),
      turns: turns.length > 0 ? turns.length : (record.turn ?? 0),
      conversation: turns,
      winner,
      flags,
      // Only for a new battle: a re-import decides no categories.
      categories: () =>
        exportedCategoriesOf(record) ??
        (turns.length === 0
          ? memo.categoriesWithoutConversation(record)
          : categorize({ prompts, answers: turns.flatMap((t) => [t.a ?? '', t.b ?? '']) }, memo.categoryOptions, categoryHintsOf(record))),
      promptHash,
      at,
    });
    if (categories === null) return void summary.alreadyPresent++;
    tally.add({ modelA, modelB, winner, counted: flags.length === 0, categories, promptHash, at });
    summary.imported++;
    if (named) summary.named++;
  };

  return store.inOneTransaction(async () => {
    const ratings = new RatingsRepo(sqlite, now);
    const firstPublicVotes = !ratings.hasPublicVotes();
    // The pair-count triggers stand aside; the imported votes are counted as they are added.
    const counts = new PairCountsRepo(sqlite);
    counts.deferCounts();
    const read = await store.load(() => scanBattleFile(file, add, { skipInvalid: opts.skipInvalid }));
    counts.addDeferred(tally.cells(), tally.prompts());
    summary.skippedInvalid += read.skipped;
    summary.skippedExamples = [...read.skippedExamples, ...summary.skippedExamples].slice(0, 5);
    // Nothing new, nothing to recompute (the projection is already that of these votes). When the
    // imported votes are the only public ones, their Elo is the recompute's, without reading them back.
    if (summary.imported === 0) summary.countedVotes = null;
    else if (!firstPublicVotes) summary.countedVotes = ratings.recompute(opts.eloK);
    else {
      ratings.replaceAll(tally.onlineElo(opts.eloK));
      summary.countedVotes = tally.counted;
    }
    return summary;
  });
}
