/**
 * Exports of every vote with its prompt and both answers (pure): FastChat-shaped JSON Lines (so
 * `arena ratings --battles FILE` ranks it) and CSV for spreadsheets.
 */
import type { Winner } from '../../protocol/types.ts';
import { outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { csvRow } from './csv.ts';

export interface ExportVote {
  evaluationId: string;
  questionId: string;
  category: string | null;
  turns: string[];
  modelA: string;
  modelB: string;
  answersA: string[];
  answersB: string[];
  winner: Winner;
  voterId: string;
  reason: string | null;
  createdAt: Date;
  /** A person's vote, or a judge model's outcome (both orders combined). */
  kind: 'human' | 'model';
}

/** Judges as `judge-1`, `judge-2`… in order of first vote, unless identities are asked for; judge models as `model:<id>`. */
export function judgeNamer(identify: ((voterId: string) => string) | null): (voterId: string) => string {
  const numbers = new Map<string, number>();
  return (voterId) => {
    if (voterId.startsWith('model:')) return voterId;
    if (identify) return identify(voterId);
    const n = numbers.get(voterId) ?? numbers.size + 1;
    numbers.set(voterId, n);
    return `judge-${n}`;
  };
}

function conversation(turns: string[], answers: string[]) {
  return turns.flatMap((prompt, t) => [
    { role: 'user', content: prompt },
    { role: 'assistant', content: answers[t] ?? '' },
  ]);
}

export function toFastChatRecord(v: ExportVote, judge: string): Record<string, unknown> {
  return {
    question_id: v.questionId,
    model_a: v.modelA,
    model_b: v.modelB,
    winner: outcomeFromDbWinner(v.winner),
    judge,
    judge_kind: v.kind,
    turn: v.turns.length,
    anony: true,
    tstamp: v.createdAt.getTime() / 1000,
    conversation_a: conversation(v.turns, v.answersA),
    conversation_b: conversation(v.turns, v.answersB),
    evaluation_id: v.evaluationId,
    category: v.category,
    ...(v.reason ? { reason: v.reason } : {}),
  };
}

export function toJsonl(votes: Iterable<ExportVote>, judge: (voterId: string) => string): string {
  let out = '';
  for (const v of votes) out += `${JSON.stringify(toFastChatRecord(v, judge(v.voterId)))}\n`;
  return out;
}

export const CSV_COLUMNS = [
  'tstamp',
  'evaluation_id',
  'question_id',
  'category',
  'turns',
  'prompt',
  'model_a',
  'model_b',
  'winner',
  'answer_a',
  'answer_b',
  'judge',
  'judge_kind',
  'reason',
] as const;

/** Multi-turn prompts and answers are one cell each, turns marked `[turn N]`. */
function joinTurns(texts: string[]): string {
  return texts.length === 1 ? (texts[0] ?? '') : texts.map((t, i) => `[turn ${i + 1}]\n${t}`).join('\n\n');
}

export function toCsv(votes: Iterable<ExportVote>, judge: (voterId: string) => string): string {
  let out = csvRow([...CSV_COLUMNS]);
  for (const v of votes) {
    out += csvRow([
      v.createdAt.toISOString(),
      v.evaluationId,
      v.questionId,
      v.category,
      v.turns.length,
      joinTurns(v.turns),
      v.modelA,
      v.modelB,
      outcomeFromDbWinner(v.winner),
      joinTurns(v.answersA),
      joinTurns(v.answersB),
      judge(v.voterId),
      v.kind,
      v.reason,
    ]);
  }
  return out;
}
