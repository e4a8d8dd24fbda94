/**
 * Gold items (pure): a prompt with two fixed answers and the verdict a careful voter gives them,
 * mixed into each voter's queue like any item. Read from the prompt file, scored per voter.
 */
import type { GoldAnswers } from '../../db/schema-evaluations.ts';
import type { EvalChoice } from '../../protocol/evaluations.ts';

/** The sides of a gold item in eval_items: its answers "a" and "b" of the file stand where models stand. */
export const GOLD_SIDES = { x: 'gold:a', y: 'gold:b' } as const;
export const isGoldSide = (model: string): boolean => model === GOLD_SIDES.x || model === GOLD_SIDES.y;

const VERDICTS = ['a', 'b', 'tie', 'bothbad'] as const;

function answersOf(value: unknown, turns: number, what: string): string[] | string {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || t.trim() === '')) return `${what} must be a non-empty string (or one per turn)`;
  if (list.length !== turns) return `${what} needs one answer per turn (${turns})`;
  return list as string[];
}

/**
 * `{ "a": "…", "b": "…", "verdict": "a" | "b" | "tie" | "bothbad" }`, or the shorthand
 * `{ "better": "…", "worse": "…" }` (verdict "a"). Answers are strings, or lists with one per turn.
 * Returns the gold answers, or a problem to report.
 */
export function checkGold(raw: unknown, turns: number): GoldAnswers | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '"gold" must be an object with "a", "b" and "verdict" (or "better" and "worse")';
  const g = raw as Record<string, unknown>;
  const shorthand = g.better !== undefined || g.worse !== undefined;
  const a = answersOf(shorthand ? g.better : g.a, turns, shorthand ? '"gold.better"' : '"gold.a"');
  if (typeof a === 'string') return a;
  const b = answersOf(shorthand ? g.worse : g.b, turns, shorthand ? '"gold.worse"' : '"gold.b"');
  if (typeof b === 'string') return b;
  const verdict = shorthand ? 'a' : g.verdict;
  if (!VERDICTS.includes(verdict as (typeof VERDICTS)[number])) return '"gold.verdict" must be "a", "b", "tie" or "bothbad"';
  return { a, b, verdict: verdict as GoldAnswers['verdict'] };
}

/** The verdict a gold item requires, in the item's orientation (x = its answer "a"). */
export function goldChoice(gold: GoldAnswers): EvalChoice {
  return gold.verdict === 'a' ? 'x' : gold.verdict === 'b' ? 'y' : gold.verdict;
}

export interface GoldVote {
  voter: string;
  choice: EvalChoice;
  expected: EvalChoice;
}

/** Accuracy of every voter who judged gold items; those below `minAccuracy` are excluded. */
export function goldAccuracy(votes: readonly GoldVote[], minAccuracy: number | null) {
  const byVoter = new Map<string, { judged: number; correct: number }>();
  for (const v of votes) {
    const entry = byVoter.get(v.voter) ?? { judged: 0, correct: 0 };
    entry.judged++;
    if (v.choice === v.expected) entry.correct++;
    byVoter.set(v.voter, entry);
  }
  return [...byVoter.entries()]
    .map(([voter, e]) => {
      const accuracy = e.judged > 0 ? e.correct / e.judged : null;
      return { voter, ...e, accuracy, excluded: minAccuracy !== null && accuracy !== null && accuracy < minAccuracy };
    })
    .sort((x, y) => (x.accuracy ?? 2) - (y.accuracy ?? 2) || x.voter.localeCompare(y.voter));
}
