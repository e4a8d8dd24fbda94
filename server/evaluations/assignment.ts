/** Which item a voter judges next (pure). */

export interface ItemCandidate {
  itemId: string;
  /** Votes already cast on the item. */
  votes: number;
  /** Other voters holding the item right now (handed out, not yet voted, lease not expired). */
  leases: number;
  /** This voter has already judged it. */
  judgedByVoter: boolean;
}

/** Still open to this voter: not judged by them, and votes plus open leases below the target. */
export function openToVoter(c: ItemCandidate, votesWanted: number): boolean {
  return !c.judgedByVoter && c.votes + c.leases < votesWanted;
}

/**
 * The least-covered open item, so every item gets its first vote before any gets its last (an
 * evaluation stopped early is still balanced); ties broken at random so voters do not all walk the
 * prompts in the same order.
 */
export function pickNextItem(candidates: readonly ItemCandidate[], votesWanted: number, random: () => number): string | null {
  let best: ItemCandidate[] = [];
  let bestLoad = Infinity;
  for (const c of candidates) {
    if (!openToVoter(c, votesWanted)) continue;
    const load = c.votes + c.leases;
    if (load < bestLoad) {
      bestLoad = load;
      best = [c];
    } else if (load === bestLoad) {
      best.push(c);
    }
  }
  if (best.length === 0) return null;
  return best[Math.min(best.length - 1, Math.floor(random() * best.length))]!.itemId;
}

/** Every unordered pair of the models, each once, in a stable order: the items made for each prompt. */
export function modelPairs(models: readonly string[]): Array<[string, string]> {
  const sorted = [...models].sort();
  return sorted.flatMap((a, i) => sorted.slice(i + 1).map((b): [string, string] => [a, b]));
}
