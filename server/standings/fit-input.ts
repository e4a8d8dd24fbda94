/**
 * What a public fit is made from (pure): the counts of its votes, the prompt-deduplicated counts
 * and their summary, and the votes themselves when the fit was read vote by vote. Two ways in:
 * from the votes (any method) or from the maintained counts (pair-counts-repo.ts), which give the
 * same counts without reading every vote but cannot serve what needs one row per vote.
 */
import type { PromptDedupSummary } from '../../protocol/types.ts';
import { type BattleCounts, countBattles, sortedModelIds } from '../ratings/counts.ts';
import { dedupOf, dedupSummary, weightedCounts } from './fit-dedup.ts';
import type { FitVotes } from './fit-votes.ts';

export interface FitInput {
  /** Every vote between two different models; models in id order from counts, in order of first appearance from votes. */
  all: BattleCounts;
  dedup: {
    /** The counts with frequent prompts down-weighted; null when none is. */
    weighted: BattleCounts | null;
    /** Per vote (read from the votes only); null when none is down-weighted or the input came from counts. */
    weights: Float64Array | null;
    summary: PromptDedupSummary;
  } | null;
  /** The votes, when read one by one (style control, voter clusters and weighted model-based intervals need them). */
  votes: FitVotes | null;
}

export function inputOfVotes(votes: FitVotes, dedupTopShare: number): FitInput {
  const dedup = dedupTopShare > 0 ? dedupOf(votes, dedupTopShare) : null;
  return {
    all: countBattles(votes.columns),
    dedup: dedup && { weighted: dedup.weights ? weightedCounts(votes.columns, dedup.weights) : null, weights: dedup.weights, summary: dedup.summary },
    votes,
  };
}

/**
 * The public votes between two models, whichever side each was on: `first` sorts before `second`
 * (code-unit order), wins of each and ties of both kinds.
 */
export interface PairTally {
  first: string;
  second: string;
  firstWins: number;
  secondWins: number;
  ties: number;
}

/** Prompt deduplication as decided from the per-prompt counts (server/ratings/prompt-dedup.ts frequentPrompts). */
export interface CountsDedup {
  topShare: number;
  cap: number;
  /** Prompts above the cap, most frequent first. */
  frequent: Array<{ key: string; count: number }>;
  /** Those prompts' votes per pair. */
  tallies: ReadonlyArray<PairTally & { prompt: string }>;
}

export function inputOfCounts(tallies: readonly PairTally[], dedup: CountsDedup | null): FitInput {
  const names = new Set<string>();
  for (const t of tallies) {
    names.add(t.first);
    names.add(t.second);
  }
  const models = sortedModelIds(names);
  const index = new Map(models.map((id, i) => [id, i]));
  const m = models.length;
  const wins = new Float64Array(m * m);
  const ties = new Float64Array(m * m);
  let battles = 0;
  for (const t of tallies) {
    const a = index.get(t.first)!;
    const b = index.get(t.second)!;
    wins[a * m + b]! += t.firstWins;
    wins[b * m + a]! += t.secondWins;
    ties[a * m + b]! += t.ties;
    ties[b * m + a]! += t.ties;
    battles += t.firstWins + t.secondWins + t.ties;
  }
  const all: BattleCounts = { models, wins, ties, battles };
  return { all, dedup: dedup && dedupOfCounts(all, index, dedup), votes: null };
}

/**
 * Each vote of a prompt above the cap weighs cap/count, so the pair loses n·(1 − cap/count) of its
 * n such votes; the total weight is what the votes-based fit sums vote by vote.
 */
function dedupOfCounts(all: BattleCounts, index: ReadonlyMap<string, number>, dedup: CountsDedup): NonNullable<FitInput['dedup']> {
  const summary = (effective: number) => dedupSummary(dedup.topShare, dedup.cap, dedup.frequent, effective);
  if (dedup.frequent.length === 0) return { weighted: null, weights: null, summary: summary(all.battles) };
  const m = all.models.length;
  const loss = new Map(dedup.frequent.map((f) => [f.key, 1 - dedup.cap / f.count]));
  const wins = all.wins.slice();
  const ties = all.ties.slice();
  let battles = all.battles;
  for (const t of dedup.tallies) {
    const a = index.get(t.first);
    const b = index.get(t.second);
    const share = loss.get(t.prompt);
    if (a === undefined || b === undefined || share === undefined || a === b) continue;
    wins[a * m + b]! -= t.firstWins * share;
    wins[b * m + a]! -= t.secondWins * share;
    ties[a * m + b]! -= t.ties * share;
    ties[b * m + a]! -= t.ties * share;
    battles -= (t.firstWins + t.secondWins + t.ties) * share;
  }
  return { weighted: { models: all.models, wins, ties, battles }, weights: null, summary: summary(battles) };
}
