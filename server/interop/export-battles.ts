/**
 * The database's voted battles (and the votes of evaluations that count in public, with their
 * `evaluation_id`) as a FastChat clean-battle file (JSON Lines), in vote order, readable by
 * `arena ratings`, by `arena import battles` and by `arena ratings --verify`. Never any
 * secret: no provider settings, addresses, error messages or reasoning, and voter ids only when
 * asked for.
 */
import type { Sqlite } from '../../db/client.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import type { BattleRecord, ConversationMessage } from './battle-record.ts';
import { type ExportedVote, ExportStore } from './export-store.ts';
import { fileNameOfModel, NAMED_FLAG } from './import-battles.ts';

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
export function* exportBattles(sqlite: Sqlite, opts: ExportOptions = {}): Generator<BattleRecord> {
  const store = new ExportStore(sqlite);
  const nameOf = fileNames(store);
  const votes = store.votes(opts.includeFlagged ?? false);
  const side = store.contentReader();
  try {
    let batch: ExportedVote[] = [];
    const flush = function* (): Generator<BattleRecord> {
      const { prompts, answers } = side.read(batch.map((v) => v.battleId));
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

/**
 * The same records without prompts and answers, from this one connection (also `:memory:`): what
 * a published snapshot reads, so its votes are exactly those of an export.
 */
export function* exportVoteRecords(sqlite: Sqlite, opts: ExportOptions = {}): Generator<BattleRecord> {
  const store = new ExportStore(sqlite);
  const nameOf = fileNames(store);
  const noAnswers = new Map<string, string>();
  const votes = store.votes(opts.includeFlagged ?? false);
  try {
    for (const vote of votes) yield recordOf(vote, [], noAnswers, nameOf, opts);
  } finally {
    votes.return?.();
  }
}

function fileNames(store: ExportStore): (id: string) => string {
  const names = new Map<string, string>();
  for (const m of store.models()) names.set(m.id, fileNameOfModel(m.id, m.name));
  return (id) => names.get(id) ?? id;
}

function recordOf(
  v: ExportedVote,
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
    ...(v.evaluationId !== null ? { evaluation_id: v.evaluationId } : {}),
    ...(v.turns > 0 ? { turn: v.turns } : {}),
    anony: !flags.includes(NAMED_FLAG),
    tstamp: v.createdAt / 1000,
    ...(flags.length > 0 ? { flags } : {}),
    ...(v.categories !== null ? { categories: JSON.parse(v.categories) as string[] } : {}),
    ...(turns.length > 0 ? { conversation_a: conversation('a'), conversation_b: conversation('b') } : {}),
  };
}
