/**
 * A judge's verdict (pure): read from its `[[…]]` tag, put in the item's orientation, and the two
 * orders combined. Nothing is guessed: no tag, or tags that disagree, is no verdict.
 */
import { JUDGE_VERDICTS, type JudgeVerdict } from '../../../protocol/judges.ts';

/** Which answer was shown first ("A"): `xy` = the item's first model. */
export type JudgeOrder = 'xy' | 'yx';
export type JudgeChoice = 'x' | 'y' | 'tie';

const TAG = /\[\[\s*([AB][^\]]{0,6}?)\s*\]\]/g;
/** The same verdicts written the other way round. */
const MIRRORED: Record<string, JudgeVerdict> = { 'B<<A': 'A>>B', 'B<A': 'A>B', 'B=A': 'A=B', 'A<B': 'B>A', 'A<<B': 'B>>A' };

function normalise(tag: string): JudgeVerdict | null {
  const compact = tag.replace(/\s+/g, '');
  if ((JUDGE_VERDICTS as readonly string[]).includes(compact)) return compact as JudgeVerdict;
  return MIRRORED[compact] ?? null;
}

/**
 * The verdict of a judge's answer, as Arena-Hard-Auto reads it: every `[[…]]` tag; exactly one
 * distinct verdict among them, else null (none, unknown, or two different ones).
 */
export function parseVerdict(text: string): JudgeVerdict | null {
  const found = new Set<JudgeVerdict | null>();
  for (const m of text.matchAll(TAG)) found.add(normalise(m[1]!));
  if (found.size !== 1) return null;
  return [...found][0] ?? null;
}

/** The verdict in the item's terms: which model's answer it preferred, whatever the order. */
export function choiceOf(verdict: JudgeVerdict, order: JudgeOrder): JudgeChoice {
  if (verdict === 'A=B') return 'tie';
  const first = verdict.startsWith('A');
  return first === (order === 'xy') ? 'x' : 'y';
}

/** True when the verdict chose the answer shown first; null for a tie. */
export function choseFirstShown(verdict: JudgeVerdict): boolean | null {
  return verdict === 'A=B' ? null : verdict.startsWith('A');
}

/** The two orders as one outcome: the same choice both times, else a tie (the order decided it). */
export function combineOrders(a: JudgeChoice, b: JudgeChoice): JudgeChoice {
  return a === b ? a : 'tie';
}
