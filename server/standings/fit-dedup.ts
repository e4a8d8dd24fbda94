/**
 * Prompt deduplication for a public fit (pure): prompts asked far more often than the others
 * (above the 1 − topShare quantile of the per-prompt counts, server/ratings/prompt-dedup.ts) weigh
 * cap/count per vote, so each counts as `cap` votes. Only votes with a prompt hash take part:
 * evaluation votes (a prompt set judged many times on purpose) and imports without prompts keep weight 1.
 */
import type { PromptDedupSummary } from '../../protocol/types.ts';
import type { BattleColumns, BattleCounts } from '../ratings/counts.ts';
import { OUTCOME_CODE } from '../ratings/outcomes.ts';
import { frequentPrompts } from '../ratings/prompt-dedup.ts';
import { ASKED_ONCE, type FitVotes } from './fit-votes.ts';

export interface FitDedup {
  /** Per vote; null when no vote is down-weighted. */
  weights: Float64Array | null;
  summary: PromptDedupSummary;
  /** The down-weighted prompts (hashes) and their vote counts, most frequent first. */
  frequent: Array<{ key: string; count: number }>;
}

/** What a fit reports of its deduplication; `effective` is the sum of its vote weights. */
export function dedupSummary(topShare: number, cap: number, frequent: ReadonlyArray<{ count: number }>, effective: number): PromptDedupSummary {
  return {
    topShare,
    cap: frequent.length > 0 ? cap : null,
    prompts: frequent.length,
    votes: frequent.reduce((s, f) => s + f.count, 0),
    effectiveVotes: Math.round(effective * 1000) / 1000,
  };
}

export function dedupOf(votes: FitVotes, topShare: number): FitDedup {
  const n = votes.columns.length;
  const perPrompt = new Int32Array(votes.prompts.length);
  let askedOnce = 0;
  for (let k = 0; k < n; k++) {
    const p = votes.prompt[k]!;
    if (votes.columns.modelA[k] === votes.columns.modelB[k]) continue;
    if (p >= 0) perPrompt[p]!++;
    else if (p === ASKED_ONCE) askedOnce++;
  }
  const counts = new Map<string, number>();
  votes.prompts.forEach((key, i) => {
    if (perPrompt[i]! > 0) counts.set(key, perPrompt[i]!);
  });
  const { cap, frequent } = frequentPrompts(counts, { topShare }, askedOnce);
  const summary = (weights: Float64Array | null): PromptDedupSummary => {
    let effective = 0;
    for (let k = 0; k < n; k++) if (votes.columns.modelA[k] !== votes.columns.modelB[k]) effective += weights ? weights[k]! : 1;
    return dedupSummary(topShare, cap, frequent, effective);
  };
  if (frequent.length === 0) return { weights: null, summary: summary(null), frequent };
  const weightOf = new Float64Array(votes.prompts.length).fill(1);
  const index = new Map(votes.prompts.map((key, i) => [key, i]));
  for (const f of frequent) weightOf[index.get(f.key)!] = cap / f.count;
  const weights = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = votes.prompt[k]!;
    weights[k] = p >= 0 ? weightOf[p]! : 1;
  }
  return { weights, summary: summary(weights), frequent };
}

/** Counts with each vote weighted (ties half to each side as usual); `battles` is the total weight. */
export function weightedCounts(columns: BattleColumns, weights: Float64Array): BattleCounts {
  const m = columns.models.length;
  const wins = new Float64Array(m * m);
  const ties = new Float64Array(m * m);
  let battles = 0;
  for (let k = 0; k < columns.length; k++) {
    const a = columns.modelA[k]!;
    const b = columns.modelB[k]!;
    if (a === b) continue;
    const w = weights[k]!;
    const code = columns.outcome[k]!;
    if (code === OUTCOME_CODE.model_a) wins[a * m + b]! += w;
    else if (code === OUTCOME_CODE.model_b) wins[b * m + a]! += w;
    else {
      ties[a * m + b]! += w;
      ties[b * m + a]! += w;
    }
    battles += w;
  }
  return { models: columns.models, wins, ties, battles };
}
