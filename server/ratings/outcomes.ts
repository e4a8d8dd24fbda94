/** Battle outcomes in FastChat's vocabulary, and the mapping from the arena's vote winners. */

/** How the arena records a vote (the same values as the protocol's `Winner`; ratings/ imports nothing). */
export type Winner = 'a' | 'b' | 'tie' | 'bothbad';

export const BATTLE_OUTCOMES = ['model_a', 'model_b', 'tie', 'tie (bothbad)'] as const;
export type BattleOutcome = (typeof BATTLE_OUTCOMES)[number];

/** The minimum a rating method needs to know about one battle. */
export interface BattleResult {
  model_a: string;
  model_b: string;
  winner: BattleOutcome;
}

/**
 * Compact outcome codes used in columnar storage. Both tie kinds carry the same information for
 * Elo and Bradley-Terry, but they stay distinct so counts per kind can still be reported.
 */
export const OUTCOME_CODE = { model_a: 0, model_b: 1, tie: 2, 'tie (bothbad)': 3 } as const satisfies Record<BattleOutcome, number>;
export type OutcomeCode = (typeof OUTCOME_CODE)[BattleOutcome];

const OUTCOME_SET: ReadonlySet<string> = new Set(BATTLE_OUTCOMES);

export function isBattleOutcome(value: unknown): value is BattleOutcome {
  return typeof value === 'string' && OUTCOME_SET.has(value);
}

export function isTie(outcome: BattleOutcome): boolean {
  return outcome === 'tie' || outcome === 'tie (bothbad)';
}

/** Score of model A: 1 for a win, 0 for a loss, 0.5 for either kind of tie. */
export function scoreOfA(outcome: BattleOutcome): number {
  return outcome === 'model_a' ? 1 : outcome === 'model_b' ? 0 : 0.5;
}

const FROM_DB: Record<Winner, BattleOutcome> = { a: 'model_a', b: 'model_b', tie: 'tie', bothbad: 'tie (bothbad)' };
const TO_DB: Record<BattleOutcome, Winner> = { model_a: 'a', model_b: 'b', tie: 'tie', 'tie (bothbad)': 'bothbad' };

export function outcomeFromDbWinner(winner: Winner): BattleOutcome {
  return FROM_DB[winner];
}

export function dbWinnerFromOutcome(outcome: BattleOutcome): Winner {
  return TO_DB[outcome];
}
