/**
 * Prompt deduplication, as LMArena does it (FastChat monitor/deduplication.py): a prompt asked far
 * more often than others (above the (1 − topShare) quantile of the per-prompt counts, 99.99% by
 * default) is capped at that quantile, so a few repeated prompts ("hi", a viral test question)
 * cannot steer the ratings. The weights go into PairRows.weight (or PairVote.weight).
 */
import { Xoshiro128 } from './random.ts';

export interface DedupOptions {
  /** Share of distinct prompts, by count, treated as over-represented. Default 0.0001 (FastChat's 99.99th percentile). */
  topShare?: number | undefined;
  /**
   * 'weight' (default): each vote of a capped prompt weighs cap/count, so the prompt counts as cap
   * votes. 'sample': cap of its votes, drawn with `seed`, keep weight 1 and the others get 0 (FastChat's way).
   */
  mode?: 'weight' | 'sample' | undefined;
  seed?: number | undefined;
}

export interface DedupResult {
  /** One weight per vote, in the order of the keys. */
  weights: Float64Array;
  /** The per-prompt cap (the quantile, rounded down, at least 1); Infinity when nothing is capped. */
  cap: number;
  /** The capped prompts and their counts, most frequent first. */
  frequent: Array<{ key: string; count: number }>;
}

const MAX_KEY_LENGTH = 10_000;

/**
 * The key a vote's prompt is counted under: its user turns, each NFC-normalized (so composed and
 * decomposed Hangul count as one prompt) and trimmed, joined by newlines, first 10,000 characters.
 */
export function promptKey(userTurns: string | readonly string[]): string {
  const turns = typeof userTurns === 'string' ? [userTurns] : userTurns;
  return turns
    .map((t) => t.normalize('NFC').trim())
    .join('\n')
    .slice(0, MAX_KEY_LENGTH);
}

/**
 * The cap and the capped prompts from the per-prompt counts alone (what dedupWeights decides, for
 * callers that count prompts elsewhere, e.g. with SQL). `askedOnce`: further prompts asked once
 * each, not listed (they take part in the quantile and are never capped).
 */
export function frequentPrompts(
  counts: ReadonlyMap<string, number>,
  options: Pick<DedupOptions, 'topShare'> = {},
  askedOnce = 0,
): { cap: number; frequent: Array<{ key: string; count: number }> } {
  const topShare = options.topShare ?? 0.0001;
  if (!(topShare >= 0 && topShare < 1)) throw new RangeError(`topShare must be in [0, 1), got ${topShare}`);
  if (topShare === 0 || counts.size + askedOnce === 0) return { cap: Infinity, frequent: [] };
  const sorted = new Float64Array(askedOnce + counts.size);
  sorted.fill(1, 0, askedOnce);
  sorted.set(Float64Array.from(counts.values()), askedOnce);
  sorted.sort();
  const cap = capOf((i) => sorted[i]!, sorted.length, topShare);
  const frequent = [...counts.entries()]
    .filter(([, count]) => count > cap)
    .map(([key, count]) => ({ key, count }))
    .sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1));
  return { cap: frequent.length > 0 ? cap : Infinity, frequent };
}

/**
 * The per-prompt cap: the (1 − topShare) quantile of `total` per-prompt counts, rounded down, at
 * least 1. `ascending(i)` is the i-th smallest count; only the largest `capDepth(total, topShare)`
 * are ever read, so a caller holding counts in an index reads just those.
 */
function capOf(ascending: (i: number) => number, total: number, topShare: number): number {
  const position = (total - 1) * (1 - topShare);
  const below = Math.floor(position);
  const above = Math.min(below + 1, total - 1);
  return Math.max(1, Math.floor(ascending(below) + (position - below) * (ascending(above) - ascending(below))));
}

/** How many of the largest per-prompt counts decide the cap among `total` prompts. */
export function capDepth(total: number, topShare: number): number {
  return total === 0 ? 0 : total - Math.floor((total - 1) * (1 - topShare));
}

/**
 * The cap from the largest counts alone (at least capDepth of them, largest first) among `total`
 * prompts: exactly what frequentPrompts decides from all of them.
 */
export function capFromLargest(largest: readonly number[], total: number, topShare: number): number {
  if (largest.length < Math.min(total, capDepth(total, topShare))) throw new RangeError('capFromLargest needs the largest capDepth counts');
  return capOf((i) => largest[total - 1 - i]!, total, topShare);
}

export function dedupWeights(keys: readonly string[], options: DedupOptions = {}): DedupResult {
  const weights = new Float64Array(keys.length).fill(1);
  const byKey = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const counts = new Map([...byKey].map(([key, list]) => [key, list.length]));
  const { cap, frequent: capped } = frequentPrompts(counts, options);
  const frequent = capped.map(({ key, count }) => ({ key, count, list: byKey.get(key)! }));
  const random = new Xoshiro128(options.seed ?? 1);
  for (const { list } of frequent) {
    if (options.mode === 'sample') {
      // Partial Fisher–Yates: the first `cap` positions become a uniform sample without replacement.
      const order = list.slice();
      for (let k = 0; k < cap; k++) {
        const pick = k + Math.floor(random.nextFloat() * (order.length - k));
        [order[k], order[pick]] = [order[pick]!, order[k]!];
      }
      for (const i of list) weights[i] = 0;
      for (let k = 0; k < cap; k++) weights[order[k]!] = 1;
    } else {
      for (const i of list) weights[i] = cap / list.length;
    }
  }
  return { weights, cap, frequent: capped };
}
