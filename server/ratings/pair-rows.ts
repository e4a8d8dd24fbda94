/**
 * Pairwise votes as rows for the general fit (server/ratings/pair-model.ts): each row is one vote,
 * or a group of identical votes (same pair, same outcome, same covariates, same cluster).
 */
import type { BattleCounts } from './counts.ts';
import { type BattleOutcome, scoreOfA } from './outcomes.ts';

export interface PairRows {
  readonly models: readonly string[];
  readonly length: number;
  /** Model indices of the two sides. */
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** Score of side a: 1 won, 0 lost, ½ tie (FastChat's half-win convention). */
  readonly y: Float64Array;
  /** How many identical votes the row stands for. */
  readonly count: Float64Array;
  /** Per-vote weight (e.g. prompt deduplication); 1 when absent. */
  readonly weight?: Float64Array | undefined;
  /** Cluster (e.g. voter) of the row's votes, for clustered sandwich intervals; a row never mixes clusters. */
  readonly cluster?: Int32Array | undefined;
  /** Covariates, length × featureNames.length, row-major (e.g. style differences). */
  readonly features?: Float64Array | undefined;
  readonly featureNames?: readonly string[] | undefined;
}

/**
 * Three rows per compared pair (first wins, second wins, tie) from aggregated counts: the whole
 * data set in O(models²) rows, whatever the number of votes.
 */
export function rowsFromCounts(counts: BattleCounts): PairRows {
  const m = counts.models.length;
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  const count: number[] = [];
  const push = (i: number, j: number, score: number, n: number) => {
    if (n <= 0) return;
    a.push(i);
    b.push(j);
    y.push(score);
    count.push(n);
  };
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      push(i, j, 1, counts.wins[i * m + j]!);
      push(i, j, 0, counts.wins[j * m + i]!);
      push(i, j, 0.5, counts.ties[i * m + j]!);
    }
  }
  return { models: counts.models, length: a.length, a: Int32Array.from(a), b: Int32Array.from(b), y: Float64Array.from(y), count: Float64Array.from(count) };
}

/** One vote for rowsFromVotes: model names, outcome, and optionally its voter and weight. */
export interface PairVote {
  model_a: string;
  model_b: string;
  winner: BattleOutcome;
  /** Who voted (any stable id): votes of one voter form one cluster. */
  voter?: string | undefined;
  weight?: number | undefined;
}

/** One row per vote (self-battles dropped); models in order of first appearance unless `models` is given. */
export function rowsFromVotes(votes: readonly PairVote[], models?: readonly string[]): PairRows {
  const ids = new Map<string, number>((models ?? []).map((name, i) => [name, i]));
  const idOf = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      if (models) throw new RangeError(`model "${name}" is not in the given model list`);
      id = ids.size;
      ids.set(name, id);
    }
    return id;
  };
  const voters = new Map<string, number>();
  const kept = votes.filter((v) => v.model_a !== v.model_b);
  const n = kept.length;
  const rows = { a: new Int32Array(n), b: new Int32Array(n), y: new Float64Array(n), count: new Float64Array(n).fill(1) };
  const weight = kept.some((v) => v.weight !== undefined) ? new Float64Array(n) : undefined;
  const cluster = kept.some((v) => v.voter !== undefined) ? new Int32Array(n) : undefined;
  kept.forEach((v, k) => {
    rows.a[k] = idOf(v.model_a);
    rows.b[k] = idOf(v.model_b);
    rows.y[k] = scoreOfA(v.winner);
    if (weight) weight[k] = v.weight ?? 1;
    if (cluster) {
      const key = v.voter ?? '';
      let c = voters.get(key);
      if (c === undefined) {
        c = voters.size;
        voters.set(key, c);
      }
      cluster[k] = c;
    }
  });
  return { models: [...ids.keys()], length: n, ...rows, weight, cluster };
}

/** Total weight of the rows (Σ count·weight): the effective number of votes. */
export function totalWeight(rows: PairRows): number {
  let total = 0;
  for (let r = 0; r < rows.length; r++) total += rows.count[r]! * (rows.weight?.[r] ?? 1);
  return total;
}
