/**
 * What `arena import battles` makes of one record of a battle file before anything is written
 * (pure; no I/O): skipped or not, its battle id, the model names of its sides, its voter, turns,
 * winner, whether it is named, prompt hash and categories. Runs on the import's reader thread
 * (import-worker.ts); what needs the database (model ids and new models, earlier votes, the rows)
 * is left to import-battles.ts.
 */
import { hash } from 'node:crypto';
import type { CategoryId } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import { modelConfigSchema } from '../models/config.ts';
import { dbWinnerFromOutcome } from '../ratings/outcomes.ts';
import { categorize } from '../standings/categories.ts';
import { promptHash as hashPrompt } from '../standings/prompt-hash.ts';
import { categoryHintsOf, exportedCategoriesOf } from './battle-categories.ts';
import { BattleFileError, type BattleRecord, type ConversationMessage } from './battle-record.ts';
import { RecordMemo } from './import-memo.ts';

/** Flag on imported votes of non-anonymous battles (the voter chose the models): kept, not counted. */
export const NAMED_FLAG = 'named';

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

export interface ImportedTurn {
  prompt: string;
  a: string | null;
  b: string | null;
}

/** A record to store, as derived from the file. */
export interface DerivedBattle {
  id: string;
  /** The file's model names (importedModelId maps them to ids). */
  nameA: string;
  nameB: string;
  voterId: string;
  /** The battle's turn count (the conversation's, else the file's `turn`). */
  turns: number;
  /** Empty for a record without a conversation (most files). */
  conversation: ImportedTurn[];
  winner: Winner;
  named: boolean;
  /** The categories the vote is filed under (frozen when shared between records). */
  categories: readonly CategoryId[];
  promptHash: string;
  at: number;
  /** An exported arena row's battle id (or `eval-vote-<id>`): the vote may already be here. */
  questionId: string | null;
}

/** What the deriver counted of the records it did not hand on. */
export interface DeriveSummary {
  read: number;
  selfBattles: number;
  skippedInvalid: number;
  skippedExamples: string[];
}

function textOf(content: ConversationMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'string' ? part : typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : ''))
    .filter((s) => s.length > 0)
    .join('\n');
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

export class BattleDeriver {
  readonly summary: DeriveSummary = { read: 0, selfBattles: 0, skippedInvalid: 0, skippedExamples: [] };
  readonly #memo: RecordMemo;
  readonly #skipInvalid: boolean;
  readonly #importedAt: number;

  constructor(opts: { longPromptTokens: number; skipInvalid: boolean; importedAt: number }) {
    this.#memo = new RecordMemo({ longPromptTokens: opts.longPromptTokens });
    this.#skipInvalid = opts.skipInvalid;
    this.#importedAt = opts.importedAt;
  }

  /** The battle to store, or null for a record that is skipped (counted in `summary`); throws for an invalid one unless skipping. */
  derive(record: BattleRecord): DerivedBattle | null {
    const summary = this.summary;
    summary.read++;
    // A self-battle compares nothing (every rating method ignores it).
    if (record.model_a === record.model_b) {
      summary.selfBattles++;
      return null;
    }
    const tooLong = record.model_a.length > MAX_NAME ? 'model_a' : record.model_b.length > MAX_NAME ? 'model_b' : undefined;
    if (tooLong) {
      const failure = new BattleFileError(`record ${summary.read}`, tooLong, `must be at most ${MAX_NAME} characters`);
      if (!this.#skipInvalid) throw failure;
      summary.skippedInvalid++;
      if (summary.skippedExamples.length < 5) summary.skippedExamples.push(failure.message);
      return null;
    }
    const memo = this.#memo;
    const id = memo.battleId(memo.canonicalJson(record));
    const turns = turnsOf(record);
    const prompts = turns.map((t) => t.prompt);
    return {
      id,
      nameA: record.model_a,
      nameB: record.model_b,
      voterId: memo.voterId(record.judge),
      turns: turns.length > 0 ? turns.length : (record.turn ?? 0),
      conversation: turns,
      winner: dbWinnerFromOutcome(record.winner),
      named: record.anony === false,
      categories:
        exportedCategoriesOf(record) ??
        (turns.length === 0
          ? memo.categoriesWithoutConversation(record)
          : categorize({ prompts, answers: turns.flatMap((t) => [t.a ?? '', t.b ?? '']) }, memo.categoryOptions, categoryHintsOf(record))),
      promptHash: hashPrompt(prompts),
      at: record.tstamp !== undefined ? Math.round(record.tstamp * 1000) : this.#importedAt,
      questionId: typeof record.question_id === 'string' ? record.question_id : null,
    };
  }
}
