/** Pair sampling (pure): which two models fight, and which one is shown on the left. */

export interface Candidate {
  id: string;
  weight: number;
}

/**
 * Draws an unordered pair of distinct models with probability proportional to the product of
 * their weights (uniform over pairs when all weights are equal), then sides them by a fair coin.
 * Enumerating pairs is O(n²), trivial for the pool sizes an arena has, and exact.
 */
export function samplePair(candidates: readonly Candidate[], random: () => number): [string, string] {
  const n = candidates.length;
  if (n < 2) throw new Error('at least two models are needed for a battle');
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) total += candidates[i]!.weight * candidates[j]!.weight;
  let r = random() * total;
  let chosen: [Candidate, Candidate] = [candidates[n - 2]!, candidates[n - 1]!];
  outer: for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      r -= candidates[i]!.weight * candidates[j]!.weight;
      if (r < 0) {
        chosen = [candidates[i]!, candidates[j]!];
        break outer;
      }
    }
  }
  return random() < 0.5 ? [chosen[0].id, chosen[1].id] : [chosen[1].id, chosen[0].id];
}
