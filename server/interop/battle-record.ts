/** One record of a FastChat clean-battle file, and its validation: errors name the field and the problem. */
import type { FilterableBattle } from '../ratings/filters.ts';
import { BATTLE_OUTCOMES, isBattleOutcome } from '../ratings/outcomes.ts';

export interface ConversationMessage {
  role: string;
  /** Text, or a list of parts for multimodal turns. */
  content: string | unknown[];
}

/** One battle as FastChat's clean_battle_data writes it; unknown fields pass through. */
export interface BattleRecord extends FilterableBattle {
  tstamp?: number;
  anony?: boolean;
  language?: string;
  turn?: number;
  judge?: string;
  question_id?: string | number;
  evaluation_id?: string | number;
  /** The arena's own: the categories the vote was filed under (server/standings/categories.ts). */
  categories?: string[];
  conversation_a?: ConversationMessage[];
  conversation_b?: ConversationMessage[];
  [field: string]: unknown;
}

export class BattleFileError extends Error {
  /** "line 17", "item 17" or "file". */
  readonly location: string;
  readonly field: string | null;
  readonly problem: string;

  constructor(location: string, field: string | null, problem: string) {
    super(`${location}: ${field === null ? '' : `${field}: `}${problem}`);
    this.name = 'BattleFileError';
    this.location = location;
    this.field = field;
    this.problem = problem;
  }
}

type FieldCheck = (value: unknown) => string | null;
const isText = (v: unknown) => (typeof v === 'string' ? null : 'must be a string');
const isTextOrNumber = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? null : 'must be a string or a number');
const OPTIONAL_FIELD_CHECKS: Record<string, FieldCheck> = {
  tstamp: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a number (unix seconds)'),
  anony: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  language: isText,
  turn: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a positive integer'),
  judge: isText,
  question_id: isTextOrNumber,
  evaluation_id: isTextOrNumber,
  conversation_a: checkConversation,
  conversation_b: checkConversation,
  categories: (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? null : 'must be an array of category ids'),
};

const OPTIONAL_CHECK_LIST = Object.entries(OPTIONAL_FIELD_CHECKS);

function checkConversation(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be an array of {role, content}';
  for (let i = 0; i < value.length; i++) {
    const message: unknown = value[i];
    if (typeof message !== 'object' || message === null) return `[${i}] must be an object`;
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string') return `[${i}].role must be a string`;
    if (typeof content !== 'string' && !Array.isArray(content)) return `[${i}].content must be a string or an array`;
  }
  return null;
}

export interface BattleProblem {
  field: string | null;
  problem: string;
}

/** What is wrong with a parsed record, or null if it is a valid battle. */
export function findBattleProblem(value: unknown): BattleProblem | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { field: null, problem: 'must be a JSON object' };
  const record = value as Record<string, unknown>;
  for (const field of ['model_a', 'model_b'] as const) {
    const name = record[field];
    if (name === undefined) return { field, problem: 'is required' };
    if (typeof name !== 'string' || name.length === 0) return { field, problem: 'must be a non-empty string' };
  }
  if (record.winner === undefined) return { field: 'winner', problem: 'is required' };
  if (!isBattleOutcome(record.winner)) return { field: 'winner', problem: `must be one of ${BATTLE_OUTCOMES.join(', ')}` };
  for (const [field, check] of OPTIONAL_CHECK_LIST) {
    const value = record[field];
    if (value === undefined) continue;
    const problem = check(value);
    if (problem !== null) return { field, problem };
  }
  return null;
}

/** Checks one parsed record; throws a BattleFileError naming `location` ("line 17") and the field. */
export function validateBattle(value: unknown, location: string): BattleRecord {
  const found = findBattleProblem(value);
  if (found) throw new BattleFileError(location, found.field, found.problem);
  return value as BattleRecord;
}
